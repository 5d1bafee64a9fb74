// This file handles a diagnostic test of cluster loops: mutable global and static variables in a cluster loop body.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
double gain = 2.0;
static const double ok_scale = 3.0;
void f(int n, double *a)
{
    static int calls;
    #pragma weft parallel for cluster map(from: a[i])
    for (int i = 0; i < n; i++)
        a[i] = gain * ok_scale * i + calls;
}
// CHECK: {{.*}}cluster_diag_global.c:11:16: error: the body of a cluster loop uses 'gain', a global variable that is not const; each worker has its own copy: copy its value into a local variable before the loop, or map an array through a local pointer
// CHECK: {{.*}}cluster_diag_global.c:11:38: error: the body of a cluster loop uses 'calls', a static variable that is not const; each worker has its own copy: copy its value into a local variable before the loop, or map an array through a local pointer
