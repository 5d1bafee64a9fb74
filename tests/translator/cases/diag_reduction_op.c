// This file handles a diagnostic test: an unknown reduction operator.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
double f(int n, double *a)
{
    double s = 0;
    // CHECK: {{.*}}diag_reduction_op.c:[[@LINE+1]]:40: error: unknown reduction operator '/'; expected one of + * - & | ^ && || min max
    #pragma omp parallel for reduction(/: s)
    for (int i = 0; i < n; i++)
        s += a[i];
    return s;
}
