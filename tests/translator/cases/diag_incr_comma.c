// This file handles a diagnostic test: a loop increment with a comma
// expression, which a step evaluated once cannot reproduce.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
void f(int n, int step, double *a)
{
    #pragma omp parallel for
    // CHECK: {{.*}}diag_incr_comma.c:[[@LINE+1]]:28: error: parallel loop increment 'j += step, n++' is not in canonical form: it holds a comma expression; keep only the loop variable's step and move the rest into the loop body
    for (int j = 0; j < n; j += step, n++)
        a[j] = 0;
    #pragma omp parallel for
    // CHECK: {{.*}}diag_incr_comma.c:[[@LINE+1]]:28: error: parallel loop increment 'j = j + (1, 2), a[0]++' is not in canonical form: it holds a comma expression
    for (int j = 0; j < n; j = j + (1, 2), a[0]++)
        a[j] = 1;
}
