// This file handles a golden test: lastprivate (alone and with firstprivate) on a for and on sections nested in a region, of variables the region shares: the private copy is written back through the region's pointer.
// RUN: %weft-translate %s -o %t && %weft-translate %s -o - | grep -v '^//' | %FileCheck %s
// RUN: %cc -std=c11 -Wall -Wextra -Werror -Wno-unused-parameter -I%inc -fsyntax-only %t
struct pt { int x, y; };
void f(int n, double *a, int *out)
{
    int last = -1, s = 0, acc = 100;
    struct pt p = {0, 0};
    #pragma omp parallel
    {
        // CHECK: static void __weft_body_[[F:[0-9]+]](
        // CHECK: __typeof__(**(__typeof__(__typeof__(int) *) *)__weft_cap[{{[0-9]+}}]) __weft_lv___weft_p_last; __builtin_memset
        // CHECK-NEXT: __typeof__(__typeof__(int) *) __weft_p_last = &__weft_lv___weft_p_last;
        // CHECK: __builtin_memcpy(*(void **)__weft_cap[{{[0-9]+}}], &__weft_lv___weft_p_last, sizeof __weft_lv___weft_p_last);
        #pragma omp for lastprivate(last, p)
        for (int i = 0; i < n; i++) {
            last = i;
            p.x = i;
        }
        // CHECK: __builtin_memcpy((void *)&__weft_lv___weft_p_acc, __weft_cap[{{[0-9]+}}], sizeof __weft_lv___weft_p_acc);
        #pragma omp for firstprivate(acc) lastprivate(acc)
        for (int i = 0; i < n; i++)
            if (i == n - 1)
                acc += i;
        #pragma omp sections lastprivate(s)
        {
            s = 1;
            #pragma omp section
            s = 2;
        }
    }
    out[0] = last + s + acc + p.x;
}
