// This file handles a diagnostic test: cancel in a construct of another
// type than it names, or with another construct between them (H26).
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
void f(int n, double *a)
{
    #pragma omp parallel for
    for (int i = 0; i < n; i++) {
        a[i] = 0;
        // CHECK: {{.*}}diag_cancel_nesting.c:[[@LINE+1]]:9: error: '#pragma omp cancel parallel' inside '#pragma omp parallel for': it must be closely nested in a parallel region
        #pragma omp cancel parallel
    }
    #pragma omp parallel
    {
        #pragma omp for
        for (int i = 0; i < n; i++) {
            #pragma omp critical
            {
                a[i] += 1;
                // CHECK: {{.*}}diag_cancel_nesting.c:[[@LINE+1]]:17: error: '#pragma omp cancel for' inside '#pragma omp critical': it must be closely nested in a for loop
                #pragma omp cancel for
            }
        }
        // CHECK: {{.*}}diag_cancel_nesting.c:[[@LINE+1]]:9: error: '#pragma omp cancellation point sections' inside '#pragma omp parallel': it must be closely nested in a sections construct
        #pragma omp cancellation point sections
        #pragma omp taskgroup
        {
            // CHECK: {{.*}}diag_cancel_nesting.c:[[@LINE+1]]:13: error: '#pragma omp cancel taskgroup' inside '#pragma omp taskgroup': it must be closely nested in a task or taskloop
            #pragma omp cancel taskgroup
            #pragma omp task
            {
                // a task inside the taskgroup: right
                #pragma omp cancel taskgroup
            }
        }
    }
}
