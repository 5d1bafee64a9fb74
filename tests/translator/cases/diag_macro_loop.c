// This file handles a diagnostic test: a macro that expands to a pragma and its loop together.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
#define PAR_FILL(a, n, v) _Pragma("omp parallel for") for (int i = 0; i < (n); i++) (a)[i] = (v)
void f(int n, double *a)
{
    // CHECK: {{.*}}diag_macro_loop.c:[[@LINE+1]]:5: error: a macro that expands to both the pragma and its loop is not supported yet; keep the 'for' outside the macro
    PAR_FILL(a, n, 1.0);
}
