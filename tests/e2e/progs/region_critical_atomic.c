/* This file handles critical (unnamed and named) and every atomic form
 * (read, write, update, capture) on int, long, double and long double. */
#include <stdio.h>

int main(void)
{
    enum { N = 4000 };
    int ci = 0, hits = 0;
    long cl = 0, lo = 0;
    double cd = 0, named = 0;
    long double ld = 0;
    long caps = 0;
    int maxv = 0, flag = 0;
    unsigned mask = 0;
#pragma omp parallel
    {
#pragma omp for
        for (int i = 0; i < N; i++) {
#pragma omp critical
            {
                ci += i % 3;
                if (i % 7 == 0)
                    hits++;
            }
#pragma omp critical(accum)
            named += 0.5;
#pragma omp atomic
            cl += i;
#pragma omp atomic update
            cd += 0.25;
#pragma omp atomic
            ld += 1.5L;
#pragma omp atomic
            lo = lo + 2;
#pragma omp atomic
            mask |= 1u << (i % 32);
            long old;
#pragma omp atomic capture
            old = lo++;
            (void)old;
            long nw;
#pragma omp atomic capture
            { nw = caps; caps += 3; }
            (void)nw;
            int v;
#pragma omp atomic read
            v = maxv;
            if (i > v) {
#pragma omp critical(maxv)
                {
                    int cur;
#pragma omp atomic read
                    cur = maxv;
                    if (i > cur) {
#pragma omp atomic write
                        maxv = i;
                    }
                }
            }
        }
#pragma omp atomic write
        flag = 7;
    }
    double dd = 0;
#pragma omp parallel for
    for (int i = 0; i < N; i++) {
#pragma omp atomic
        dd = dd + 0.125;
    }
    printf("ci=%d hits=%d named=%.1f cl=%ld cd=%.2f ld=%.1Lf lo=%ld mask=%x "
           "caps=%ld maxv=%d flag=%d dd=%.3f\n",
           ci, hits, named, cl, cd, ld, lo, mask, caps, maxv, flag, dd);
    return 0;
}
