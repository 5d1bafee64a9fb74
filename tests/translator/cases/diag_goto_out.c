// This file handles a diagnostic test: goto out of the parallel loop.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
void f(int n, double *a)
{
    #pragma omp parallel for
    for (int i = 0; i < n; i++) {
        if (a[i] == 0) goto inside;
        // CHECK: {{.*}}diag_goto_out.c:[[@LINE+1]]:23: error: 'goto done' jumps out of the body of a parallel loop; jumps must stay inside the body
        if (a[i] < 0) goto done;
    inside:
        a[i] = 1;
    }
done:
    return;
}
