/* This file handles signed loops whose range is wider than the signed type
 * itself (from INT_MIN up past 0 to near INT_MAX, from LONG_MIN to near
 * LONG_MAX, from INT_MAX down to near INT_MIN): ub - lb does not fit the
 * variable's type, so the trip count must be computed in its unsigned
 * counterpart. No loop overflows its variable. */
// E2E-OMPCC: clang (gcc 12 -fopenmp computes ub - lb in the signed type and runs none of these loops)
#include <stdio.h>
#include <limits.h>

int main(void)
{
    long s2 = 0, s6 = 0, s7 = 0;
#pragma omp parallel for reduction(+: s2)
    for (int i = INT_MIN; i < INT_MAX - (1 << 24); i += 1 << 24)
        s2 += i / 1024;
#pragma omp parallel for reduction(+: s6)
    for (long l = LONG_MIN; l < LONG_MAX - (1L << 58); l += 1L << 58)
        s6 += l >> 50;
#pragma omp parallel for reduction(+: s7)
    for (int i = INT_MAX; i > INT_MIN + (1 << 30); i -= 1 << 30)
        s7 += i % 1000;
    printf("%ld %ld %ld\n", s2, s6, s7);
    return 0;
}
