// This file handles a diagnostic test: task clauses weft refuses (in_reduction, detach, affinity) and depend items it cannot lower, each at its file:line:col.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
int f(int);
void g(int n, double *a, int *p)
{
    int s = 0;
    // CHECK: {{.*}}task_diag_clauses.c:[[@LINE+1]]:22: error: 'in_reduction' clause is not supported yet; remove it (weft lowers task clauses if, final, untied, mergeable, priority, depend and the data-sharing clauses)
    #pragma omp task in_reduction(+: s)
    s += n;
    // CHECK: {{.*}}task_diag_clauses.c:[[@LINE+1]]:22: error: 'detach' clause is not supported yet; remove it (weft lowers task clauses if, final, untied, mergeable, priority, depend and the data-sharing clauses)
    #pragma omp task detach(n)
    a[0] = 1;
    // CHECK: {{.*}}task_diag_clauses.c:[[@LINE+1]]:22: error: 'affinity' clause is not supported yet; remove it (weft lowers task clauses if, final, untied, mergeable, priority, depend and the data-sharing clauses)
    #pragma omp task affinity(a[0])
    a[1] = 1;
    // CHECK: {{.*}}task_diag_clauses.c:[[@LINE+1]]:34: error: 'a + 1' in 'depend' clause is not an lvalue; name a variable, an array element or an array section
    #pragma omp task depend(out: a + 1)
    a[1] = 2;
    // CHECK: {{.*}}task_diag_clauses.c:[[@LINE+1]]:33: error: 'f(n)' in 'depend' clause is not an lvalue; name a variable, an array element or an array section
    #pragma omp task depend(in: f(n))
    a[2] = 2;
    // CHECK: {{.*}}task_diag_clauses.c:[[@LINE+1]]:33: error: '3' in 'depend' clause is not an lvalue; name a variable, an array element or an array section
    #pragma omp task depend(in: 3)
    a[2] = 2;
    // CHECK: {{.*}}task_diag_clauses.c:[[@LINE+1]]:29: error: unknown dependence type 'inn'; expected in, out, inout, mutexinoutset or inoutset
    #pragma omp task depend(inn: a[0])
    a[2] = 2;
    // CHECK: {{.*}}task_diag_clauses.c:[[@LINE+1]]:29: error: depend(source) belongs to doacross loops ('#pragma omp ordered depend'), which weft does not support yet
    #pragma omp task depend(source)
    a[2] = 2;
    // CHECK: {{.*}}task_diag_clauses.c:[[@LINE+1]]:29: error: depend modifiers (iterator) are not supported yet; write one depend item per address
    #pragma omp task depend(iterator(i = 0:n), in: a[i])
    a[2] = 2;
    // CHECK: {{.*}}task_diag_clauses.c:[[@LINE+1]]:29: error: unsupported dependence type 'depobj'; expected in, out, inout, mutexinoutset or inoutset
    #pragma omp task depend(depobj: p)
    a[2] = 2;
    // CHECK: {{.*}}task_diag_clauses.c:[[@LINE+1]]:33: error: '(int)n' in 'depend' clause is not an lvalue; name a variable, an array element or an array section
    #pragma omp task depend(in: (int)n)
    a[2] = 2;
    // CHECK: {{.*}}task_diag_clauses.c:[[@LINE+1]]:33: error: 'n++' in 'depend' clause is not an lvalue; name a variable, an array element or an array section
    #pragma omp task depend(in: n++)
    a[2] = 2;
    // CHECK: {{.*}}task_diag_clauses.c:[[@LINE+1]]:25: error: if-clause modifier 'parallel' does not apply to 'task'; write if(task: expr) or if(expr)
    #pragma omp task if(parallel: n)
    a[2] = 2;
}
