/* This file handles lastprivate on worksharing constructs nested in a
 * region, of variables the region shares: scalars, an array and a struct,
 * with firstprivate of the same variable, on `for` with several schedules
 * (with and without nowait) and on `sections`. The value of the
 * sequentially last iteration (or section) must be in the region's
 * variable after the construct's barrier, for every thread to read, and in
 * the user's variable after the region. Also default(none) with a loop
 * variable declared before the region (predetermined private in the loop). */
#include <stdio.h>

struct rec {
    int idx;
    double val;
};

int main(void)
{
    enum { N = 997 };
    int last = -1, first_last = 50, sec = 0, i;
    int arr[3] = {0, 0, 0};
    struct rec r = {-1, 0.0};
    double dl = 0;
    long seen_bad = 0;
#pragma omp parallel default(none) shared(last, first_last, sec, arr, r, dl) \
    private(i) reduction(+:seen_bad)
    {
#pragma omp for lastprivate(last, arr) schedule(dynamic, 13)
        for (int k = 0; k < N; k++) {
            last = k * 3;
            arr[0] = k;
            arr[1] = k + 1;
            arr[2] = k * k;
        }
        /* after the barrier every thread reads the last iteration's */
        seen_bad += last != (N - 1) * 3 || arr[2] != (N - 1) * (N - 1);
#pragma omp barrier
#pragma omp for firstprivate(first_last) lastprivate(first_last) schedule(guided)
        for (int k = 0; k < N; k++)
            if (k == N - 1)
                first_last += k; /* starts from the value before the loop */
#pragma omp for lastprivate(r, dl) schedule(static, 5) nowait
        for (i = 0; i < N; i++) {
            r.idx = i;
            r.val = i * 0.5;
            dl = i * 0.25;
        }
#pragma omp sections lastprivate(sec)
        {
#pragma omp section
            sec = 1;
#pragma omp section
            sec = 2;
#pragma omp section
            sec = 3;
        }
        seen_bad += sec != 3;
    }
    printf("last=%d arr={%d,%d,%d} first_last=%d r={%d,%.1f} dl=%.2f sec=%d "
           "seen_bad=%ld\n",
           last, arr[0], arr[1], arr[2], first_last, r.idx, r.val, dl, sec,
           seen_bad);
    return 0;
}
