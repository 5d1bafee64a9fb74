// This file handles a diagnostic test: a loop test that is not canonical.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
void f(int n, double *a)
{
    #pragma omp parallel for
    // CHECK: {{.*}}diag_test_form.c:[[@LINE+1]]:21: error: parallel loop test 'i * 2 < n' is not in canonical form; compare the loop variable 'i' with <, <=, >, >= or != to a bound
    for (int i = 0; i * 2 < n; i++)
        a[i] = 0;
}
