/* This file handles several parallel loops in one function, each depending
 * on the results of the previous one, with the same loop variable name and
 * different clauses, in a Jacobi-like sequence of sweeps. */
#include <stdio.h>

int main(void)
{
    enum { N = 4000, SWEEPS = 20 };
    static long a[N], b[N];
    int n = N;
#pragma omp parallel for
    for (int i = 0; i < n; i++)
        a[i] = (i * 37) % 1000;
    for (int t = 0; t < SWEEPS; t++) {
#pragma omp parallel for schedule(static, 64)
        for (int i = 1; i < n - 1; i++)
            b[i] = (a[i - 1] + 2 * a[i] + a[i + 1]) / 4;
#pragma omp parallel for schedule(dynamic, 32)
        for (int i = 1; i < n - 1; i++)
            a[i] = b[i] + (t & 1);
    }
    long s = 0;
#pragma omp parallel for reduction(+: s)
    for (int i = 0; i < n; i++)
        s += a[i] * (i % 11);
    long mx = 0;
#pragma omp parallel for reduction(max: mx)
    for (int i = 0; i < n; i++)
        mx = a[i] > mx ? a[i] : mx;
    printf("s=%ld max=%ld\n", s, mx);
    return 0;
}
