// This file handles a diagnostic test: malformed and conflicting
// 'declare reduction' directives (H27): a redeclaration of the same
// identifier and type in one scope, a built-in operator redefined for an
// arithmetic type, a missing combiner, and a stray clause.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
struct v2 {
    int x, y;
};
#pragma omp declare reduction(vadd : struct v2 : omp_out.x += omp_in.x)
// CHECK: {{.*}}udr_diag_decl.c:[[@LINE+1]]:38: error: reduction 'vadd' for type 'struct v2' is already declared in this scope (line 10)
#pragma omp declare reduction(vadd : struct v2 : omp_out.y += omp_in.y)
// CHECK: {{.*}}udr_diag_decl.c:[[@LINE+1]]:35: error: 'declare reduction(+ : int ...)' redefines a built-in reduction for an arithmetic type; pick another name
#pragma omp declare reduction(+ : int : omp_out += omp_in)
// CHECK: {{.*}}udr_diag_decl.c:[[@LINE+1]]:50: error: 'declare reduction(nocomb ...)' has no combiner; write it with omp_out and omp_in after the type
#pragma omp declare reduction(nocomb : struct v2 :)
// CHECK: {{.*}}udr_diag_decl.c:[[@LINE+1]]:67: error: expected 'initializer(omp_priv = expr)' or nothing after 'declare reduction(...)'
#pragma omp declare reduction(other : struct v2 : omp_out.x += 1) nowait

int f(int n)
{
    /* A block scope may declare the file scope's identifier again. */
#pragma omp declare reduction(vadd : struct v2 : omp_out.x += omp_in.x)
    struct v2 s = {0, 0};
#pragma omp parallel for reduction(vadd : s)
    for (int i = 0; i < n; i++)
        s.x += i;
    return s.x;
}
