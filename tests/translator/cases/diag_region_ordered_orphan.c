// This file handles a diagnostic test: an ordered block outside any loop.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
#include <stdio.h>
void f(int n)
{
    // CHECK: {{.*}}diag_region_ordered_orphan.c:[[@LINE+1]]:5: error: '#pragma omp ordered' must be inside the body of a loop with the 'ordered' clause
    #pragma omp ordered
    printf("%d\n", n);
}
