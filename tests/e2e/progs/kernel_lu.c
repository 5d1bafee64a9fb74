/* This file handles an in-place LU decomposition without pivoting of a
 * diagonally dominant matrix (Doolittle, right-looking), written the usual
 * way: one parallel region around the k loop, the row updates below the
 * pivot as a worksharing loop (its implicit barrier orders the steps), the
 * elimination of the trailing columns of a row in its inner loop. Then the
 * system A x = b is solved by forward and back substitution with a
 * parallel dot product per row, the largest residual found with a critical
 * section that keeps the max and its index, and the log-determinant.
 *
 * Deterministic output: every element of L and U is computed by the same
 * operations whatever the thread count; the residuals are compared with a
 * tolerance, the determinant printed with few digits. */
#include <math.h>
#include <stdio.h>
#ifdef _OPENMP
#include <omp.h>
#endif
// E2E-LIBS: -lm

#define N 220

static double a[N][N], lu[N][N], b[N], x[N], y[N];

int main(void) {
    int i, j, k, imax, bad;
    double l, s, rmax, seen, logdet, t0;
    unsigned long long st = 88172645463325252ULL;

    for (i = 0; i < N; i++) {
        s = 0.0;
        for (j = 0; j < N; j++) {
            st ^= st << 13;
            st ^= st >> 7;
            st ^= st << 17;
            a[i][j] = (double)(st % 1000) / 1000.0 - 0.5;
            s += fabs(a[i][j]);
        }
        a[i][i] = s + 1.0;
        b[i] = (double)(i % 7) - 3.0;
    }
    for (i = 0; i < N; i++)
        for (j = 0; j < N; j++)
            lu[i][j] = a[i][j];

    t0 = 0.0;
#ifdef _OPENMP
    t0 = omp_get_wtime();
#endif
#pragma omp parallel default(none) shared(lu) private(i, j, k, l)
    {
        for (k = 0; k < N - 1; k++) {
#pragma omp for schedule(static)
            for (i = k + 1; i < N; i++) {
                l = lu[i][k] / lu[k][k];
                lu[i][k] = l;
                for (j = k + 1; j < N; j++)
                    lu[i][j] -= l * lu[k][j];
            }
        }
    }
#ifdef _OPENMP
    t0 = omp_get_wtime() - t0;
#endif
    (void)t0;

    /* forward substitution L y = b (unit diagonal) */
    for (i = 0; i < N; i++) {
        s = 0.0;
        for (j = 0; j < i; j++)
            s += lu[i][j] * y[j];
        y[i] = b[i] - s;
    }
    /* back substitution U x = y */
    for (i = N - 1; i >= 0; i--) {
        s = 0.0;
        for (j = i + 1; j < N; j++)
            s += lu[i][j] * x[j];
        x[i] = (y[i] - s) / lu[i][i];
    }

    rmax = -1.0;
    imax = -1;
    bad = 0;
#pragma omp parallel for private(j, s, seen) shared(rmax, imax) reduction(+ : bad)
    for (i = 0; i < N; i++) {
        s = b[i];
        for (j = 0; j < N; j++)
            s -= a[i][j] * x[j];
        s = fabs(s);
        if (s > 1e-9)
            bad++;
            /* cheap test first, the real one under the lock */
#pragma omp atomic read
        seen = rmax;
        if (s >= seen) {
#pragma omp critical
            {
                if (s > rmax || (s == rmax && i < imax)) {
#pragma omp atomic write
                    rmax = s;
                    imax = i;
                }
            }
        }
    }

    logdet = 0.0;
#pragma omp parallel for reduction(+ : logdet)
    for (i = 0; i < N; i++)
        logdet += log(fabs(lu[i][i]));

    printf("LU: n=%d residuals above 1e-9: %d\n", N, bad);
    printf("LU: log|det|=%.6f u[0][0]=%.6f u[n-1][n-1]=%.6f\n", logdet,
           lu[0][0], lu[N - 1][N - 1]);
    printf("LU: x[0]=%.8f x[n/2]=%.8f x[n-1]=%.8f\n", x[0], x[N / 2], x[N - 1]);
    printf("LU: largest residual in row %d: %s\n", imax,
           rmax < 1e-9 ? "small" : "large");
    return 0;
}
