// This file handles a diagnostic test: a reduction variable that is not in scope.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
double f(int n, double *a)
{
    // CHECK: {{.*}}diag_reduction_scope.c:[[@LINE+1]]:43: error: 'total' in 'reduction' clause is not a variable visible here; name a variable declared before the pragma
    #pragma omp parallel for reduction(+: total)
    for (int i = 0; i < n; i++)
        a[i] = 1;
    return 0;
}
