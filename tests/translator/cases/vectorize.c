// This file handles a golden test: the chunk function's loop keeps the serial loop's shape, so
// gcc vectorises it (-O3; gcc 12 at -O2 vectorises neither this nor the
// serial loop, which need a run-time alias check).
// RUN: %weft-translate %s -o %t && gcc -O3 -fopt-info-vec-optimized -I%inc -c %t -o %t.o 2>&1 | %FileCheck %s
void add(int n, double *a, const double *b, const double *c)
{
    #pragma omp parallel for
    for (int i = 0; i < n; i++)
        a[i] = b[i] + c[i];
}
// CHECK: vectorize.c:{{[0-9]+}}:{{[0-9]+}}: optimized: loop vectorized using
