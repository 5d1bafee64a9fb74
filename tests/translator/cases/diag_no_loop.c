// This file handles a diagnostic test: the pragma must be followed by a for loop.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
void f(int n, double *a)
{
    int i = 0;
    // CHECK: {{.*}}diag_no_loop.c:[[@LINE+1]]:5: error: '#pragma omp parallel for' must be followed by a for loop
    #pragma omp parallel for
    while (i < n)
        a[i++] = 0;
}
