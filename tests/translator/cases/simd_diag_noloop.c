// This file handles a diagnostic test: '#pragma omp simd' applies to a for loop only.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
void f(int n, double *a)
{
    int i = 0;
    // CHECK: {{.*}}simd_diag_noloop.c:[[@LINE+1]]:5: error: '#pragma omp simd' must be followed by a for loop
    #pragma omp simd
    while (i < n)
        a[i++] = 0;
}
