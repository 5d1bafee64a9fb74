// This file handles a diagnostic test: the loop variable modified in the body.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
void f(int n, double *a)
{
    #pragma omp parallel for
    for (int i = 0; i < n; i++) {
        a[i] = 0;
        // CHECK: {{.*}}diag_var_modified.c:[[@LINE+1]]:20: error: loop variable 'i' is modified in the body of the parallel loop; the loop variable must change only in the loop header
        if (i % 2) i++;
    }
}
