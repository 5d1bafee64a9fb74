/* This file handles an end-to-end check (H30, from the OpenMP Examples
 * sweep) of order(concurrent) on worksharing loops, OpenMP 5.0 and 5.1:
 * plain, unconstrained, and reproducible, where a `for nowait` and the
 * next `for` over the same range hand each index to the same thread, so
 * the second loop may read what the first wrote without a barrier. */
#include <stdio.h>

#define N 4099

static double src[N], dst[N], acc[N];

static void scale(double f, int n) {
#pragma omp parallel for order(concurrent)
    for (int i = 0; i < n; i++)
        dst[i] = src[i] * f + 1.0;
}

static void chained(int n) {
#pragma omp parallel
    {
#pragma omp for order(reproducible : concurrent) nowait
        for (int i = 0; i < n; i++)
            acc[i] = dst[i] * 0.5;
            /* Same iteration count and schedule as above: each thread reads
             * only the elements it wrote in the previous loop. */
#pragma omp for order(reproducible : concurrent) schedule(static)
        for (int i = 0; i < n; i++)
            acc[i] += (double)i;
#pragma omp for order(unconstrained : concurrent) schedule(dynamic, 7)
        for (int i = 0; i < n; i++)
            dst[i] = acc[i] - dst[i];
    }
}

int main(void) {
    for (int i = 0; i < N; i++)
        src[i] = (double)((i * 37) % 101) - 50.0;
    scale(2.5, N);
    chained(N);
    long total = 0;
    for (int i = 0; i < N; i++)
        total += (long)(dst[i] * 4.0) * (i % 13 + 1);
    printf("total=%ld dst0=%.3f dstN=%.3f\n", total, dst[0], dst[N - 1]);
    return 0;
}
