// This file handles a diagnostic test: a user-defined reduction used on a
// variable whose type its declaration does not list, and a built-in
// operator on a struct (H27).
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
struct v2 {
    int x, y;
};
struct v3 {
    int x, y, z;
};
#pragma omp declare reduction(vadd : struct v2, long : omp_out.x += omp_in.x)
int f(int n)
{
    struct v3 t = {0, 0, 0};
    // CHECK: {{.*}}udr_diag_type.c:[[@LINE+1]]:47: error: reduction 'vadd' is not declared for type 'struct v3' of 't'; add the type to its 'declare reduction' type list
    #pragma omp parallel for reduction(vadd : t)
    for (int i = 0; i < n; i++)
        t.x += i;
    struct v2 u = {0, 0};
    // CHECK: {{.*}}udr_diag_type.c:[[@LINE+1]]:44: error: reduction variable 'u' has type 'struct v2'; reductions need an arithmetic type (or an array section of one)
    #pragma omp parallel for reduction(+ : u)
    for (int i = 0; i < n; i++)
        u.x += i;
    return t.x + u.x;
}
