// This file handles a diagnostic test: a loop initialisation that is not canonical.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
void f(int n, double *a)
{
    int i, j;
    #pragma omp parallel for
    // CHECK: {{.*}}diag_init_form.c:[[@LINE+1]]:10: error: parallel loop initialisation 'i = 0, j = 1' is not in canonical form; write 'v = lb' or 'T v = lb' for one loop variable
    for (i = 0, j = 1; i < n; i++)
        a[i] = j;
}
