// This file handles a diagnostic test of cluster loops: a written shared scalar, one array in two maps.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
void f(int n, double *a)
{
    double acc = 0;
    #pragma weft parallel for cluster map(from: a[i])
    for (int i = 0; i < n; i++) {
        a[i] = i;
        acc += a[i];
    }
    (void)acc;
    #pragma weft parallel for cluster map(to: a[0:n]) map(from: a[i])
    for (int i = 0; i < n; i++)
        a[i] = a[i] + 1;
}
// CHECK: {{.*}}cluster_diag_shared.c:10:9: error: the body of a cluster loop writes the shared variable 'acc'; writes on a worker do not come back: use reduction(...) or a map(from: ...) array indexed by the loop variable
// CHECK: {{.*}}cluster_diag_shared.c:13:65: error: 'a' appears in more than one map; map each array once (map(tofrom: ...) for one that is read and written)
