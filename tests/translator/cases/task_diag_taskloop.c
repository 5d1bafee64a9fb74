// This file handles a diagnostic test: taskloop clauses that OpenMP does not allow (each named), grainsize with num_tasks, reduction with nogroup, a taskloop without its loop, a barrier in a task and a worksharing loop in a taskloop.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
void g(int n, double *a)
{
    // CHECK: {{.*}}task_diag_taskloop.c:[[@LINE+1]]:26: error: 'nowait' clause is not allowed on '#pragma omp taskloop'; remove it
    #pragma omp taskloop nowait
    for (int i = 0; i < n; i++) a[i] = 0;
    // CHECK: {{.*}}task_diag_taskloop.c:[[@LINE+1]]:26: error: 'schedule' clause is not allowed on '#pragma omp taskloop'; remove it
    #pragma omp taskloop schedule(static)
    for (int i = 0; i < n; i++) a[i] = 0;
    // CHECK: {{.*}}task_diag_taskloop.c:[[@LINE+1]]:26: error: 'ordered' clause is not allowed on '#pragma omp taskloop'; remove it
    #pragma omp taskloop ordered
    for (int i = 0; i < n; i++) a[i] = 0;
    // CHECK: {{.*}}task_diag_taskloop.c:[[@LINE+1]]:26: error: 'grainsize' and 'num_tasks' on one '#pragma omp taskloop'; OpenMP allows one of them: keep one
    #pragma omp taskloop grainsize(4) num_tasks(3)
    for (int i = 0; i < n; i++) a[i] = 0;
    double s = 0;
    // CHECK: {{.*}}task_diag_taskloop.c:[[@LINE+1]]:26: error: 'reduction' and 'nogroup' on one '#pragma omp taskloop'; the reduction completes at the end of the taskloop's taskgroup: remove 'nogroup'
    #pragma omp taskloop reduction(+: s) nogroup
    for (int i = 0; i < n; i++) s += a[i];
    // CHECK: {{.*}}task_diag_taskloop.c:[[@LINE+1]]:26: error: 'num_threads' clause is not allowed on '#pragma omp taskloop'; remove it
    #pragma omp taskloop num_threads(4)
    for (int i = 0; i < n; i++) a[i] = 0;
    // CHECK: {{.*}}task_diag_taskloop.c:[[@LINE+1]]:26: error: 'depend' clause is not allowed on '#pragma omp taskloop'; remove it
    #pragma omp taskloop depend(in: n)
    for (int i = 0; i < n; i++) a[i] = 0;
    // CHECK: {{.*}}task_diag_taskloop.c:[[@LINE+1]]:5: error: '#pragma omp taskloop' must be followed by a for loop
    #pragma omp taskloop
    a[0] = 1;
    #pragma omp task
    {
        // CHECK: {{.*}}task_diag_taskloop.c:[[@LINE+1]]:9: error: '#pragma omp barrier' inside '#pragma omp task': a task runs on one thread, not on the team, so worksharing constructs and barriers may not be closely nested in it; put it outside the task
        #pragma omp barrier
    }
    #pragma omp taskloop
    for (int i = 0; i < n; i++) {
        // CHECK: {{.*}}task_diag_taskloop.c:[[@LINE+1]]:9: error: '#pragma omp for' inside '#pragma omp taskloop': a task runs on one thread, not on the team, so worksharing constructs and barriers may not be closely nested in it; put it outside the task
        #pragma omp for
        for (int j = 0; j < n; j++) a[j] = 0;
    }
}
