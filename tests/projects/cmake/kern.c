/* This file holds the CMake test project's kernel, built into a static
 * library: a parallel loop with max and sum reductions. */
#include "kern.h"

static long steps(long long v) {
    long s = 0;
    while (v != 1) {
        v = (v % 2) ? 3 * v + 1 : v / 2;
        s++;
    }
    return s;
}

void collatz_stats(long n, long *max_steps, long long *total_steps) {
    long best = 0;
    long long total = 0;
#pragma omp parallel for reduction(max : best) reduction(+ : total) \
    schedule(guided)
    for (long v = 1; v <= n; v++) {
        long s = steps(v);
        total += s;
        if (s > best)
            best = s;
    }
    *max_steps = best;
    *total_steps = total;
}
