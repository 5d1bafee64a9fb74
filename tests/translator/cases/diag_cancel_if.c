// This file handles a diagnostic test: the if clause of cancel takes the
// 'cancel' modifier only (H26).
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
void f(int n)
{
    #pragma omp parallel
    {
        // CHECK: {{.*}}diag_cancel_if.c:[[@LINE+1]]:40: error: if-clause modifier 'parallel' does not apply to 'cancel'; write if(cancel: expr) or if(expr)
        #pragma omp cancel parallel if(parallel: n > 2)
        #pragma omp cancel parallel if(cancel: n > 3)
    }
}
