// This file handles a diagnostic test: a reduction variable of non-arithmetic type.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
struct acc { double v; };
void f(int n, double *a)
{
    struct acc s = {0};
    // CHECK: {{.*}}diag_reduction_type.c:[[@LINE+1]]:43: error: reduction variable 's' has type 'struct acc'; reductions need an arithmetic type (or an array section of one)
    #pragma omp parallel for reduction(+: s)
    for (int i = 0; i < n; i++)
        s.v += a[i];
}
