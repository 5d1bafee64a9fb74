// This file handles a diagnostic test: the clauses of simd, for simd, parallel for simd and
// declare simd are checked (unknown clause, bad safelen/simdlen/collapse, order, if modifier,
// missing arguments) even though the hints are dropped; linear on for simd is refused.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
void f(int n, double *a, int j)
{
    // CHECK: {{.*}}simd_diag_clauses.c:[[@LINE+1]]:22: error: unknown clause 'vectorize' on '#pragma omp simd'
    #pragma omp simd vectorize
    for (int i = 0; i < n; i++) a[i] = 0;
    // CHECK: {{.*}}simd_diag_clauses.c:[[@LINE+1]]:30: error: safelen needs a positive integer constant, found '0'
    #pragma omp simd safelen(0)
    for (int i = 0; i < n; i++) a[i] = 0;
    // CHECK: {{.*}}simd_diag_clauses.c:[[@LINE+2]]:30: error: simdlen needs a positive integer constant, found '-2'
    // CHECK: {{.*}}simd_diag_clauses.c:[[@LINE+1]]:43: error: collapse needs a positive integer constant from 1 to 8, found '9'
    #pragma omp simd simdlen(-2) collapse(9)
    for (int i = 0; i < n; i++) a[i] = 0;
    // CHECK: {{.*}}simd_diag_clauses.c:[[@LINE+1]]:28: error: unknown order 'random'; expected order(concurrent)
    #pragma omp simd order(random)
    for (int i = 0; i < n; i++) a[i] = 0;
    // CHECK: {{.*}}simd_diag_clauses.c:[[@LINE+1]]:25: error: if-clause modifier 'parallel' does not apply to 'simd'; write if(simd: expr) or if(expr)
    #pragma omp simd if(parallel: n > 4)
    for (int i = 0; i < n; i++) a[i] = 0;
    // CHECK: {{.*}}simd_diag_clauses.c:[[@LINE+1]]:22: error: expected '(' after 'aligned'; write aligned(...)
    #pragma omp simd aligned
    for (int i = 0; i < n; i++) a[i] = 0;
    // CHECK: {{.*}}simd_diag_clauses.c:[[@LINE+1]]:35: error: 'linear' clause on '#pragma omp parallel for simd' is not supported yet; remove it and compute the variable from the loop variable in the body
    #pragma omp parallel for simd linear(j:2)
    for (int i = 0; i < n; i++) a[i] = j;
    // CHECK: {{.*}}simd_diag_clauses.c:[[@LINE+1]]:43: error: safelen needs a positive integer constant, found '0x0'
    #pragma omp parallel for simd safelen(0x0)
    for (int i = 0; i < n; i++) a[i] = 0;
    // CHECK: {{.*}}simd_diag_clauses.c:[[@LINE+1]]:30: error: unknown clause 'safelen' on '#pragma omp parallel for'; expected one of
    #pragma omp parallel for safelen(4)
    for (int i = 0; i < n; i++) a[i] = 0;
}
// CHECK: {{.*}}simd_diag_clauses.c:[[@LINE+1]]:37: error: unknown clause 'branchy' on '#pragma omp declare simd'
#pragma omp declare simd uniform(a) branchy
double g(double *a);
