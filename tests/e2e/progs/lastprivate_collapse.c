/* This file handles lastprivate() with collapse(2) and non-unit steps: the
 * values come from the sequentially last iteration of the collapsed space,
 * with upward and downward inner loops of different types. Collapsed loop
 * variables themselves as lastprivate: see lastprivate_collapse_loopvar.c. */
#include <stdio.h>

int main(void)
{
    int rows = 37, cols = 53;
    long cell = 0;
    int rr = -1, cc = -1;
    long sum = 0;

#pragma omp parallel for collapse(2) lastprivate(cell, rr, cc) reduction(+: sum)
    for (int r = 1; r < rows; r += 2)
        for (int c = cols; c >= 0; c -= 5) {
            cell = (long)r * 1000 + c;
            rr = r;
            cc = c;
            sum += cell;
        }
    printf("rr=%d cc=%d cell=%ld sum=%ld\n", rr, cc, cell, sum);

    unsigned long lu = 0;
#pragma omp parallel for collapse(2) lastprivate(lu)
    for (unsigned a = 0; a < 10u; a += 3)
        for (unsigned long b = 100; b > 40; b -= 20)
            lu = a * 1000ul + b;
    printf("lu=%lu\n", lu);
    return 0;
}
