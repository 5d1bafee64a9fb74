// This file handles a diagnostic test: a task clause weft does not lower (depend).
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
void f(int n, double *a)
{
    // CHECK: {{.*}}diag_region_task_clause.c:[[@LINE+1]]:22: error: unknown clause 'depend'
    #pragma omp task depend(out: a[0])
    a[0] = n;
}
