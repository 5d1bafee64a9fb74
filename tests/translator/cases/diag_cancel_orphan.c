// This file handles a diagnostic test: cancel and cancellation point
// outside any construct (H26). OpenMP wants them closely nested in the
// construct they name, as gcc and clang do.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
void f(int n, double *a)
{
    for (int i = 0; i < n; i++) {
        a[i] = 0;
        // CHECK: {{.*}}diag_cancel_orphan.c:[[@LINE+1]]:9: error: '#pragma omp cancel for' is not inside any construct; it must be closely nested in a for loop
        #pragma omp cancel for
    }
    // CHECK: {{.*}}diag_cancel_orphan.c:[[@LINE+1]]:5: error: '#pragma omp cancellation point parallel' is not inside any construct; it must be closely nested in a parallel region
    #pragma omp cancellation point parallel
    #pragma omp parallel
    {
        // CHECK: {{.*}}diag_cancel_orphan.c:[[@LINE+1]]:9: error: '#pragma omp cancel' must name the construct it applies to: parallel, for, sections or taskgroup
        #pragma omp cancel
    }
}
