/* This file handles a NAS CG-like kernel: one parallel region around the
 * whole iteration, with a sparse matrix-vector product, dot products and
 * vector updates as worksharing loops with reductions, and a single block
 * between them (the shared scalars a region thread may not write alone). */
#include <math.h>
#include <stdio.h>
// E2E-LIBS: -lm

enum { N = 1500, NZ_ROW = 7, ITERS = 25 };
static int colidx[N * NZ_ROW], rowstr[N + 1];
static double aval[N * NZ_ROW], x[N], z[N], p[N], q[N], r[N];

static void makea(void)
{
    int k = 0;
    for (int i = 0; i < N; i++) {
        rowstr[i] = k;
        for (int j = 0; j < NZ_ROW; j++) {
            int c = (i + j * 37) % N;
            colidx[k] = c;
            aval[k] = c == i ? 10.0 + NZ_ROW : 1.0 / (1 + j);
            k++;
        }
    }
    rowstr[N] = k;
}

int main(void)
{
    makea();
    double rho = 0, rho0, alpha, beta, dpq, rnorm = 0;
    int j, k;
    for (j = 0; j < N; j++)
        x[j] = 1.0 + (j % 10) * 0.1;
#pragma omp parallel private(k) shared(rho, rho0, alpha, beta, dpq)
    {
#pragma omp for
        for (j = 0; j < N; j++) {
            q[j] = z[j] = 0.0;
            r[j] = p[j] = x[j];
        }
#pragma omp for reduction(+:rho)
        for (j = 0; j < N; j++)
            rho += r[j] * r[j];
        for (int it = 0; it < ITERS; it++) {
#pragma omp for
            for (j = 0; j < N; j++) {
                double s = 0.0;
                for (k = rowstr[j]; k < rowstr[j + 1]; k++)
                    s += aval[k] * p[colidx[k]];
                q[j] = s;
            }
#pragma omp single
            dpq = 0.0;
#pragma omp for reduction(+:dpq)
            for (j = 0; j < N; j++)
                dpq += p[j] * q[j];
#pragma omp single
            {
                alpha = rho / dpq;
                rho0 = rho;
                rho = 0.0;
            }
#pragma omp for reduction(+:rho)
            for (j = 0; j < N; j++) {
                z[j] += alpha * p[j];
                r[j] -= alpha * q[j];
                rho += r[j] * r[j];
            }
#pragma omp single
            beta = rho / rho0;
#pragma omp for
            for (j = 0; j < N; j++)
                p[j] = r[j] + beta * p[j];
        }
#pragma omp for reduction(+:rnorm)
        for (j = 0; j < N; j++)
            rnorm += z[j] * z[j];
    }
    printf("rho=%.4e znorm=%.4f\n", rho, sqrt(rnorm));
    return 0;
}
