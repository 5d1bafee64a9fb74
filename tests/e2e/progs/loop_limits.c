/* This file handles loop bounds near the limits of their types: INT_MAX,
 * UINT_MAX, LONG_MAX, LONG_MIN and ULONG_MAX, where a trip count computed
 * as ub - lb + step in the variable's own type would overflow. Every loop
 * stops without overflowing its variable, so the serial build is defined.
 * Ranges wider than the signed type itself: see loop_limits_span.c. */
#include <stdio.h>
#include <limits.h>

int main(void)
{
    long s1 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0;
    unsigned long s8 = 0;

#pragma omp parallel for reduction(+: s1)
    for (int i = INT_MAX - 100; i < INT_MAX; i++)
        s1 += INT_MAX - i;
#pragma omp parallel for reduction(+: s3)
    for (unsigned u = UINT_MAX - 50; u < UINT_MAX; u++)
        s3 += (long)(UINT_MAX - u);
#pragma omp parallel for reduction(+: s4)
    for (unsigned u = UINT_MAX; u >= 1u << 26; u -= 1u << 26)
        s4 += (long)(u >> 20);
#pragma omp parallel for reduction(+: s5)
    for (long l = LONG_MAX - 1000; l <= LONG_MAX - 1; l += 10)
        s5 += LONG_MAX - l;
#pragma omp parallel for reduction(+: s6)
    for (long l = LONG_MIN + 5; l > LONG_MIN; l--)
        s6 += l - LONG_MIN;
#pragma omp parallel for reduction(^: s8)
    for (unsigned long v = ULONG_MAX; v > ULONG_MAX - 40; v--)
        s8 ^= v * 31;
    printf("%ld %ld %ld\n%ld %ld %lu\n", s1, s3, s4, s5, s6, s8);
    return 0;
}
