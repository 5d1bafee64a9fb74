/* This file is the CMake test project's program. */
#include <stdio.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "kern.h"

int main(void) {
    long best;
    long long total;
    collatz_stats(300000, &best, &total);
    printf("collatz max steps: %ld\n", best);
    printf("collatz total steps: %lld\n", total);
#ifdef _OPENMP
    printf("threads available: %s\n", omp_get_max_threads() >= 1 ? "yes" : "no");
#else
    printf("threads available: yes\n");
#endif
    return 0;
}
