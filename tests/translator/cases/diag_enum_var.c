// This file handles a diagnostic test: an enum loop variable.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
enum color { RED, GREEN, BLUE };
void f(double *a)
{
    #pragma omp parallel for
    // CHECK: {{.*}}diag_enum_var.c:[[@LINE+1]]:10: error: loop variable 'c' has enum type 'enum color'; use an integer loop variable and convert inside the body
    for (enum color c = RED; c <= BLUE; c++)
        a[c] = 0;
}
