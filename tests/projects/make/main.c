/* This file is the make test project's program: fills an array in a
 * parallel loop, then prints results that do not depend on the number of
 * threads. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "stats.h"

int main(void) {
    long n = 100000;
    int *x = malloc((size_t)n * sizeof *x);
    if (!x)
        return 1;
#pragma omp parallel for
    for (long i = 0; i < n; i++)
        x[i] = (int)(i % 1000);
    long long s = sum_of_squares(x, n);
    printf("primes below 100000: %ld\n", count_primes(0, 100000));
    printf("sum of squares: %lld\n", s);
    printf("floor(sqrt(sum)): %ld\n", (long)floor(sqrt((double)s)));
    free(x);
    return 0;
}
