// This file handles a diagnostic test: cancel for in a loop with nowait or
// ordered, which OpenMP forbids (clang refuses, gcc warns), and clauses
// cancel does not take (H26).
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
void f(int n, double *a)
{
    #pragma omp parallel
    {
        #pragma omp for nowait
        for (int i = 0; i < n; i++) {
            // CHECK: {{.*}}diag_cancel_clauses.c:[[@LINE+1]]:13: error: '#pragma omp cancel for' inside a for with 'nowait'; a construct that may be cancelled must not have nowait: remove it
            #pragma omp cancel for
        }
        #pragma omp for ordered
        for (int i = 0; i < n; i++) {
            // CHECK: {{.*}}diag_cancel_clauses.c:[[@LINE+1]]:13: error: '#pragma omp cancellation point for' inside a loop with the 'ordered' clause
            #pragma omp cancellation point for
            #pragma omp ordered
            a[i] = i;
        }
        // CHECK: {{.*}}diag_cancel_clauses.c:[[@LINE+1]]:37: error: 'private' clause is not allowed on '#pragma omp cancel'; remove it
        #pragma omp cancel parallel private(n)
    }
}
