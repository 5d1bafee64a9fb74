// This file handles a diagnostic test: a parallel loop nested in another.
// H26: nesting is lowered (the inner loop in the outer chunk function, by
// the next pass); an error in the inner loop, found only by that pass,
// still names the user's file:line:col.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
void f(int n, double *a)
{
    #pragma omp parallel for
    for (int i = 0; i < n; i++) {
        #pragma omp parallel for
        // CHECK: {{.*}}diag_nested.c:[[@LINE+1]]:32: error: parallel loop increment 'j *= 2' is not in canonical form
        for (int j = 1; j < n; j *= 2)
            a[i * n + j] = 0;
    }
}
