// This file handles a diagnostic test: an unknown schedule kind.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
void f(int n, double *a)
{
    // CHECK: {{.*}}diag_schedule_kind.c:[[@LINE+1]]:39: error: unknown schedule kind 'fastest'; expected static, dynamic, guided, auto or runtime
    #pragma omp parallel for schedule(fastest, 4)
    for (int i = 0; i < n; i++)
        a[i] = 0;
}
