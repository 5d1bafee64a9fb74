// This file handles a diagnostic test: threadprivate naming no variable declared before it.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
int counter;
// CHECK: {{.*}}diag_region_threadprivate_unknown.c:[[@LINE+1]]:27: error: 'countr' in '#pragma omp threadprivate' is not a file-scope or static variable declared before the directive
#pragma omp threadprivate(countr)
int get(void) { return counter; }
