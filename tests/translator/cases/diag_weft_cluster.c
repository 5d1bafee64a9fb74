// This file handles a diagnostic test: weft's cluster clause is recognised but not supported yet.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
void f(int n, double *a, double *b)
{
    // CHECK: {{.*}}diag_weft_cluster.c:[[@LINE+3]]:31: error: 'cluster' clause is not supported yet (cluster loops come in a later release); remove it to run the loop on this machine
    // CHECK: {{.*}}diag_weft_cluster.c:[[@LINE+2]]:39: error: 'map' clause is not supported yet (cluster loops come in a later release); remove it to run the loop on this machine
    // CHECK: {{.*}}diag_weft_cluster.c:[[@LINE+1]]:55: error: 'map' clause is not supported yet (cluster loops come in a later release); remove it to run the loop on this machine
    #pragma weft parallel for cluster map(to: b[0:n]) map(from: a[i])
    for (int i = 0; i < n; i++)
        a[i] = b[i] * 2;
}
