/* This file handles the matrix-multiply sample: C = A * B for square
 * matrices, the outer two loops collapsed into one parallel loop; each
 * element of C is computed by one thread in the same order as the serial
 * build, so results are bit-identical.
 *
 * Usage: matmul [N]   (N x N matrices, default 900)
 * stdout: a checksum of C; stderr: the elapsed time. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 900;
    if (n < 1) {
        fprintf(stderr, "usage: %s [N >= 1]\n", argv[0]);
        return 2;
    }
    double *a = malloc(sizeof(double) * (size_t)n * (size_t)n);
    double *bt = malloc(sizeof(double) * (size_t)n * (size_t)n);
    double *c = malloc(sizeof(double) * (size_t)n * (size_t)n);
    if (!a || !bt || !c) {
        perror("malloc");
        return 1;
    }
    /* B is stored transposed so the inner product walks both operands
     * with unit stride. */
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            a[(size_t)i * n + j] = (double)((i * 7 + j * 3) % 17) - 8.0;
            bt[(size_t)j * n + i] = (double)((i * 5 + j * 11) % 13) * 0.5;
        }
    double t0 = now();
#pragma omp parallel for collapse(2) schedule(static)
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            const double *ar = a + (size_t)i * n;
            const double *br = bt + (size_t)j * n;
            double s = 0.0;
            for (int k = 0; k < n; k++)
                s += ar[k] * br[k];
            c[(size_t)i * n + j] = s;
        }
    double t1 = now();
    double sum = 0.0, weighted = 0.0;
    for (size_t i = 0; i < (size_t)n * n; i++) {
        sum += c[i];
        weighted += c[i] * (double)(i % 7);
    }
    printf("matmul %dx%d: sum=%.17g weighted=%.17g\n", n, n, sum, weighted);
    fprintf(stderr, "time: %.3f s\n", t1 - t0);
    free(a);
    free(bt);
    free(c);
    return 0;
}
