// This file handles a diagnostic test: a worksharing loop closely nested in another.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
void f(int n, double *a)
{
    #pragma omp parallel
    {
        #pragma omp for
        for (int i = 0; i < n; i++) {
            // CHECK: {{.*}}diag_region_for_in_for.c:[[@LINE+1]]:13: error: '#pragma omp for' inside '#pragma omp for': it would be closely nested
            #pragma omp for
            for (int j = 0; j < n; j++)
                a[i * n + j] = 0;
        }
    }
}
