/* This file handles negative steps and runtime steps (positive and
 * negative, from arguments the compiler cannot see), steps larger than the
 * range, and steps whose last iteration lands exactly on the bound. */
#include <stdio.h>
#include <stdlib.h>

static long run(int lb, int ub, int step)
{
    long s = 0;
    if (step > 0) {
#pragma omp parallel for reduction(+: s)
        for (int i = lb; i < ub; i += step)
            s += (long)i * i + 1;
    } else {
#pragma omp parallel for reduction(+: s)
        for (int i = lb; i > ub; i += step)
            s += (long)i * 3 - 1;
    }
    return s;
}

int main(int argc, char **argv)
{
    int extra = argc > 1 ? atoi(argv[1]) : 0;
    int steps[] = {1, 2, 3, 7, 64, 1000, 5000, -1, -2, -5, -999, -5000};
    for (unsigned t = 0; t < sizeof steps / sizeof steps[0]; t++) {
        int st = steps[t] + extra;
        long s = st > 0 ? run(-1000, 4000, st) : run(4000, -1000, st);
        printf("step %d: %ld\n", st, s);
    }
    long exact = 0;
    int step = 5 + extra;
#pragma omp parallel for reduction(+: exact)
    for (int i = 0; i <= 100; i += step)
        exact += i;
    printf("exact landing %ld\n", exact);
    long neg = 0;
#pragma omp parallel for reduction(+: neg)
    for (long i = 100; i >= -100; i -= step)
        neg += i * i;
    printf("negative long %ld\n", neg);
    return 0;
}
