// This file handles a diagnostic test: schedule(runtime) with a chunk size.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
void f(int n, double *a)
{
    // CHECK: {{.*}}diag_schedule_runtime_chunk.c:[[@LINE+1]]:46: error: schedule(runtime) takes no chunk size; remove it
    #pragma omp parallel for schedule(runtime, 4)
    for (int i = 0; i < n; i++)
        a[i] = 0;
}
