// This file handles a diagnostic test: a barrier closely nested in a worksharing loop inside a region (found by a later pass, reported at the user's line).
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
void f(int n, double *a)
{
    #pragma omp parallel
    {
        #pragma omp for
        for (int i = 0; i < n; i++) {
            a[i] = 0;
            // CHECK: {{.*}}diag_region_barrier_in_for.c:[[@LINE+1]]:13: error: '#pragma omp barrier' inside '#pragma omp for': it would be closely nested in a worksharing, critical, ordered or master region, which only some threads of the team reach; put it outside that construct
            #pragma omp barrier
        }
    }
}
