// This file handles a diagnostic test: copyprivate together with nowait on single.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
void f(int n, double *a)
{
    #pragma omp parallel
    {
        int v = 0;
        // CHECK: {{.*}}diag_region_copyprivate_nowait.c:[[@LINE+1]]:28: error: 'copyprivate' and 'nowait' on one '#pragma omp single'; copyprivate needs the barrier at the end of single: remove 'nowait'
        #pragma omp single copyprivate(v) nowait
        v = n;
        a[0] = v;
    }
}
