/* This file handles a parallel region with several worksharing loops:
 * `for nowait` into separate arrays, a barrier, then `for` loops with
 * reductions (into a region-shared variable and into the region's own
 * reduction), and private/firstprivate/shared clauses on the region. */
#include <stdio.h>

int main(void)
{
    enum { N = 5000 };
    static double a[N], b[N];
    double dot = 0, norm = 0;
    long cnt = 0;
    int i, scale = 3, tmp = -1;
#pragma omp parallel shared(a, b) firstprivate(scale) private(tmp) reduction(+:cnt)
    {
        tmp = scale * 2;
#pragma omp for nowait
        for (i = 0; i < N; i++)
            a[i] = (i % 17) * 0.25 * scale;
#pragma omp for schedule(static, 7) nowait
        for (i = 0; i < N; i++)
            b[i] = (i % 5) + 1.0;
#pragma omp barrier
#pragma omp for reduction(+:dot) schedule(dynamic, 64)
        for (i = 0; i < N; i++)
            dot += a[i] * b[i];
#pragma omp for reduction(max:norm)
        for (int j = 0; j < N; j++)
            if (a[j] > norm)
                norm = a[j];
#pragma omp for
        for (i = 0; i < N; i++)
            cnt += tmp == 6;
    }
    printf("dot=%.3f norm=%.3f cnt=%ld\n", dot, norm, cnt);
    return 0;
}
