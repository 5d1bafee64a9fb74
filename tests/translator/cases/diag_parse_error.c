// This file handles a diagnostic test: errors in the user's code fail the translation.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
void f(int n, double *a)
{
    #pragma omp parallel for
    for (int i = 0; i < n; i++)
        // CHECK: {{.*}}diag_parse_error.c:[[@LINE+1]]:16: error: use of undeclared identifier 'undeclared_thing'
        a[i] = undeclared_thing;
}
