// This file handles a diagnostic test: a loop increment that is not canonical.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
void f(int n, double *a)
{
    #pragma omp parallel for
    // CHECK: {{.*}}diag_incr_form.c:[[@LINE+1]]:28: error: parallel loop increment 'i *= 2' is not in canonical form; write i++, i--, i += step, i -= step or i = i + step
    for (int i = 1; i < n; i *= 2)
        a[i] = 0;
}
