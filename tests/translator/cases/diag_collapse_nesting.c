// This file handles a diagnostic test: collapse over loops that are not perfectly nested.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
void f(int n, double *a)
{
    #pragma omp parallel for collapse(2)
    // CHECK: {{.*}}diag_collapse_nesting.c:[[@LINE+1]]:33: error: collapse(2) needs 2 perfectly nested loops; the body of this loop must be just the next for loop
    for (int i = 0; i < n; i++) {
        a[i] = 0;
        for (int j = 0; j < n; j++)
            a[i * n + j] = 0;
    }
}
