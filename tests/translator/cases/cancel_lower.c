// This file handles a golden test (H26): cancel and cancellation point
// have no effect (cancellation is off in weft) and disappear; an if
// expression stays only inside sizeof, type-checked and never evaluated,
// with the names the enclosing region reaches by pointer rewritten; a
// parallel for nested in a parallel for body keeps its pragma for the
// next pass, with a by-pointer name in its clause rewritten.
// RUN: %weft-translate %s -o - | grep -v '^//' | %FileCheck %s
// RUN: %weft-translate %s -o %t && %cc -std=c11 -Wall -Wextra -Werror -Wno-unused-parameter -I%inc -fsyntax-only %t
void f(int n, double *a)
{
    int hits = 0;
    #pragma omp parallel
    {
        #pragma omp for
        for (int i = 0; i < n; i++) {
            if (a[i] < 0) {
                #pragma omp atomic
                hits++;
            }
            #pragma omp cancel for if(cancel: hits > 2)
            #pragma omp cancellation point for
        }
    }
}
void g(int n, double *row, double (*m)[8])
{
    double w[8] = {0};
    #pragma omp parallel for
    for (int i = 0; i < n; i++) {
        double s = 0;
        #pragma omp parallel for reduction(+:s) firstprivate(w)
        for (int j = 0; j < 8; j++)
            s += m[i][j] * w[j];
        row[i] = s;
    }
}
// The cancel's if, in the for's chunk function:
// CHECK: (void)sizeof(((*__weft_p_hits) > 2) ? 1 : 0);
// The inner reduction of g ends into the outer chunk's s under the lock:
// CHECK-LABEL: static void __weft_red_fini_{{[0-9]+}}(
// CHECK: WEFT_atomic_begin();
// CHECK-NEXT: (*(double *)__weft_cap[{{[0-9]+}}]) = (*(double *)__weft_cap[{{[0-9]+}}]) + __weft_r->s;
// CHECK-NEXT: WEFT_atomic_end();
// CHECK-LABEL: void g(
// CHECK: WEFT_parallel_for(
// CHECK-NOT: #pragma omp
// CHECK-NOT: cancellation
