// This file handles a diagnostic test: lastprivate on an inner loop naming the loop variable, which the region shares (a region-shared variable that is not the loop variable is supported: region_lastprivate.c).
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
void f(int n, double *a)
{
    int i = 0;
    #pragma omp parallel
    {
        // CHECK: {{.*}}diag_region_shared_lastprivate.c:[[@LINE+1]]:37: error: lastprivate of 'i', which the enclosing parallel region shares but which is a loop variable or private in another construct of the region; this is not supported yet
        #pragma omp for lastprivate(i)
        for (i = 0; i < n; i++)
            a[i] = i;
    }
    a[0] = i;
}
