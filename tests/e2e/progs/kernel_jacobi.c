/* This file handles a Jacobi solver for the steady heat equation on a
 * square plate (fixed edge temperatures), iterated until the largest change
 * of a sweep falls under a tolerance. Written like classroom and benchmark
 * codes: one parallel region around the whole while loop, the sweep and the
 * copy-back as worksharing loops, the convergence test as a max reduction
 * into a shared variable reset by a `single`, and a second solver in the
 * other common style: a `parallel for collapse(2) reduction(max:)` per
 * sweep with pointer swaps between sweeps.
 *
 * Deterministic output: every point is computed by the same operations on
 * any thread, and the max is exact, so the iteration counts and printed
 * values do not depend on the thread count. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#ifdef _OPENMP
#include <omp.h>
#endif
// E2E-LIBS: -lm

#define M 48
#define N 40
#define EPSILON 1.0e-2
#define MAXIT 4000

static double u[M][N], w[M][N];

static void boundary(double (*g)[N]) {
    int i, j;
    for (i = 0; i < M; i++)
        for (j = 0; j < N; j++)
            g[i][j] = 0.0;
    for (i = 1; i < M - 1; i++) {
        g[i][0] = 100.0;
        g[i][N - 1] = 100.0;
    }
    for (j = 0; j < N; j++) {
        g[M - 1][j] = 100.0;
        g[0][j] = 0.0;
    }
}

/* Style 1: one region, shared diff, single resets, nowait + barrier. */
static int solve_region(double *mean_out) {
    int i, j, iterations;
    double diff, my_diff, mean;

    boundary(w);
    mean = 0.0;
    for (i = 1; i < M - 1; i++)
        mean += w[i][0] + w[i][N - 1];
    for (j = 0; j < N; j++)
        mean += w[M - 1][j] + w[0][j];
    mean = mean / (double)(2 * M + 2 * N - 4);
    iterations = 0;
    diff = EPSILON;

#pragma omp parallel default(none)                                             \
    shared(u, w, mean, diff, iterations) private(i, j, my_diff)
    {
#pragma omp for nowait
        for (i = 1; i < M - 1; i++)
            for (j = 1; j < N - 1; j++)
                w[i][j] = mean;
#pragma omp barrier

        while (diff >= EPSILON && iterations < MAXIT) {
#pragma omp for
            for (i = 0; i < M; i++)
                for (j = 0; j < N; j++)
                    u[i][j] = w[i][j];
#pragma omp single
            diff = 0.0;
            my_diff = 0.0;
#pragma omp for nowait
            for (i = 1; i < M - 1; i++)
                for (j = 1; j < N - 1; j++) {
                    w[i][j] = (u[i - 1][j] + u[i + 1][j] + u[i][j - 1] +
                               u[i][j + 1]) /
                              4.0;
                    if (my_diff < fabs(w[i][j] - u[i][j]))
                        my_diff = fabs(w[i][j] - u[i][j]);
                }
#pragma omp critical
            {
                if (diff < my_diff)
                    diff = my_diff;
            }
#pragma omp barrier
#pragma omp single
            iterations++;
        }
    }
    *mean_out = mean;
    return iterations;
}

/* Style 2: parallel for + reduction(max:) per sweep, pointer swap. */
static int solve_swap(double (*a)[N], double (*b)[N], double (**res)[N]) {
    int i, j, it;
    double err;
    double(*tmp)[N];

    boundary(a);
    boundary(b);
    it = 0;
    do {
        err = 0.0;
#pragma omp parallel for collapse(2) reduction(max                             \
                                               : err) private(i, j)            \
    schedule(static)
        for (i = 1; i < M - 1; i++)
            for (j = 1; j < N - 1; j++) {
                double nv = 0.25 * (a[i - 1][j] + a[i + 1][j] + a[i][j - 1] +
                                    a[i][j + 1]);
                double d = fabs(nv - a[i][j]);
                b[i][j] = nv;
                err = d > err ? d : err;
            }
        tmp = a;
        a = b;
        b = tmp;
        it++;
    } while (err > 0.1 && it < MAXIT);
    *res = a;
    return it;
}

int main(void) {
    double mean, wtime, s;
    int iters, i, j;
    double(*res)[N];
    static double a[M][N], b[M][N];

    wtime = 0.0;
#ifdef _OPENMP
    wtime = omp_get_wtime();
#endif
    iters = solve_region(&mean);
#ifdef _OPENMP
    wtime = omp_get_wtime() - wtime;
#endif
    (void)wtime;
    printf("heat: mean boundary=%.6f iterations=%d\n", mean, iters);
    printf("heat: w[M/2][N/2]=%.6f w[10][10]=%.6f w[M-5][N/3]=%.6f\n",
           w[M / 2][N / 2], w[10][10], w[M - 5][N / 3]);

    iters = solve_swap(a, b, &res);
    s = 0.0;
    for (i = 0; i < M; i++)
        for (j = 0; j < N; j++)
            s += res[i][j];
    printf("swap: iterations=%d sum=%.6f center=%.6f\n", iters, s,
           res[M / 2][N / 2]);
    return 0;
}
