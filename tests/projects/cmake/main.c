/* This file is the CMake test project's program. */
#include <stdio.h>

#include "kern.h"

int main(void) {
    long best;
    long long total;
    collatz_stats(300000, &best, &total);
    printf("collatz max steps: %ld\n", best);
    printf("collatz total steps: %lld\n", total);
    return 0;
}
