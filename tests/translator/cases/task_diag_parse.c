// This file handles a diagnostic test: malformed task and taskloop clauses (strict modifier, a repeated final, an empty num_tasks) and the task forms weft does not lower (parallel master taskloop).
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
void g(int n, double *a)
{
    // CHECK: {{.*}}task_diag_parse.c:[[@LINE+1]]:36: error: 'strict' modifier of 'grainsize' is not supported yet; write grainsize(expr)
    #pragma omp taskloop grainsize(strict: 4)
    for (int i = 0; i < n; i++) a[i] = 0;
    // CHECK: {{.*}}task_diag_parse.c:[[@LINE+1]]:31: error: more than one 'final' clause; keep one
    #pragma omp task final(1) final(0)
    a[0] = 0;
    // CHECK: {{.*}}task_diag_parse.c:[[@LINE+1]]:36: error: expected an expression in num_tasks(...)
    #pragma omp taskloop num_tasks()
    for (int i = 0; i < n; i++) a[i] = 0;
    // CHECK: {{.*}}task_diag_parse.c:[[@LINE+1]]:5: error: '#pragma omp parallel master taskloop' is not supported yet; weft lowers parallel, for, sections, single, master, masked, critical, atomic, barrier, flush, ordered, threadprivate, task, taskloop, taskwait, taskyield, taskgroup, simd and declare simd
    #pragma omp parallel master taskloop
    for (int i = 0; i < n; i++) a[i] = 0;
}
