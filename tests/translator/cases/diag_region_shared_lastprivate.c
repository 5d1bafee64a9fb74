// This file handles a diagnostic test: lastprivate on an inner loop naming a variable shared in the region.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
void f(int n, double *a)
{
    int last = 0;
    #pragma omp parallel
    {
        // CHECK: {{.*}}diag_region_shared_lastprivate.c:[[@LINE+1]]:37: error: 'last' is shared in the enclosing parallel region and named in 'for' here; this combination is not supported yet: make it private in the region or use a local variable
        #pragma omp for lastprivate(last)
        for (int i = 0; i < n; i++)
            last = i;
    }
    a[0] = last;
}
