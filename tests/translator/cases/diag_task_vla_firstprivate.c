// This file handles a diagnostic test: a task that would copy a
// variable-length array is refused with its location (the translator used
// to crash after the error); a pointer to a VLA row, a parameter declared
// `double m[n][n]`, is copied without complaint.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
void f(int n, double m[n][n])
{
    double row[n];
    row[0] = 0;
    #pragma omp task
    m[0][n - 1] = 1;
    // CHECK: {{.*}}diag_task_vla_firstprivate.c:[[@LINE+2]]:5: error: variable-length array 'row' would be copied into a task, which is not supported yet; make it shared(row)
    #pragma omp task firstprivate(row)
    row[0] += m[0][0];
}
