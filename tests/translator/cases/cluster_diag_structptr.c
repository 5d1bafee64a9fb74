// This file handles a diagnostic test of cluster loops: a struct holding pointers copied to workers.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
struct grid { int w, h; double *cells; };
void f(int n, double *a, struct grid g)
{
    #pragma weft parallel for cluster map(from: a[i])
    for (int i = 0; i < n; i++)
        a[i] = g.w * i;
}
// CHECK: {{.*}}cluster_diag_structptr.c:9:16: error: the body of a cluster loop uses 'g', whose type holds pointers, which mean nothing on another machine; copy the fields it needs into local variables and map the arrays
