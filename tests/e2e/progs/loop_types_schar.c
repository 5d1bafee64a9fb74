/* This file handles signed char loop variables with a negative lower bound
 * and upward and downward steps. */
// E2E-OMPCC: clang (gcc 12 -fopenmp runs zero iterations of `for (signed char c = -100; c < 100; c += 3)`)
#include <stdio.h>

static long out[256];

int main(void)
{
#pragma omp parallel for
    for (signed char c = -100; c < 100; c += 3)
        out[c + 100] = c;
#pragma omp parallel for
    for (signed char c = 120; c >= -120; c--)
        out[c + 128] += c * 2;
    unsigned long h = 0;
    for (int i = 0; i < 256; i++)
        h = h * 31 + (unsigned long)out[i];
    printf("signed char %lu\n", h);
    return 0;
}
