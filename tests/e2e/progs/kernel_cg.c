/* This file handles a NAS CG-like kernel: inverse power iteration on a
 * random sparse symmetric positive definite matrix in CSR form, each outer
 * step solving A z = x by a fixed number of conjugate-gradient iterations.
 * conj_grad() is called from inside the parallel region and shares its
 * work through orphaned `for` loops (dot products as reductions on
 * file-scope scalars, the way NAS CG keeps them shared) and `single`
 * blocks for the scalar updates.
 *
 * Deterministic output: the eigenvalue estimate converges, so its printed
 * digits do not depend on the reduction order; the residual is printed
 * only as a pass/fail against a tolerance. */
#include <math.h>
#include <stdio.h>
#ifdef _OPENMP
#include <omp.h>
#endif
// E2E-LIBS: -lm

#define NA 1400
#define NONZER 8
#define NITER 12
#define CGITMAX 25
#define SHIFT 12.0
#define NZMAX (NA * (2 * NONZER + 1))

static int rowstr[NA + 1], colidx[NZMAX];
static double a[NZMAX];
static double x[NA], z[NA], p[NA], q[NA], r[NA];
/* shared scalars of the orphaned worksharing loops */
static double rho, rho0, d, alpha, beta, sum, norm_temp1, norm_temp2;

static unsigned long long rng_state = 0x2545F4914F6CDD1DULL;

static int rng_below(int n) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (int)(rng_state % (unsigned long long)n);
}

/* Dense-row assembly into CSR: a symmetric pattern (each random entry is
 * mirrored), off-diagonal values small, diagonal large enough to make the
 * matrix diagonally dominant and so positive definite. */
static void makea(void) {
    static double row[NA];
    static int mark[NA], pat[NA][2 * NONZER + 1], npat[NA];
    int i, j, k, nz;

    for (i = 0; i < NA; i++)
        npat[i] = 0;
    for (i = 0; i < NA; i++) {
        for (k = 0; k < NONZER; k++) {
            j = rng_below(NA);
            if (j == i || npat[i] >= 2 * NONZER || npat[j] >= 2 * NONZER)
                continue;
            pat[i][npat[i]++] = j;
            pat[j][npat[j]++] = i;
        }
    }
    nz = 0;
    for (i = 0; i < NA; i++) {
        mark[i] = 0;
        row[i] = 0.0;
    }
    for (i = 0; i < NA; i++) {
        double diag = 0.0;
        rowstr[i] = nz;
        for (k = 0; k < npat[i]; k++) {
            j = pat[i][k];
            /* value depends on the unordered pair only: symmetric */
            row[j] += 1.0 / (1.0 + (double)((i + j) % 17));
            mark[j] = 1;
        }
        for (j = 0; j < NA; j++) {
            if (mark[j]) {
                colidx[nz] = j;
                a[nz] = -row[j];
                diag += row[j];
                nz++;
                mark[j] = 0;
                row[j] = 0.0;
            }
        }
        colidx[nz] = i;
        a[nz] = diag + 1.0 + (double)(i % 5) * 0.25;
        nz++;
    }
    rowstr[NA] = nz;
}

/* Called by every thread of the team. */
static void conj_grad(double *rnorm) {
    int j, k, cgit;
    double suml;

#pragma omp for
    for (j = 0; j < NA; j++) {
        q[j] = 0.0;
        z[j] = 0.0;
        r[j] = x[j];
        p[j] = r[j];
    }
#pragma omp single
    rho = 0.0;
#pragma omp for reduction(+ : rho)
    for (j = 0; j < NA; j++)
        rho += r[j] * r[j];

    for (cgit = 1; cgit <= CGITMAX; cgit++) {
#pragma omp single
        {
            rho0 = rho;
            d = 0.0;
            rho = 0.0;
        }
#pragma omp for
        for (j = 0; j < NA; j++) {
            suml = 0.0;
            for (k = rowstr[j]; k < rowstr[j + 1]; k++)
                suml += a[k] * p[colidx[k]];
            q[j] = suml;
        }
#pragma omp for reduction(+ : d)
        for (j = 0; j < NA; j++)
            d += p[j] * q[j];
#pragma omp single
        alpha = rho0 / d;
#pragma omp for reduction(+ : rho)
        for (j = 0; j < NA; j++) {
            z[j] = z[j] + alpha * p[j];
            r[j] = r[j] - alpha * q[j];
            rho += r[j] * r[j];
        }
#pragma omp single
        beta = rho / rho0;
#pragma omp for
        for (j = 0; j < NA; j++)
            p[j] = r[j] + beta * p[j];
    }

    /* explicit residual ||x - A z|| */
#pragma omp single
    sum = 0.0;
#pragma omp for reduction(+ : sum)
    for (j = 0; j < NA; j++) {
        suml = 0.0;
        for (k = rowstr[j]; k < rowstr[j + 1]; k++)
            suml += a[k] * z[colidx[k]];
        suml = x[j] - suml;
        sum += suml * suml;
    }
#pragma omp single
    *rnorm = sqrt(sum);
}

int main(void) {
    int it, j, converged;
    double zeta, rnorm, t0, t1;

    makea();
    for (j = 0; j < NA; j++)
        x[j] = 1.0;
    zeta = 0.0;
    rnorm = 0.0;
    converged = 1;
    t0 = 0.0;
#ifdef _OPENMP
    t0 = omp_get_wtime();
#endif

#pragma omp parallel default(shared) private(it, j)
    {
        for (it = 1; it <= NITER; it++) {
            conj_grad(&rnorm);
#pragma omp single
            {
                norm_temp1 = 0.0;
                norm_temp2 = 0.0;
            }
#pragma omp for reduction(+ : norm_temp1, norm_temp2)
            for (j = 0; j < NA; j++) {
                norm_temp1 += x[j] * z[j];
                norm_temp2 += z[j] * z[j];
            }
#pragma omp single
            {
                zeta = SHIFT + 1.0 / norm_temp1;
                if (rnorm > 1e-8)
                    converged = 0;
            }
#pragma omp for
            for (j = 0; j < NA; j++)
                x[j] = z[j] / sqrt(norm_temp2);
        }
    }

    t1 = 0.0;
#ifdef _OPENMP
    t1 = omp_get_wtime() - t0;
#endif
    (void)t1;
    printf("CG: na=%d nz=%d niter=%d\n", NA, rowstr[NA], NITER);
    printf("CG: zeta=%.8f residuals %s\n", zeta,
           converged ? "ok" : "too large");
    return 0;
}
