// This file handles a diagnostic test: a section directive outside any sections block.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
void f(int n, double *a)
{
    #pragma omp parallel
    {
        // CHECK: {{.*}}diag_region_section_outside.c:[[@LINE+1]]:9: error: '#pragma omp section' inside '#pragma omp parallel': a section must be directly inside '#pragma omp sections'
        #pragma omp section
        a[0] = n;
    }
}
