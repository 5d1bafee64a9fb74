/* This file handles loops that run zero times: empty ranges for every
 * comparison, runtime bounds, and reductions (which keep their initial
 * values). Zero-trip lastprivate: see loop_zero_trip_lastprivate.c. */
#include <stdio.h>

int main(int argc, char **argv)
{
    (void)argv;
    int n = argc - 1;
    int a[4] = {1, 2, 3, 4};
    long s = 5;
    unsigned u0 = 0;

#pragma omp parallel for
    for (int i = 0; i < n; i++)
        a[0] = 100;
#pragma omp parallel for reduction(+: s)
    for (int i = 10; i < 10; i++)
        s += i;
#pragma omp parallel for reduction(*: s)
    for (int i = 10; i > 10 + n; i--)
        s *= 0;
#pragma omp parallel for
    for (unsigned u = u0; u > 0u; u--)
        a[1] = 100;
#pragma omp parallel for
    for (int i = 100; i >= 101; i -= 3)
        a[2] = 100;
#pragma omp parallel for
    for (long i = n; i != 0; i++)
        a[3] = 100;
    printf("a=%d %d %d %d s=%ld\n", a[0], a[1], a[2], a[3], s);
    return 0;
}
