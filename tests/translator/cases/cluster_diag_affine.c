// This file handles a diagnostic test of cluster loops: from/tofrom sections that are not affine, lengths and to sections that depend on the loop variable.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
int g(int);
void f(int n, int w, double *a, double *b, double *c)
{
    #pragma weft parallel for cluster map(from: a[i * i]) map(tofrom: b[g(i)]) map(from: c[i / 2])
    for (int i = 0; i < n; i++) {
        a[i * i] = 1;
        b[g(i)] += 1;
        c[i / 2] = 2;
    }
    #pragma weft parallel for cluster map(from: a[i * w : i]) map(to: b[i:w]) map(from: c[w])
    for (int i = 0; i < n; i++)
        a[i * w] = b[i] + c[w];
}
// CHECK: {{.*}}cluster_diag_affine.c:7:50: error: the 'from' section 'a[i * i]' is not affine in the loop variable 'i' (the loop variable is multiplied by itself); write its start as a*i + b with a and b free of 'i'
// CHECK: {{.*}}cluster_diag_affine.c:7:72: error: the 'tofrom' section 'b[g(i)]' is not affine in the loop variable 'i' (the loop variable is used in a function call); write its start as a*i + b with a and b free of 'i'
// CHECK: {{.*}}cluster_diag_affine.c:7:91: error: the 'from' section 'c[i / 2]' is not affine in the loop variable 'i' (the loop variable is divided); write its start as a*i + b with a and b free of 'i'
// CHECK: {{.*}}cluster_diag_affine.c:13:50: error: the length of the 'from' section of 'a' depends on the loop variable 'i'; every iteration's slice must have the same length
// CHECK: {{.*}}cluster_diag_affine.c:13:72: error: 'to' section of 'b' depends on the loop variable 'i'; a 'to' section is sent whole: name the whole range the loop reads, like b[0:n]
// CHECK: {{.*}}cluster_diag_affine.c:13:90: error: the 'from' section of 'c' does not use the loop variable 'i'; each iteration must name the slice it writes, like c[i] or c[i*w:w]
