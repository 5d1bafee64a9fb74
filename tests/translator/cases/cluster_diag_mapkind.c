// This file handles a diagnostic test of cluster loops: maps of a scalar, a void pointer, a pointer without a section.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
void f(int n, double *a, double s, void *v)
{
    #pragma weft parallel for cluster map(from: a[i]) map(to: s)
    for (int i = 0; i < n; i++)
        a[i] = s;
    #pragma weft parallel for cluster map(from: a[i]) map(to: v[0:n])
    for (int i = 0; i < n; i++)
        a[i] = (v != 0);
    #pragma weft parallel for cluster map(to: a) reduction(+: s)
    for (int i = 0; i < n; i++)
        s += a[i];
}
// CHECK: {{.*}}cluster_diag_mapkind.c:6:63: error: map of 's', which is neither an array nor a pointer; scalars are copied to the workers without a map: remove it from map(...)
// CHECK: {{.*}}cluster_diag_mapkind.c:9:63: error: map of 'v', a pointer to void; map a pointer to the element type of the data
// CHECK: {{.*}}cluster_diag_mapkind.c:12:47: error: map of 'a' needs a section; write a[0:n] for map(to: ...) or a[i] for map(from: ...)
