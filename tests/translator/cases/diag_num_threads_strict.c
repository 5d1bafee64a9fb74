// This file handles a diagnostic test: OpenMP 6.0's `strict:` modifier of
// num_threads is refused at the clause (it would otherwise reach the
// compiler as an undeclared name); a conditional expression is not one.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
void f(int *a, int n)
{
    // CHECK: {{.*}}diag_num_threads_strict.c:[[@LINE+1]]:38: error: num_threads modifier 'strict' (OpenMP 6.0) is not supported yet; write num_threads(n)
    #pragma omp parallel num_threads(strict: 4)
    a[0] = n;
    #pragma omp parallel for num_threads(n > 2 ? 2 : 1)
    for (int i = 0; i < n; i++)
        a[i] = i;
}
