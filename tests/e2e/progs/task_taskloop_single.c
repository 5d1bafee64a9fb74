/* This file handles taskloop written directly inside single in a parallel
 * region (the usual pattern): arrays and a scalar the region shares, a
 * reduction into a region-shared variable, a firstprivate of a
 * region-shared scalar that the region changes afterwards, a loop variable
 * declared before the region, and a second taskloop in master whose tasks
 * the team's closing barrier completes. */
#include <stdio.h>

#define N 3000

int main(void)
{
    static double x[N], y[N];
    long isum = 0;
    int k = 4, i;
    double alpha = 0.5;
#pragma omp parallel shared(x, y, isum, k)
    {
#pragma omp single
        {
#pragma omp taskloop grainsize(200)
            for (i = 0; i < N; i++)
                x[i] = (double)(i % 100) * alpha;
#pragma omp taskloop reduction(+: isum) num_tasks(13)
            for (i = 0; i < N; i++)
                isum += (long)x[i] * 2 + (i & 3);
#pragma omp taskloop firstprivate(k) nogroup
            for (i = 0; i < N; i++)
                y[i] = x[i] + k;
            k = 50; /* the nogroup tasks keep k == 4 */
        }
        /* single's barrier completes the nogroup tasks */
#pragma omp master
        {
#pragma omp taskloop shared(y) nogroup
            for (int j = 0; j < N; j += 2)
                y[j] *= 2;
        }
    }
    double s = 0;
    for (int j = 0; j < N; j++)
        s += y[j] * (j % 3 + 1);
    printf("isum=%ld s=%.1f k=%d\n", isum, s, k);
    return 0;
}
