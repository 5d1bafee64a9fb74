// This file handles a diagnostic test: an atomic update that is not of an allowed form.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
void f(int n, double *a)
{
    double y = 2;
    #pragma omp atomic
    // CHECK: {{.*}}diag_region_atomic_form.c:[[@LINE+1]]:5: error: unsupported form of '#pragma omp atomic': atomic update must be `x op= e;`, `x = x op e;`, `x = e op x;`, `x++;` or `x--;`
    a[0] = y * n;
}
