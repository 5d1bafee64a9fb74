/* This file handles lastprivate() with collapse(2) and non-unit steps: the
 * values come from the last iteration of the collapsed space, and both loop
 * variables (declared before the nest) hold their final values. */
#include <stdio.h>

int main(void)
{
    int rows = 37, cols = 53;
    int r, c;
    long cell = 0;
    long sum = 0;

#pragma omp parallel for collapse(2) lastprivate(r, c, cell) reduction(+: sum)
    for (r = 1; r < rows; r += 2)
        for (c = cols; c >= 0; c -= 5) {
            cell = (long)r * 1000 + c;
            sum += cell;
        }
    printf("r=%d c=%d cell=%ld sum=%ld\n", r, c, cell, sum);

    unsigned long lu = 0;
#pragma omp parallel for collapse(2) lastprivate(lu)
    for (unsigned a = 0; a < 10u; a += 3)
        for (unsigned long b = 100; b > 40; b -= 20)
            lu = a * 1000ul + b;
    printf("lu=%lu\n", lu);
    return 0;
}
