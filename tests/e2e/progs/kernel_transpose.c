/* This file handles out-of-place and in-place matrix transposes in the
 * cache-blocked form of the Parallel Research Kernels: a collapse(2) loop
 * over (block row, block column) pairs with the element loops inside, on a
 * dimension that is not a multiple of the tile (edge tiles are partial),
 * the out-of-place one repeated with B += A^T and A += 1 per iteration as
 * in the PRK, and an in-place transpose of a square matrix with a
 * triangular (non-rectangular, so not collapsed) loop over the tiles under
 * a dynamic schedule. An abs-error reduction verifies the results.
 *
 * Deterministic output: every value is a small integer held exactly in a
 * double, so the sums are exact. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#ifdef _OPENMP
#include <omp.h>
#endif
// E2E-LIBS: -lm

#define ORDER 500
#define TILE 32
#define ITERS 4

static double A[ORDER * ORDER], B[ORDER * ORDER], C[ORDER][ORDER];

int main(void) {
    int order = ORDER, tile = TILE, iterations = ITERS;
    int i, j, it, jt, iter;
    double abserr, addit, t0, trans_time;
    long bad;

    t0 = trans_time = 0.0;
#pragma omp parallel default(none) shared(                                     \
    A, B, order, tile, iterations, t0, trans_time) private(i, j, it, jt, iter)
    {
#pragma omp for
        for (j = 0; j < order; j++)
            for (i = 0; i < order; i++) {
                A[(size_t)j * order + i] = (double)((size_t)i * order + j);
                B[(size_t)j * order + i] = 0.0;
            }
        for (iter = 0; iter <= iterations; iter++) {
#ifdef _OPENMP
            /* the first iteration is a warm-up, as in the PRK */
            if (iter == 1) {
#pragma omp barrier
#pragma omp master
                t0 = omp_get_wtime();
            }
#endif
#pragma omp for collapse(2) schedule(static)
            for (it = 0; it < order; it += tile)
                for (jt = 0; jt < order; jt += tile)
                    for (i = it; i < (it + tile < order ? it + tile : order);
                         i++)
                        for (j = jt;
                             j < (jt + tile < order ? jt + tile : order); j++) {
                            B[(size_t)i * order + j] +=
                                A[(size_t)j * order + i];
                            A[(size_t)j * order + i] += 1.0;
                        }
        }
#ifdef _OPENMP
#pragma omp master
        trans_time = omp_get_wtime() - t0;
#endif
    }
    (void)trans_time;

    /* B[i][j] = sum over iterations of (A0[j][i] + iter), A0[j][i] = i*order +
     * j */
    abserr = 0.0;
    addit = ((double)(iterations + 1) * (double)iterations) / 2.0;
#pragma omp parallel for reduction(+ : abserr) private(i)
    for (j = 0; j < order; j++)
        for (i = 0; i < order; i++) {
            double ref =
                (double)((size_t)j * order + i) * (iterations + 1) + addit;
            abserr += fabs(B[(size_t)j * order + i] - ref);
        }
    printf("transpose: order=%d tile=%d iterations=%d abserr=%.1f\n", order,
           tile, iterations, abserr);

    /* in-place transpose of C by tile pairs above the diagonal */
    for (i = 0; i < order; i++)
        for (j = 0; j < order; j++)
            C[i][j] = (double)(i * 1000 + j);
#pragma omp parallel for schedule(dynamic, 1) private(jt, i, j)
    for (it = 0; it < order; it += tile)
        for (jt = it; jt < order; jt += tile)
            for (i = it; i < it + tile && i < order; i++)
                for (j = (jt == it ? i + 1 : jt); j < jt + tile && j < order;
                     j++) {
                    double tmp = C[i][j];
                    C[i][j] = C[j][i];
                    C[j][i] = tmp;
                }
    bad = 0;
#pragma omp parallel for collapse(2) reduction(+ : bad)
    for (i = 0; i < order; i++)
        for (j = 0; j < order; j++)
            if (C[i][j] != (double)(j * 1000 + i))
                bad++;
    printf("in-place: order=%d wrong elements=%ld C[1][0]=%.0f "
           "C[order-1][2]=%.0f\n",
           order, bad, C[1][0], C[order - 1][2]);
    return 0;
}
