// This file handles a diagnostic test of cluster loops: calls through function pointers (a parameter, const globals, a cast) in a cluster loop body; a const global table is fine.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
double sq(double);
static double (*const tbl[2])(double) = {sq, sq};
static double (*const one)(double) = sq;
static const double tab[2] = {1, 2};
void f(int n, double *a, double (*fn)(double))
{
    #pragma weft parallel for cluster map(from: a[i])
    for (int i = 0; i < n; i++)
        a[i] = fn(i) + sq(i);
}
void g(int n, double *a)
{
    #pragma weft parallel for cluster map(from: a[i])
    for (int i = 0; i < n; i++)
        a[i] = tab[i & 1] + one(i) + tbl[i & 1](i) + ((double (*)(double))sq)(i);
}
// CHECK: {{.*}}cluster_diag_fnptr.c:12:16: error: the body of a cluster loop uses the function pointer 'fn'; a function address means nothing on another machine: call the function by its name
// CHECK: {{.*}}cluster_diag_fnptr.c:18:29: error: the body of a cluster loop calls a function through 'one'; a function address means nothing on another machine: call the function by its name
// CHECK: {{.*}}cluster_diag_fnptr.c:18:38: error: the body of a cluster loop calls a function through 'an expression'; a function address means nothing on another machine: call the function by its name
// CHECK: {{.*}}cluster_diag_fnptr.c:18:55: error: the body of a cluster loop calls a function through 'an expression'; a function address means nothing on another machine: call the function by its name
