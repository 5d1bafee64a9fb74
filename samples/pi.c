/* This file handles the pi sample: pi as the integral of 4/(1+x^2) over
 * [0, 1] by the midpoint rule, one parallel loop with reduction(+).
 *
 * Usage: pi [STEPS]   (default 200000000, at most 2^29)
 * Each term is rounded once to a fixed-point integer (units of 2^-32) and
 * the integers are summed. Integer addition is associative, so the printed
 * result is the same for every thread count and schedule, unlike a double
 * sum whose last digits depend on the order of the additions. The rounding
 * costs at most 2^-33 per term, and the sum is multiplied by h = 1/STEPS,
 * so pi is off by at most 2^-33 from the rule's own value.
 * stdout: the fixed-point sum and pi; stderr: the elapsed time. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* Fixed-point unit 2^32: with terms below 4, STEPS * 4 * 2^32 stays below
 * 2^63 for STEPS up to MAX_STEPS, so the integer sum cannot overflow. */
#define FIX_ONE 4294967296.0
#define MAX_STEPS (1L << 29)

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    long steps = argc > 1 ? atol(argv[1]) : 200000000L;
    if (steps < 1 || steps > MAX_STEPS) {
        fprintf(stderr, "usage: %s [STEPS in 1..%ld]\n", argv[0], MAX_STEPS);
        return 2;
    }
    double h = 1.0 / (double)steps;
    double t0 = now();
    long long fixed = 0;
#pragma omp parallel for reduction(+ : fixed)
    for (long i = 0; i < steps; i++) {
        double x = ((double)i + 0.5) * h;
        fixed += llrint(4.0 / (1.0 + x * x) * FIX_ONE);
    }
    double t1 = now();
    double pi = (double)fixed / FIX_ONE * h;
    printf("pi steps=%ld: fixed=%lld pi=%.10f\n", steps, fixed, pi);
    fprintf(stderr, "time: %.3f s\n", t1 - t0);
    return 0;
}
