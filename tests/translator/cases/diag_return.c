// This file handles a diagnostic test: return inside the parallel loop.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
int f(int n, double *a)
{
    #pragma omp parallel for
    for (int i = 0; i < n; i++) {
        // CHECK: {{.*}}diag_return.c:[[@LINE+1]]:23: error: 'return' inside the body of a parallel loop; move the loop into a function whose result does not depend on leaving early
        if (a[i] < 0) return i;
    }
    return -1;
}
