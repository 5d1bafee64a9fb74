// This file handles a diagnostic test: errors in a loop that a macro expands to together with
// its pragma name the user's line and column: the invocation for what the macro's definition
// spells, the argument's own place for what the argument spells (even on a later line).
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
#define PFOR_BAD(n) _Pragma("omp parallel for") for (int i = 0; i < (n); i *= 2)
#define PAR_FOR(i, n, ...) _Pragma("omp parallel for") for (int i = 0; i < (n); i++) { __VA_ARGS__ }
#define PSUM(s, n) _Pragma("omp parallel for reduction(+: nosuch)") for (int i = 0; i < (n); i++) s += i
#define PRAGMA(x) _Pragma(#x)
#define PFOR_RED(v, n) PRAGMA(omp parallel for reduction(*: v)) for (int i = 0; i < (n); i++)
void f(int n, double *a, int k)
{
    double s = 0;
    // CHECK: {{.*}}diag_macro_loop.c:[[@LINE+1]]:5: error: parallel loop increment 'i *= 2' is not in canonical form
    PFOR_BAD(n) a[i] = 1.0;
    PAR_FOR(j, n,
            if (a[j] < 0)
                // CHECK: {{.*}}diag_macro_loop.c:[[@LINE+1]]:17: error: 'break' leaves the parallel loop
                break;
            a[j] = 2.0;)
    // CHECK: {{.*}}diag_macro_loop.c:[[@LINE+1]]:5: error: 'nosuch' in 'reduction' clause is not a variable visible here
    PSUM(s, n);
    // CHECK: {{.*}}diag_macro_loop.c:[[@LINE+1]]:5: error: reduction variable 'a'
    PFOR_RED(a, n) s += 3.0;
}
