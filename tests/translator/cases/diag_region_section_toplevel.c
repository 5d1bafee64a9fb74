// This file handles a diagnostic test: a section directive with no enclosing construct.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
void f(int n, double *a)
{
    // CHECK: {{.*}}diag_region_section_toplevel.c:[[@LINE+1]]:5: error: '#pragma omp section' outside '#pragma omp sections'; a section must be directly inside the sections block
    #pragma omp section
    a[0] = n;
}
