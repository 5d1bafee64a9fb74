// This file handles a diagnostic test of cluster loops: a pointer and an array used without a map.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
void f(int n, double *a, double *b)
{
    double t[8] = {0};
    #pragma weft parallel for cluster map(from: a[i])
    for (int i = 0; i < n; i++)
        a[i] = b[i] + t[i % 8];
}
// CHECK: {{.*}}cluster_diag_unmapped.c:9:16: error: the body of a cluster loop uses the pointer 'b' without a map; add map(to: b[0:n]) for what it reads or map(from: b[i]) for what it writes
// CHECK: {{.*}}cluster_diag_unmapped.c:9:23: error: the body of a cluster loop uses the array 't' without a map; add map(to: t) for what it reads or map(from: t[i]) for what it writes
