/* This file handles the mandelbrot sample: it counts escape iterations over
 * a grid of the complex plane, one parallel loop over rows with
 * schedule(dynamic) because rows near the set cost far more than others.
 *
 * Usage: mandelbrot [SIZE]   (a SIZE x SIZE grid, default 1400)
 * stdout: the total iteration count and a per-row checksum, identical for
 * serial and parallel builds (every pixel is computed by exactly one thread
 * with the same operations, and the sums are integers).
 * stderr: the elapsed time. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define MAX_ITER 500

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Escape-time iteration count of c = cr + ci*i, at most MAX_ITER. */
static int escape(double cr, double ci) {
    double zr = 0.0, zi = 0.0;
    int it = 0;
    while (it < MAX_ITER && zr * zr + zi * zi <= 4.0) {
        double t = zr * zr - zi * zi + cr;
        zi = 2.0 * zr * zi + ci;
        zr = t;
        it++;
    }
    return it;
}

int main(int argc, char **argv) {
    int size = argc > 1 ? atoi(argv[1]) : 1400;
    if (size < 1) {
        fprintf(stderr, "usage: %s [SIZE >= 1]\n", argv[0]);
        return 2;
    }
    long *row_sum = calloc((size_t)size, sizeof *row_sum);
    if (!row_sum) {
        perror("calloc");
        return 1;
    }
    double t0 = now();
    long total = 0;
#pragma omp parallel for schedule(dynamic) reduction(+ : total)
    for (int y = 0; y < size; y++) {
        double ci = -1.25 + 2.5 * y / size;
        long s = 0;
        for (int x = 0; x < size; x++)
            s += escape(-2.1 + 2.8 * x / size, ci);
        row_sum[y] = s;
        total += s;
    }
    double t1 = now();
    unsigned long check = 0;
    for (int y = 0; y < size; y++)
        check = check * 1000003u + (unsigned long)row_sum[y];
    printf("mandelbrot %dx%d: iterations=%ld checksum=%lu\n", size, size, total,
           check);
    fprintf(stderr, "time: %.3f s\n", t1 - t0);
    free(row_sum);
    return 0;
}
