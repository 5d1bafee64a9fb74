/* This file handles `#pragma omp parallel for simd` with the worksharing
 * clauses (reduction, schedule, collapse, lastprivate, private) and the
 * simd-only hints (aligned, safelen, simdlen, nontemporal,
 * order(concurrent), if(simd: ...)), which weft accepts and drops; every
 * result is exact, so it matches the serial build at any thread count. */
#include <stdio.h>

#define N 1000

int main(void)
{
    static float x[N] __attribute__((aligned(64)));
    static float y[N] __attribute__((aligned(64)));
    static int m[40][50];
    for (int i = 0; i < N; i++) {
        x[i] = (float)(i % 10);
        y[i] = 1.0f;
    }

#pragma omp parallel for simd aligned(x, y : 64) safelen(8) simdlen(8) schedule(static)
    for (int i = 0; i < N; i++)
        y[i] = 2.0f * x[i] + y[i];

    long sum = 0;
    int last = -1;
#pragma omp parallel for simd reduction(+ : sum) lastprivate(last) nontemporal(y) order(concurrent)
    for (int i = 0; i < N; i++) {
        sum += (long)y[i];
        last = i * 3;
    }
    printf("saxpy %ld last %d\n", sum, last);

    long cs = 0;
    int t;
#pragma omp parallel for simd collapse(2) reduction(+ : cs) private(t) safelen(4) schedule(dynamic, 7) if(simd : 1)
    for (int i = 0; i < 40; i++)
        for (int j = 0; j < 50; j++) {
            t = i * j;
            m[i][j] = t % 11;
            cs += t;
        }
    long check = 0;
    for (int i = 0; i < 40; i++)
        for (int j = 0; j < 50; j++)
            check += m[i][j];
    printf("collapse %ld %ld\n", cs, check);

    double mx = 0;
#pragma omp parallel for simd reduction(max : mx) simdlen(4) num_threads(3)
    for (int i = 0; i < N; i++)
        if (x[i] * (i % 7) > mx)
            mx = x[i] * (i % 7);
    printf("max %.1f\n", mx);
    return 0;
}
