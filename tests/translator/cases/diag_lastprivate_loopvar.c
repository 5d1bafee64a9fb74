// This file handles a diagnostic test: lastprivate of a loop variable declared in the loop.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
void f(int n, double *a)
{
    // CHECK: {{.*}}diag_lastprivate_loopvar.c:[[@LINE+1]]:42: error: lastprivate of loop variable 'i', which is declared in the loop; declare it before the loop to see its final value
    #pragma omp parallel for lastprivate(i)
    for (int i = 0; i < n; i++)
        a[i] = 0;
}
