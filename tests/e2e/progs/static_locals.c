/* This file handles static local variables used in the body: a static
 * array written by every iteration, a static scalar read in the body, and a
 * static local used as a reduction variable; they keep their values across
 * calls of the function. */
#include <stdio.h>

static long step(int n)
{
    static int table[1000];
    static int calls = 0;
    static long acc = 0;
    calls++;
#pragma omp parallel for
    for (int i = 0; i < n; i++)
        table[i] += i * calls;
#pragma omp parallel for reduction(+: acc)
    for (int i = 0; i < n; i++)
        acc += table[i] % 97;
    return acc;
}

int main(void)
{
    long r1 = step(1000);
    long r2 = step(500);
    long r3 = step(1000);
    printf("%ld %ld %ld\n", r1, r2, r3);
    return 0;
}
