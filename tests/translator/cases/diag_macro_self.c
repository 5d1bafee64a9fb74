// This file handles a diagnostic test: a macro that expands to a pragma and its loop and names
// itself in its definition (a call of the function it shadows) cannot be expanded as text
// (the preprocessor leaves that name alone; a rewritten text would expand it again): an error
// at the invocation, not a wrong expansion.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
#define step(a, n) _Pragma("omp parallel for") for (int i = 0; i < (n); i++) step(a, i)
void (step)(double *a, int i);
void f(int n, double *a)
{
    // CHECK: {{.*}}diag_macro_self.c:[[@LINE+1]]:5: error: the macro 'step' names itself in its definition; weft cannot expand it around a directive: write the pragma or the loop outside the macro
    step(a, n);
}
