// This file handles a diagnostic test of clause forms newer OpenMP allows (H30): order(...) on for and parallel for (an unknown order or modifier, two order clauses, reproducible with a schedule that is not static) and OpenMP 6.0's num_threads list.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
void f(int n, int *a)
{
    // CHECK: {{.*}}diag_order_clause.c:[[@LINE+1]]:30: error: order(reproducible: concurrent) needs a reproducible schedule: use schedule(static) or no schedule clause
    #pragma omp parallel for order(reproducible: concurrent) schedule(dynamic)
    for (int i = 0; i < n; i++)
        a[i] = i;
    // CHECK: {{.*}}diag_order_clause.c:[[@LINE+1]]:36: error: unknown order modifier 'sometimes'; expected reproducible or unconstrained
    #pragma omp parallel for order(sometimes: concurrent)
    for (int i = 0; i < n; i++)
        a[i] = i;
    // CHECK: {{.*}}diag_order_clause.c:[[@LINE+1]]:48: error: more than one 'order' clause; keep one
    #pragma omp parallel for order(concurrent) order(concurrent)
    for (int i = 0; i < n; i++)
        a[i] = i;
    #pragma omp parallel
    {
    // CHECK: {{.*}}diag_order_clause.c:[[@LINE+1]]:27: error: unknown order 'serial'; expected order(concurrent)
    #pragma omp for order(serial)
    for (int i = 0; i < n; i++)
        a[i] = i;
    }
    // CHECK: {{.*}}diag_order_clause.c:[[@LINE+1]]:39: error: a list in num_threads(...) (one count per nesting level, OpenMP 6.0) is not supported yet; give one count and call omp_set_num_threads() in the region for the next level
    #pragma omp parallel num_threads(8, 2)
    a[0] = 1;
    // A comma inside parentheses is one expression.
    #pragma omp parallel num_threads((n, 2))
    a[1] = 1;
}
