// This file handles a diagnostic test: collapse over a non-rectangular nest.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
void f(int n, double *a)
{
    #pragma omp parallel for collapse(2)
    for (int i = 0; i < n; i++)
        // CHECK: {{.*}}diag_collapse_rect.c:[[@LINE+1]]:9: error: collapse(2) needs a rectangular loop nest; the bounds of this loop use the outer loop variable 'i'
        for (int j = 0; j < i; j++)
            a[i * n + j] = 0;
}
