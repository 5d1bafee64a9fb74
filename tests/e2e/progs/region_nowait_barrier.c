/* This file handles `for nowait` and `single nowait` followed by an
 * explicit barrier: the loops after the barrier read, for every i, what
 * other threads wrote for other indices before it (a missing barrier, or a
 * nowait that waits wrongly placed, reads stale values). The last loop
 * keeps its implied barrier and the region's end joins everything. */
#include <stdio.h>

enum { N = 3001 };
static double a[N], b[N], c[N];

int main(void)
{
    double scale = 0;
    long chk = 0;
    int stale = 0;
#pragma omp parallel reduction(+:chk) reduction(+:stale)
    {
        /* Static loops with different chunk sizes: the iterations a thread
         * writes in one loop are not those it reads in the next. */
#pragma omp for schedule(static, 5) nowait
        for (int i = 0; i < N; i++)
            a[i] = i % 97 + 1;
#pragma omp for schedule(static, 11) nowait
        for (int i = 0; i < N; i++)
            b[i] = (i % 13) * 2.0;
#pragma omp single nowait
        scale = 0.5;
#pragma omp barrier
#pragma omp for schedule(dynamic, 17) nowait
        for (int i = 0; i < N; i++) {
            /* a[] and b[] of far indices: written by other threads */
            int j = (i * 7 + 1) % N;
            if (a[j] == 0 || (j % 13 && b[j] == 0))
                stale++;
            c[i] = a[j] * scale + b[(i + N / 2) % N];
        }
#pragma omp barrier
#pragma omp for schedule(guided)
        for (int i = 0; i < N; i++)
            chk += (long)(c[(i * 11) % N] * 2) + (c[i] == 0);
    }
    printf("stale=%d chk=%ld scale=%.1f\n", stale, chk, scale);
    return 0;
}
