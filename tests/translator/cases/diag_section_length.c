// This file handles a diagnostic test: an array section without a length.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
void f(int n, long *h)
{
    // CHECK: {{.*}}diag_section_length.c:[[@LINE+1]]:44: error: array section of 'h' needs a length; write h[lower:length]
    #pragma omp parallel for reduction(+: h[0:])
    for (int i = 0; i < n; i++)
        h[i % 8]++;
}
