// This file handles a diagnostic test: a parallel for at file scope.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
// CHECK: {{.*}}diag_outside_function.c:[[@LINE+1]]:1: error: '#pragma omp parallel for' outside a function body; put the loop inside a function
#pragma omp parallel for
int x;
