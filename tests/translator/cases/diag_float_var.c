// This file handles a diagnostic test: a floating-point loop variable.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
void f(double *a)
{
    #pragma omp parallel for
    // CHECK: {{.*}}diag_float_var.c:[[@LINE+1]]:10: error: loop variable 'x' has type 'double'; a parallel loop needs an integer or pointer loop variable
    for (double x = 0; x < 10; x += 1)
        a[(int)x] = x;
}
