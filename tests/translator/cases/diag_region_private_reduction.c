// This file handles a diagnostic test: a worksharing loop's reduction or lastprivate on a variable private to each thread (the region's reduction copy, a variable declared in the region), refused as gcc and clang do.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
long f(int n, const double *a)
{
    long sum = 0;
    #pragma omp parallel reduction(+:sum)
    {
        int last = 0;
        // CHECK: {{.*}}diag_region_private_reduction.c:[[@LINE+2]]:37: error: reduction variable 'sum' is private to each thread here
        // CHECK: {{.*}}diag_region_private_reduction.c:[[@LINE+1]]:54: error: lastprivate variable 'last' is private to each thread here
        #pragma omp for reduction(+:sum) lastprivate(last)
        for (int i = 0; i < n; i++) {
            sum += a[i] > 0;
            last = i;
        }
    }
    return sum;
}
