// This file handles a diagnostic test: an if clause with a modifier for another construct.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
void f(int n, double *a)
{
    // CHECK: {{.*}}diag_if_modifier.c:[[@LINE+1]]:33: error: if-clause modifier 'target' does not apply to 'parallel for'; write if(parallel: expr) or if(expr)
    #pragma omp parallel for if(target: n > 100)
    for (int i = 0; i < n; i++)
        a[i] = 0;
}
