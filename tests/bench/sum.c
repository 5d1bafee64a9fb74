/* This file handles the weft-bench tests' workload: an integer sum with a
 * reduction pragma, exact under any thread count and any order of partial
 * sums, short enough (milliseconds) to be timed many times in a test. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 1000000;
    long long s = 0;
#pragma omp parallel for reduction(+ : s)
    for (long i = 0; i < n; i++)
        s += (i * i) % 7;
    printf("n=%ld sum=%lld\n", n, s);
    return 0;
}
