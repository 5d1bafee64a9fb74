/* This file handles single (with nowait and with copyprivate), master and
 * masked inside a region: each runs its block once per team, and
 * copyprivate hands the single thread's value to every thread. */
#include <stdio.h>

int main(void)
{
    int singles = 0, masters = 0, masked = 0, bad = 0;
    double seen_sum = 0;
    int nthreads = 0;
#pragma omp parallel reduction(+:seen_sum) reduction(|:bad)
    {
        int token = -1;
        double scale = 0;
#pragma omp single
        singles++;
#pragma omp single nowait
        singles += 10;
#pragma omp barrier
#pragma omp single copyprivate(token, scale)
        {
            token = 12345;
            scale = 0.5;
        }
        bad |= token != 12345 || scale != 0.5;
#pragma omp master
        masters++;
#pragma omp masked filter(0)
        masked += 2;
#pragma omp atomic
        nthreads++;
        seen_sum += token * scale;
    }
    printf("singles=%d masters=%d masked=%d bad=%d per-thread=%.1f\n", singles,
           masters, masked, bad, seen_sum / nthreads);
    return 0;
}
