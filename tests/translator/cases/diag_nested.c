// This file handles a diagnostic test: a parallel loop nested in another.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
void f(int n, double *a)
{
    #pragma omp parallel for
    for (int i = 0; i < n; i++) {
        // CHECK: {{.*}}diag_nested.c:[[@LINE+1]]:9: error: nested parallel loops are not supported yet; remove the inner pragma (the outer loop already uses every core)
        #pragma omp parallel for
        for (int j = 0; j < n; j++)
            a[i * n + j] = 0;
    }
}
