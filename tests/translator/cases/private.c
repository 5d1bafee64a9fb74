// This file handles a golden test: private, firstprivate and lastprivate (of a variable and of
// the loop variable) in the chunk function.
// RUN: %weft-translate %s -o - | grep -v '^//' | %FileCheck %s
// RUN: %weft-translate %s -o %t && %cc -std=c99 -Wall -Wextra -Werror -Wno-unused-parameter -I%inc -fsyntax-only %t
double f(int n, double *a)
{
    double t, k = 2, last = 0;
    int i;
    #pragma omp parallel for private(t) firstprivate(k) lastprivate(last, i)
    for (i = 0; i < n; i++) {
        t = a[i] * k;
        a[i] = t;
        last = t;
    }
    return last + i;
}
// CHECK-LABEL: static void __weft_body_1(
// CHECK-DAG: __typeof__(double) t;
// CHECK-DAG: __typeof__(double) k = *(__typeof__(double) *)__weft_cap[{{[0-9]+}}];
// lastprivate alone starts from zero bytes, never from the original (which the last chunk writes).
// CHECK-DAG: __typeof__(double) last; __builtin_memset((void *)&last, 0, sizeof last);
// CHECK: for (uint64_t __weft_k
// CHECK: if (__weft_hi == *(uint64_t *)__weft_cap[[[N:[0-9]+]]]) __builtin_memcpy(__weft_cap[{{[0-9]+}}], &last, sizeof last);
// The loop variable gets its value after a sequential loop: lb + n * step.
// CHECK: if (__weft_hi == *(uint64_t *)__weft_cap[[[N]]]) { uint64_t __weft_nf = *(uint64_t *)__weft_cap[{{[0-9]+}}]; __typeof__(int) __weft_f = (__typeof__(int))((uint64_t)__weft_lb0 + __weft_nf * (uint64_t)__weft_st0); __builtin_memcpy(__weft_cap[{{[0-9]+}}], &__weft_f, sizeof __weft_f); }
// CHECK: WEFT_parallel_for(&__weft_lp_1); (void)i; (void)t; (void)k; (void)last; }
