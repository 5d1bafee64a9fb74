/* This file handles schedule(runtime): the harness runs it with OMP_SCHEDULE
 * unset and set to several kinds, chunk sizes and modifiers; the result must
 * never depend on the schedule. */
// E2E-SCHEDULES: static static,3 dynamic dynamic,7 guided guided,4 auto monotonic:dynamic,2 nonmonotonic:guided,3
#include <stdio.h>

int main(void)
{
    enum { N = 12345 };
    static int a[N];
    int n = N;
    long total = 0;

#pragma omp parallel for schedule(runtime)
    for (int i = 0; i < n; i++)
        a[i] = (i % 97) * (i % 13);

#pragma omp parallel for schedule(runtime) reduction(+: total)
    for (int i = 0; i < n; i++)
        total += a[i] - 40;

    unsigned h = 0;
    for (int i = 0; i < n; i++)
        h = h * 131u + (unsigned)a[i];
    printf("runtime total=%ld hash=%u\n", total, h);
    return 0;
}
