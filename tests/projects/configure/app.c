/* This file is the configure test project's program: uses what configure
 * found (config.h) and one parallel loop. */
#include <stdio.h>

#include "config.h"

int main(void) {
    long n = 1000000, hits = 0;
#pragma omp parallel for reduction(+ : hits)
    for (long i = 0; i < n; i++)
        hits += (i % 7 == 3);
    printf("hits: %ld\n", hits);
    printf("openmp: %s\n", HAVE_OPENMP ? "yes" : "no");
    printf("have sqrt in -lm: %s\n", HAVE_LIBM_SQRT ? "yes" : "no");
    printf("have no_such_function: %s\n", HAVE_NO_SUCH_FUNCTION ? "yes" : "no");
    return 0;
}
