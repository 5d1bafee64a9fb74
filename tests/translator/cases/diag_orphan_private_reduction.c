// This file handles a diagnostic test: an orphaned worksharing loop's reduction on a local of its function (private to each thread of the team that calls it), refused as gcc and clang do.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
long g(int n, const double *a)
{
    long part = 0;
    // CHECK: {{.*}}diag_orphan_private_reduction.c:[[@LINE+1]]:33: error: reduction variable 'part' is private to each thread here
    #pragma omp for reduction(+:part)
    for (int i = 0; i < n; i++)
        part += a[i] > 1;
    return part;
}
