// This file handles a diagnostic test: proc_bind() with an unknown kind.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
void f(int n, double *a)
{
    // CHECK: {{.*}}diag_proc_bind.c:[[@LINE+1]]:40: error: unknown proc_bind kind 'near'; expected primary, master, close, spread, true or false
    #pragma omp parallel for proc_bind(near)
    for (int i = 0; i < n; i++)
        a[i] = 0;
}
