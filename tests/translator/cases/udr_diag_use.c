// This file handles a diagnostic test: 'reduction(id: x)' with a
// user-defined id that no visible 'declare reduction' declares (H27):
// never declared, and declared in a block that has ended.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
struct v2 {
    int x, y;
};
int f(int n)
{
    struct v2 s = {0, 0};
    {
#pragma omp declare reduction(vadd : struct v2 : omp_out.x += omp_in.x)
        s.y = 1;
    }
    // CHECK: {{.*}}udr_diag_use.c:[[@LINE+1]]:40: error: unknown reduction operator 'vadd'; expected one of + * - & | ^ && || min max, or an identifier that a visible 'declare reduction' declares
    #pragma omp parallel for reduction(vadd : s)
    for (int i = 0; i < n; i++)
        s.x += i;
    // CHECK: {{.*}}udr_diag_use.c:[[@LINE+1]]:40: error: unknown reduction operator 'vmul'; expected one of + * - & | ^ && || min max, or an identifier that a visible 'declare reduction' declares
    #pragma omp parallel for reduction(vmul : s)
    for (int i = 0; i < n; i++)
        s.x *= i;
    return s.x;
}
