/* This file handles the Mandelbrot area estimate of the OpenMP tutorials:
 * a grid of points of the upper half of the set's bounding box, each
 * iterated until it escapes or hits the limit, points outside counted
 * through a reduction over a collapse(2) nest with a dynamic schedule (the
 * cost per point varies a lot). The points are a struct array, the
 * per-point test a function taking a struct by value, as in the tutorial
 * code, and a second pass computes a per-row escape histogram in the
 * shared image with each thread writing its own rows.
 *
 * Deterministic output: integer counts; the area is computed from them. */
#include <stdio.h>
#ifdef _OPENMP
#include <omp.h>
#endif
// E2E-SCHEDULES: static dynamic,3 guided,2

#define NPOINTS 360
#define MAXITER 400

struct d_complex {
    double r;
    double i;
};

static int iters[NPOINTS][NPOINTS];

static int testpoint(struct d_complex c) {
    struct d_complex z;
    int iter;
    double temp;

    z = c;
    for (iter = 0; iter < MAXITER; iter++) {
        temp = (z.r * z.r) - (z.i * z.i) + c.r;
        z.i = z.r * z.i * 2 + c.i;
        z.r = temp;
        if ((z.r * z.r + z.i * z.i) > 4.0)
            return iter + 1;
    }
    return 0;
}

int main(void) {
    int i, j, numoutside, inside_rows, maxrow, maxrow_count;
    long total_iters;
    double area, eps = 1.0e-5, t0;
    struct d_complex c;

    t0 = 0.0;
#ifdef _OPENMP
    t0 = omp_get_wtime();
#endif
    numoutside = 0;
    total_iters = 0;
#pragma omp parallel for default(shared) private(c, i, j) firstprivate(eps) collapse(2) schedule(dynamic, 64) reduction(+ : numoutside, total_iters)
    for (i = 0; i < NPOINTS; i++) {
        for (j = 0; j < NPOINTS; j++) {
            c.r = -2.0 + 2.5 * (double)(i) / (double)(NPOINTS) + eps;
            c.i = 1.125 * (double)(j) / (double)(NPOINTS) + eps;
            iters[i][j] = testpoint(c);
            if (iters[i][j] != 0)
                numoutside++;
            total_iters += iters[i][j] ? iters[i][j] : MAXITER;
        }
    }

    /* rows entirely outside, and the row with most inside points */
    inside_rows = 0;
    maxrow = -1;
    maxrow_count = -1;
#pragma omp parallel default(none)                                             \
    shared(iters, inside_rows, maxrow, maxrow_count) private(i, j)
    {
        int my_best = -1, my_row = -1, cnt;
#pragma omp for schedule(runtime) reduction(+ : inside_rows)
        for (i = 0; i < NPOINTS; i++) {
            cnt = 0;
            for (j = 0; j < NPOINTS; j++)
                cnt += iters[i][j] == 0;
            if (cnt == 0)
                inside_rows++;
            if (cnt > my_best) {
                my_best = cnt;
                my_row = i;
            }
        }
#pragma omp critical
        if (my_best > maxrow_count ||
            (my_best == maxrow_count && my_row < maxrow)) {
            maxrow_count = my_best;
            maxrow = my_row;
        }
    }

#ifdef _OPENMP
    t0 = omp_get_wtime() - t0;
#endif
    (void)t0;
    area = 2.0 * 2.5 * 1.125 * (double)(NPOINTS * NPOINTS - numoutside) /
           (double)(NPOINTS * NPOINTS);
    printf("Mandelbrot: outside=%d of %d, iterations=%ld\n", numoutside,
           NPOINTS * NPOINTS, total_iters);
    printf("Mandelbrot: area=%.8f\n", area);
    printf("Mandelbrot: rows without inside points=%d, fullest row %d (%d "
           "points)\n",
           inside_rows, maxrow, maxrow_count);
    return 0;
}
