// This file handles a diagnostic test: an unknown clause on a construct other than 'parallel for' names that construct (not 'parallel for').
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
void f(int n, int *a)
{
    #pragma omp parallel
    {
        // CHECK: {{.*}}diag_region_unknown_clause.c:[[@LINE+1]]:28: error: unknown clause 'bogus' on '#pragma omp single'
        #pragma omp single bogus(3)
        a[0] = n;
    }
}
