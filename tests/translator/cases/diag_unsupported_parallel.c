// This file handles a diagnostic test: OpenMP directives weft does not lower are errors, not serial code.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
#include <stdio.h>
void f(int n, double *a)
{
    #pragma omp parallel
    {
        // CHECK: {{.*}}diag_unsupported_parallel.c:[[@LINE+1]]:9: error: '#pragma omp loop' is not supported yet; weft lowers parallel, for, sections, single, master, masked, critical, atomic, barrier, flush, ordered, threadprivate, task, taskloop, taskwait, taskyield, taskgroup, simd and declare simd
        #pragma omp loop
        for (int i = 0; i < n; i++)
            a[i] = 0;
        // CHECK: {{.*}}diag_unsupported_parallel.c:[[@LINE+1]]:9: error: '#pragma omp distribute simd' is not supported yet
        #pragma omp distribute simd
        for (int i = 0; i < n; i++)
            a[i] = 2;
    }
    // CHECK: {{.*}}diag_unsupported_parallel.c:[[@LINE+1]]:5: error: '#pragma omp parallel loop' is not supported yet
    #pragma omp parallel loop
    for (int i = 0; i < n; i++)
        a[i] = 1;
    // CHECK: {{.*}}diag_unsupported_parallel.c:[[@LINE+1]]:5: error: '#pragma omp parallel master' is not supported yet
    #pragma omp parallel master
    puts("y");
}
