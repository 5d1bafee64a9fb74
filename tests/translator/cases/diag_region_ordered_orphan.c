// This file handles a diagnostic test: an ordered block in a parallel
// region outside any loop. (An orphaned ordered block, in a function of its
// own, binds to the ordered loop that calls it at run time: no error; see
// tests/e2e/progs/wild_ordered_orphan.c.)
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
#include <stdio.h>
void f(int n)
{
    #pragma omp parallel
    {
        // CHECK: {{.*}}diag_region_ordered_orphan.c:[[@LINE+1]]:9: error: '#pragma omp ordered' inside '#pragma omp parallel': an ordered region must be closely nested in a loop that has the 'ordered' clause
        #pragma omp ordered
        printf("%d\n", n);
    }
}
