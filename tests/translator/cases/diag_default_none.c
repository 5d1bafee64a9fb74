// This file handles a diagnostic test: default(none) with a variable not listed.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
void f(int n, double *a, double k)
{
    #pragma omp parallel for default(none) shared(a) firstprivate(n)
    for (int i = 0; i < n; i++)
        // CHECK: {{.*}}diag_default_none.c:[[@LINE+1]]:20: error: variable 'k' is not listed in a data-sharing clause and the loop has default(none); add it to shared(...), firstprivate(...) or another clause
        a[i] = i * k;
}
