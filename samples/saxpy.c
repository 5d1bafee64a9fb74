/* This file handles the saxpy sample, the simplest parallel loop:
 * y = a*x + y on float vectors, repeated a number of times. Every element
 * is updated independently with the same operations, so results are
 * bit-identical to the serial build.
 *
 * Usage: saxpy [N] [REPS]   (default 4000000 elements, 300 repetitions)
 * stdout: a checksum of y; stderr: the elapsed time. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void saxpy(long n, float a, const float *x, float *y) {
#pragma omp parallel for
    for (long i = 0; i < n; i++)
        y[i] = a * x[i] + y[i];
}

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 4000000L;
    int reps = argc > 2 ? atoi(argv[2]) : 300;
    if (n < 1 || reps < 0) {
        fprintf(stderr, "usage: %s [N >= 1] [REPS >= 0]\n", argv[0]);
        return 2;
    }
    float *x = malloc(sizeof(float) * (size_t)n);
    float *y = malloc(sizeof(float) * (size_t)n);
    if (!x || !y) {
        perror("malloc");
        return 1;
    }
#pragma omp parallel for
    for (long i = 0; i < n; i++) {
        x[i] = (float)(i % 1000) * 0.001f;
        y[i] = (float)(i % 7);
    }
    double t0 = now();
    for (int r = 0; r < reps; r++)
        saxpy(n, r % 2 ? 0.5f : -0.25f, x, y);
    double t1 = now();
    double sum = 0.0;
    for (long i = 0; i < n; i++)
        sum += (double)y[i] * (double)(i % 3 + 1);
    printf("saxpy n=%ld reps=%d: checksum=%.17g\n", n, reps, sum);
    fprintf(stderr, "time: %.3f s\n", t1 - t0);
    free(x);
    free(y);
    return 0;
}
