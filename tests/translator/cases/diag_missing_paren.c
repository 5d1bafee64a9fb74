// This file handles a diagnostic test: a clause missing its closing parenthesis.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
void f(int n, double *a)
{
    // CHECK: {{.*}}diag_missing_paren.c:[[@LINE+1]]:38: error: missing ')' after the arguments of 'schedule'
    #pragma omp parallel for schedule(static, 4
    for (int i = 0; i < n; i++)
        a[i] = 0;
}
