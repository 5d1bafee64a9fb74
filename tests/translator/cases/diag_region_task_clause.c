// This file handles a diagnostic test: a clause that task does not take (lastprivate).
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
void f(int n, double *a)
{
    // CHECK: {{.*}}diag_region_task_clause.c:[[@LINE+1]]:22: error: 'lastprivate' clause is not allowed on '#pragma omp task'; remove it
    #pragma omp task lastprivate(n)
    a[0] = n;
}
