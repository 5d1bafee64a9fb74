// This file handles a diagnostic test: an ordered block in a loop without the ordered clause.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
#include <stdio.h>
void f(int n)
{
    #pragma omp parallel for
    for (int i = 0; i < n; i++) {
        // CHECK: {{.*}}diag_region_ordered_no_clause.c:[[@LINE+1]]:9: error: '#pragma omp ordered' inside '#pragma omp parallel for': an ordered region must be closely nested in a loop that has the 'ordered' clause; add 'ordered' to the loop's pragma
        #pragma omp ordered
        printf("%d\n", i);
    }
}
