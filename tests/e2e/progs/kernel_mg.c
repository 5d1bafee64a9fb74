/* This file handles an MG-like kernel on a 3-D periodic grid: a 7-point
 * residual r = v - A u, a weighted-Jacobi smoother u += c * r, and a
 * restriction to the coarser grid and a trilinear-free prolongation back
 * (injection), the way a V-cycle's first level is written in NAS MG:
 * triple nests with `private(i1, i2, i3)`, collapse(2) over the outer two
 * dimensions, a norm routine with sum and max reductions.
 *
 * Deterministic output: every grid value is computed by the same
 * operations whatever thread computes it; the max norm is exact and the
 * 2-norm is printed with few digits. */
#include <math.h>
#include <stdio.h>
#ifdef _OPENMP
#include <omp.h>
#endif
// E2E-LIBS: -lm

#define N 40
#define NC (N / 2)
#define NSWEEP 6

static double u[N][N][N], v[N][N][N], r[N][N][N];
static double rc[NC][NC][NC];

static void resid(void) {
    int i1, i2, i3;
    double a0 = -6.0, a1 = 1.0;
#pragma omp parallel for collapse(2) private(i1, i2, i3) default(none)         \
    shared(u, v, r, a0, a1)
    for (i3 = 0; i3 < N; i3++)
        for (i2 = 0; i2 < N; i2++)
            for (i1 = 0; i1 < N; i1++) {
                int p1 = (i1 + 1) % N, m1 = (i1 + N - 1) % N;
                int p2 = (i2 + 1) % N, m2 = (i2 + N - 1) % N;
                int p3 = (i3 + 1) % N, m3 = (i3 + N - 1) % N;
                double nb = u[i3][i2][p1] + u[i3][i2][m1] + u[i3][p2][i1] +
                            u[i3][m2][i1] + u[p3][i2][i1] + u[m3][i2][i1];
                r[i3][i2][i1] = v[i3][i2][i1] - (a0 * u[i3][i2][i1] + a1 * nb);
            }
}

static void smooth(double c) {
    int i1, i2, i3;
#pragma omp parallel for private(i1, i2, i3) schedule(static)
    for (i3 = 0; i3 < N; i3++)
        for (i2 = 0; i2 < N; i2++)
            for (i1 = 0; i1 < N; i1++)
                u[i3][i2][i1] += c * r[i3][i2][i1];
}

static void norm2u3(double (*g)[N][N], double *rnm2, double *rnmu) {
    int i1, i2, i3;
    double s = 0.0, mx = 0.0, a;
#pragma omp parallel for collapse(2) private(i1, i2, i3, a) reduction(+ : s) reduction(max : mx)
    for (i3 = 0; i3 < N; i3++)
        for (i2 = 0; i2 < N; i2++)
            for (i1 = 0; i1 < N; i1++) {
                s += g[i3][i2][i1] * g[i3][i2][i1];
                a = fabs(g[i3][i2][i1]);
                if (a > mx)
                    mx = a;
            }
    *rnm2 = sqrt(s / ((double)N * N * N));
    *rnmu = mx;
}

/* Full-weighting in the direction of each axis on the even points. */
static void rprj3(void) {
    int j1, j2, j3;
#pragma omp parallel for collapse(3) private(j1, j2, j3)
    for (j3 = 0; j3 < NC; j3++)
        for (j2 = 0; j2 < NC; j2++)
            for (j1 = 0; j1 < NC; j1++) {
                int i1 = 2 * j1, i2 = 2 * j2, i3 = 2 * j3;
                int p1 = (i1 + 1) % N, p2 = (i2 + 1) % N, p3 = (i3 + 1) % N;
                rc[j3][j2][j1] =
                    0.5 * r[i3][i2][i1] +
                    (r[i3][i2][p1] + r[i3][p2][i1] + r[p3][i2][i1]) / 6.0;
            }
}

static void interp_add(double c) {
    int i1, i2, i3;
#pragma omp parallel for private(i1, i2, i3)
    for (i3 = 0; i3 < N; i3++)
        for (i2 = 0; i2 < N; i2++)
            for (i1 = 0; i1 < N; i1++)
                u[i3][i2][i1] += c * rc[i3 / 2][i2 / 2][i1 / 2];
}

int main(void) {
    int i1, i2, i3, it;
    double rnm2, rnmu, t0;

    /* right-hand side: +1 and -1 charges at fixed points, zero mean */
    for (i3 = 0; i3 < N; i3++)
        for (i2 = 0; i2 < N; i2++)
            for (i1 = 0; i1 < N; i1++) {
                v[i3][i2][i1] = 0.0;
                u[i3][i2][i1] = 0.0;
            }
    for (it = 0; it < 10; it++) {
        v[(it * 7) % N][(it * 13 + 3) % N][(it * 29 + 5) % N] = 1.0;
        v[(it * 11 + 17) % N][(it * 5 + 21) % N][(it * 23 + 1) % N] = -1.0;
    }

    t0 = 0.0;
#ifdef _OPENMP
    t0 = omp_get_wtime();
#endif
    resid();
    norm2u3(r, &rnm2, &rnmu);
    printf("MG: initial  rnm2=%.6e rnmu=%.6e\n", rnm2, rnmu);
    for (it = 1; it <= NSWEEP; it++) {
        smooth(-1.0 / 8.0);
        resid();
        rprj3();
        interp_add(-1.0 / 32.0);
        resid();
        norm2u3(r, &rnm2, &rnmu);
        printf("MG: sweep %d rnm2=%.6e rnmu=%.6e\n", it, rnm2, rnmu);
    }
    norm2u3(u, &rnm2, &rnmu);
#ifdef _OPENMP
    t0 = omp_get_wtime() - t0;
#endif
    (void)t0;
    printf("MG: solution rnm2=%.6e rnmu=%.6e\n", rnm2, rnmu);
    return 0;
}
