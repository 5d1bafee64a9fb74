/* This file handles reduction(-): OpenMP combines the partials with +, so
 * `x -= v` in the body subtracts every v exactly once. */
#include <stdio.h>

int main(void)
{
    int n = 77777;
    long d = 1000000000;
    int e = 0;
    double f = 0.0;

#pragma omp parallel for reduction(-: d)
    for (int i = 0; i < n; i++)
        d -= i % 1000;
#pragma omp parallel for reduction(-: e, f)
    for (int i = 0; i < n; i++) {
        e -= (i & 1) ? 3 : -2;
        f -= (double)(i % 64) * 0.25;
    }
    printf("d=%ld e=%d f=%.17g\n", d, e, f);
    return 0;
}
