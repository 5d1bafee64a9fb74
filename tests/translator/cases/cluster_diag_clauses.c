// This file handles a diagnostic test of cluster loops: lastprivate and collapse on cluster loops, map without cluster.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
void f(int n, int m, double *a)
{
    int last = 0;
    #pragma weft parallel for cluster map(from: a[i]) lastprivate(last)
    for (int i = 0; i < n; i++) {
        last = i;
        a[i] = last;
    }
    #pragma weft parallel for cluster collapse(2) map(from: a[i])
    for (int i = 0; i < n; i++)
        for (int j = 0; j < m; j++)
            a[i] = j;
    #pragma weft parallel for map(from: a[i])
    for (int i = 0; i < n; i++)
        a[i] = 0;
}
// CHECK: {{.*}}cluster_diag_clauses.c:7:67: error: lastprivate is not supported on cluster loops: the last iteration may run on another machine; compute 'last' after the loop instead
// CHECK: {{.*}}cluster_diag_clauses.c:12:5: error: collapse(2) is not supported on cluster loops; write the nest as one loop over i*m + j, or remove 'cluster'
// CHECK: {{.*}}cluster_diag_clauses.c:16:41: error: 'map' clause without 'cluster'; write '#pragma weft parallel for cluster map(...)' to run the loop on the workers too, or remove the map
