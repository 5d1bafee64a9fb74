// This file handles a diagnostic test: break out of the parallel loop.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
void f(int n, double *a)
{
    #pragma omp parallel for
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < 3; j++)
            if (j == 1) break;
        // CHECK: {{.*}}diag_break.c:[[@LINE+1]]:23: error: 'break' leaves the parallel loop; a parallel loop must run all its iterations (use a flag and 'continue' instead)
        if (a[i] < 0) break;
    }
}
