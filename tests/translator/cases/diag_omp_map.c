// This file handles a diagnostic test: map on an omp pragma points to the weft spelling.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
void f(int n, double *a)
{
    // CHECK: {{.*}}diag_omp_map.c:[[@LINE+1]]:30: error: 'map' clause is not allowed on '#pragma omp parallel for'; cluster loops are spelled '#pragma weft parallel for cluster'
    #pragma omp parallel for map(from: a[i])
    for (int i = 0; i < n; i++)
        a[i] = 0;
}
