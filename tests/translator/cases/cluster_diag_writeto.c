// This file handles a diagnostic test of cluster loops: writes to a 'to'-only array.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
void f(int n, double *a, double *b)
{
    #pragma weft parallel for cluster map(to: b[0:n]) map(from: a[i])
    for (int i = 0; i < n; i++) {
        a[i] = b[i];
        b[i] = 0;
        *b += 1;
    }
}
// CHECK: {{.*}}cluster_diag_writeto.c:9:9: error: the body writes 'b', which is mapped 'to' only; writes on a worker would not come back: map it with map(tofrom: b[...]) sliced by the loop variable
// CHECK: {{.*}}cluster_diag_writeto.c:10:9: error: the body writes 'b', which is mapped 'to' only; writes on a worker would not come back: map it with map(tofrom: b[...]) sliced by the loop variable
