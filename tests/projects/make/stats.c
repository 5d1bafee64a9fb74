/* This file holds the make test project's kernels: parallel loops with
 * reductions, integer results so serial and parallel builds print the
 * same thing. */
#include "stats.h"

static int is_prime(long v) {
    if (v < 2)
        return 0;
    for (long d = 2; d * d <= v; d++)
        if (v % d == 0)
            return 0;
    return 1;
}

long count_primes(long lo, long hi) {
    long count = 0;
#pragma omp parallel for reduction(+ : count) schedule(dynamic, 64)
    for (long v = lo; v < hi; v++)
        count += is_prime(v);
    return count;
}

long long sum_of_squares(const int *x, long n) {
    long long s = 0;
#pragma omp parallel for reduction(+ : s)
    for (long i = 0; i < n; i++)
        s += (long long)x[i] * x[i];
    return s;
}
