// This file handles a diagnostic test of cluster loops: 'ordered' cannot span machines.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
#include <stdio.h>
void f(int n, double *a)
{
    #pragma weft parallel for cluster ordered map(from: a[i])
    for (int i = 0; i < n; i++) {
        a[i] = i;
        #pragma weft ordered
        printf("%d\n", i);
    }
}
// CHECK: {{.*}}cluster_diag_ordered.c:7:5: error: 'ordered' is not supported on cluster loops: iterations on other machines cannot wait for each other; remove 'cluster' or 'ordered'
