// This file handles a diagnostic test: two schedule clauses.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
void f(int n, double *a)
{
    // CHECK: {{.*}}diag_duplicate_schedule.c:[[@LINE+1]]:47: error: more than one 'schedule' clause; keep one
    #pragma omp parallel for schedule(static) schedule(dynamic)
    for (int i = 0; i < n; i++)
        a[i] = 0;
}
