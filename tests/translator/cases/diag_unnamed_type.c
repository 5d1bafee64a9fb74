// This file handles a diagnostic test: a captured variable of unnamed struct type.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
void f(int n, double *a)
{
    struct { double k; } cfg = {2.0};
    #pragma omp parallel for
    for (int i = 0; i < n; i++)
        // CHECK: {{.*}}diag_unnamed_type.c:[[@LINE+1]]:16: error: variable 'cfg' has an unnamed struct, union or enum type; give the type a tag or a typedef name so the parallel loop can name it
        a[i] = cfg.k * i;
}
