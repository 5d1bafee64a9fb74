// This file handles a diagnostic test of cluster loops: an unknown map kind.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
void f(int n, double *a)
{
    #pragma weft parallel for cluster map(alloc: a[0:n])
    for (int i = 0; i < n; i++)
        a[i] = 0;
}
// CHECK: {{.*}}cluster_diag_mapalloc.c:6:43: error: unknown map kind 'alloc'; write map(to: x[0:n]), map(from: y[i]) or map(tofrom: z[i])
