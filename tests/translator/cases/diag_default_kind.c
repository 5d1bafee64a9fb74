// This file handles a diagnostic test: default() with an unknown kind.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
void f(int n, double *a)
{
    // CHECK: {{.*}}diag_default_kind.c:[[@LINE+1]]:38: error: unknown default kind 'private'; expected default(shared) or default(none)
    #pragma omp parallel for default(private)
    for (int i = 0; i < n; i++)
        a[i] = 0;
}
