// This file handles a diagnostic test: a bitwise reduction on a floating-point variable.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
double f(int n, double *a)
{
    double s = 0;
    // CHECK: {{.*}}diag_reduction_bitwise_float.c:[[@LINE+1]]:43: error: bitwise reduction on 's' of type 'double'; &, | and ^ need an integer type
    #pragma omp parallel for reduction(^: s)
    for (int i = 0; i < n; i++)
        s += a[i];
    return s;
}
