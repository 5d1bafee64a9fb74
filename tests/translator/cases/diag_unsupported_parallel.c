// This file handles a diagnostic test: other OpenMP directives are errors, not serial code.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
#include <stdio.h>
void f(int n, double *a)
{
    // CHECK: {{.*}}diag_unsupported_parallel.c:[[@LINE+1]]:5: error: '#pragma omp parallel' is not supported yet; weft lowers only '#pragma omp parallel for' for now
    #pragma omp parallel
    {
        // CHECK: {{.*}}diag_unsupported_parallel.c:[[@LINE+1]]:9: error: '#pragma omp for' is not supported yet; weft lowers only '#pragma omp parallel for' for now
        #pragma omp for
        for (int i = 0; i < n; i++)
            a[i] = 0;
        // CHECK: {{.*}}diag_unsupported_parallel.c:[[@LINE+1]]:9: error: '#pragma omp critical' is not supported yet; weft lowers only '#pragma omp parallel for' for now
        #pragma omp critical
        puts("x");
        // CHECK: {{.*}}diag_unsupported_parallel.c:[[@LINE+1]]:9: error: '#pragma omp barrier' is not supported yet; weft lowers only '#pragma omp parallel for' for now
        #pragma omp barrier
    }
    // CHECK: {{.*}}diag_unsupported_parallel.c:[[@LINE+1]]:5: error: '#pragma omp parallel for simd' is not supported yet; weft lowers only '#pragma omp parallel for' for now
    #pragma omp parallel for simd
    for (int i = 0; i < n; i++)
        a[i] = 1;
}
