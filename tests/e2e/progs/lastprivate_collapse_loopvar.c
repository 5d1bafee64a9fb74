/* This file handles lastprivate() of the loop variables of a collapse(2)
 * nest with non-unit steps, declared before the nest: afterwards both hold
 * the values they have after the sequential nest (r one step past its
 * bound, c one step past its bound in the last outer iteration). */
#include <stdio.h>

int main(void)
{
    int rows = 37, cols = 53;
    int r, c;
    long sum = 0;

#pragma omp parallel for collapse(2) lastprivate(r, c) reduction(+: sum)
    for (r = 1; r < rows; r += 2)
        for (c = cols; c >= 0; c -= 5)
            sum += (long)r * 1000 + c;
    printf("r=%d c=%d sum=%ld\n", r, c, sum);
    return 0;
}
