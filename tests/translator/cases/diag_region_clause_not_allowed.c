// This file handles a diagnostic test: clauses a construct does not take.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
void f(int n, double *a)
{
    // CHECK: {{.*}}diag_region_clause_not_allowed.c:[[@LINE+1]]:26: error: 'schedule' clause is not allowed on '#pragma omp parallel'; remove it
    #pragma omp parallel schedule(static)
    {
        // CHECK: {{.*}}diag_region_clause_not_allowed.c:[[@LINE+1]]:25: error: 'copyprivate' clause is not allowed on '#pragma omp for'; remove it
        #pragma omp for copyprivate(n)
        for (int i = 0; i < n; i++)
            a[i] = 0;
    }
}
