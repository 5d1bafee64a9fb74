// This file handles a diagnostic test: a variable in two data-sharing clauses.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
double f(int n, double *a)
{
    double s = 0, t = 1;
    // CHECK: {{.*}}diag_two_clauses.c:[[@LINE+1]]:57: error: variable 's' appears in both 'private' and 'reduction' clauses; keep one
    #pragma omp parallel for private(s, t) reduction(+: s)
    for (int i = 0; i < n; i++)
        s += a[i] * t;
    return s;
}
