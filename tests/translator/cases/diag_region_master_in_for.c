// This file handles a diagnostic test: master closely nested in a worksharing loop.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
void f(int n, double *a)
{
    #pragma omp parallel
    {
        #pragma omp for
        for (int i = 0; i < n; i++) {
            // CHECK: {{.*}}diag_region_master_in_for.c:[[@LINE+1]]:13: error: '#pragma omp master' inside '#pragma omp for': master and masked may not be closely nested in a worksharing construct
            #pragma omp master
            a[i] = 0;
        }
    }
}
