/* This file handles the stencil sample: 2-D Jacobi relaxation of the heat
 * equation on a square plate with fixed hot and cold edges; every sweep is
 * one parallel loop over rows, reading one grid and writing the other.
 * Each point is computed by one thread from the previous sweep's values
 * only, so results are bit-identical to the serial build.
 *
 * Usage: stencil [N] [SWEEPS]   (N x N grid, default 600 and 1500)
 * stdout: a checksum of the final grid; stderr: the elapsed time. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 600;
    int sweeps = argc > 2 ? atoi(argv[2]) : 1500;
    if (n < 3 || sweeps < 0) {
        fprintf(stderr, "usage: %s [N >= 3] [SWEEPS >= 0]\n", argv[0]);
        return 2;
    }
    double *u = calloc((size_t)n * (size_t)n, sizeof *u);
    double *v = calloc((size_t)n * (size_t)n, sizeof *v);
    if (!u || !v) {
        perror("calloc");
        return 1;
    }
    /* Boundary: top edge hot (100), left edge warm (50), others cold. Both
     * grids hold it, so the swap below never loses it. */
    for (int k = 0; k < n; k++) {
        u[k] = v[k] = 100.0;
        u[(size_t)k * n] = v[(size_t)k * n] = 50.0;
    }
    double t0 = now();
    for (int s = 0; s < sweeps; s++) {
#pragma omp parallel for schedule(static)
        for (int i = 1; i < n - 1; i++) {
            const double *up = u + (size_t)(i - 1) * n;
            const double *mid = u + (size_t)i * n;
            const double *down = u + (size_t)(i + 1) * n;
            double *out = v + (size_t)i * n;
            for (int j = 1; j < n - 1; j++)
                out[j] = 0.25 * (up[j] + down[j] + mid[j - 1] + mid[j + 1]);
        }
        double *t = u;
        u = v;
        v = t;
    }
    double t1 = now();
    double sum = 0.0, probe = u[(size_t)(n / 8) * n + n / 8];
    for (size_t k = 0; k < (size_t)n * n; k++)
        sum += u[k];
    printf("stencil %dx%d sweeps=%d: sum=%.17g probe=%.17g\n", n, n, sweeps,
           sum, probe);
    fprintf(stderr, "time: %.3f s\n", t1 - t0);
    free(u);
    free(v);
    return 0;
}
