// This file handles a diagnostic test: collapse needs a positive constant.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
void f(int n, double *a)
{
    // CHECK: {{.*}}diag_collapse_value.c:[[@LINE+1]]:39: error: collapse needs an integer constant from 1 to 8, found 'n'
    #pragma omp parallel for collapse(n)
    for (int i = 0; i < n; i++)
        a[i] = 0;
}
