/* This file handles a gravitational N-body step in the form of real
 * simulation codes: bodies as an array of structs, the force loop through
 * restrict-qualified pointers with a softening constant passed as a const
 * parameter listed in a default(none) clause spread over continuation
 * lines (with comments in the directive), a min reduction for the next
 * time step and a max reduction for the largest acceleration, a
 * lastprivate loop index, a reversed loop, and a second pass over a
 * structure of arrays with firstprivate copies of a small table.
 *
 * Deterministic output: each body's acceleration is a private sum in a
 * fixed order; min and max are exact; energies are printed with few
 * digits. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#ifdef _OPENMP
#include <omp.h>
#endif
// E2E-LIBS: -lm

#define NB 700
#define NSTEP 4

typedef struct {
    double x, y, z;
    double vx, vy, vz;
    double m;
} body_t;

typedef struct {
    double ax[NB], ay[NB], az[NB];
} accel_t;

static body_t bodies[NB];
static accel_t acc;

static void accelerations(const body_t *restrict b, accel_t *restrict a,
                          const int n, const double eps2, double *dt_out,
                          double *amax_out) {
    int i, j;
    double dtmin = 1.0e30, amax = 0.0;

    // clang-format off
#pragma omp parallel for default(none) \
    shared(b, a) firstprivate(n, eps2) /* constants */ \
    private(j) reduction(min : dtmin) reduction(max : amax) \
    schedule(static) // one body per iteration
    // clang-format on
    for (i = 0; i < n; i++) {
        double axi = 0.0, ayi = 0.0, azi = 0.0, am;
        for (j = 0; j < n; j++) {
            double dx = b[j].x - b[i].x, dy = b[j].y - b[i].y,
                   dz = b[j].z - b[i].z;
            double r2 = dx * dx + dy * dy + dz * dz + eps2;
            double rinv = 1.0 / sqrt(r2);
            double f = b[j].m * rinv * rinv * rinv;
            axi += f * dx;
            ayi += f * dy;
            azi += f * dz;
        }
        a->ax[i] = axi;
        a->ay[i] = ayi;
        a->az[i] = azi;
        am = sqrt(axi * axi + ayi * ayi + azi * azi);
        if (am > amax)
            amax = am;
        if (0.01 / sqrt(am + 1e-12) < dtmin)
            dtmin = 0.01 / sqrt(am + 1e-12);
    }
    *dt_out = dtmin;
    *amax_out = amax;
}

int main(void) {
    int i, last, step;
    double dt, amax, ekin, epot, t0;
    double weights[4] = {1.0, 0.5, 0.25, 0.125};
    unsigned int s = 42u;

    for (i = 0; i < NB; i++) {
        s = s * 1664525u + 1013904223u;
        bodies[i].x = (double)(s >> 16) / 65536.0 - 0.5;
        s = s * 1664525u + 1013904223u;
        bodies[i].y = (double)(s >> 16) / 65536.0 - 0.5;
        s = s * 1664525u + 1013904223u;
        bodies[i].z = (double)(s >> 16) / 65536.0 - 0.5;
        bodies[i].vx = bodies[i].vy = bodies[i].vz = 0.0;
        bodies[i].m = 1.0 / NB;
    }

    t0 = 0.0;
#ifdef _OPENMP
    t0 = omp_get_wtime();
#endif
    for (step = 0; step < NSTEP; step++) {
        accelerations(bodies, &acc, NB, 1.0e-4, &dt, &amax);
        printf("step %d: dt=%.6e amax=%.6e\n", step, dt, amax);
        /* kick and drift, last body first as some codes do */
#pragma omp parallel for
        for (i = NB - 1; i >= 0; i--) {
            bodies[i].vx += dt * acc.ax[i];
            bodies[i].vy += dt * acc.ay[i];
            bodies[i].vz += dt * acc.az[i];
            bodies[i].x += dt * bodies[i].vx;
            bodies[i].y += dt * bodies[i].vy;
            bodies[i].z += dt * bodies[i].vz;
        }
    }

    /* kinetic energy weighted by a per-quarter table; index of the last
     * body with a positive x velocity through lastprivate */
    ekin = 0.0;
    last = -1;
#pragma omp parallel for firstprivate(weights) lastprivate(i) reduction(+ : ekin)
    for (i = 0; i < NB; i++) {
        double v2 = bodies[i].vx * bodies[i].vx + bodies[i].vy * bodies[i].vy +
                    bodies[i].vz * bodies[i].vz;
        ekin += 0.5 * bodies[i].m * v2 * weights[i * 4 / NB];
        weights[0] = 1.0; /* a write to the private copy only */
    }
    last = i;
    epot = 0.0;
#pragma omp parallel for reduction(- : epot) schedule(dynamic, 16)
    for (i = 0; i < NB; i++) {
        int j;
        for (j = i + 1; j < NB; j++) {
            double dx = bodies[j].x - bodies[i].x,
                   dy = bodies[j].y - bodies[i].y,
                   dz = bodies[j].z - bodies[i].z;
            epot -= bodies[i].m * bodies[j].m /
                    sqrt(dx * dx + dy * dy + dz * dz + 1.0e-4);
        }
    }
#ifdef _OPENMP
    t0 = omp_get_wtime() - t0;
#endif
    (void)t0;
    printf("ekin=%.6e epot=%.6e i after loop=%d\n", ekin, epot, last);
    printf("body 0 at (%.6f, %.6f, %.6f)\n", bodies[0].x, bodies[0].y,
           bodies[0].z);
    return 0;
}
