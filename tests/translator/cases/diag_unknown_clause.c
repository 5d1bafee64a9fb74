// This file handles a diagnostic test: an unknown clause names the clauses weft accepts.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
void f(int n, double *a)
{
    // CHECK: {{.*}}diag_unknown_clause.c:[[@LINE+1]]:30: error: unknown clause 'fast' on '#pragma omp parallel for'; expected one of schedule, reduction, private, firstprivate, lastprivate, shared, default, collapse, num_threads, if, nowait, proc_bind
    #pragma omp parallel for fast
    for (int i = 0; i < n; i++)
        a[i] = 0;
}
