// This file handles a diagnostic test: weft's cluster clause is accepted once per pragma.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
void f(int n, double *a, double *b)
{
    // CHECK: {{.*}}diag_weft_cluster.c:[[@LINE+1]]:39: error: more than one 'cluster' clause; keep one
    #pragma weft parallel for cluster cluster map(to: b[0:n]) map(from: a[i])
    for (int i = 0; i < n; i++)
        a[i] = b[i] * 2;
}
