// This file handles a diagnostic test: single closely nested in a critical section.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
void f(int n, double *a)
{
    #pragma omp parallel
    {
        #pragma omp critical
        {
            // CHECK: {{.*}}diag_region_single_in_critical.c:[[@LINE+1]]:13: error: '#pragma omp single' inside '#pragma omp critical': it would be closely nested
            #pragma omp single
            a[0] = n;
        }
    }
}
