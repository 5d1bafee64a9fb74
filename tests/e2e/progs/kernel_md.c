/* This file handles a molecular dynamics kernel in the style of the
 * classic OpenMP md.c teaching code: N particles in 3-D with a smooth
 * pair potential V(d) = sin^2(min(d, pi/2)), all-pairs forces computed per
 * particle (so each particle's force is a private sum, no write conflicts)
 * with the potential and kinetic energies as a reduction on two variables,
 * and a velocity-Verlet update as a worksharing loop with default(none)
 * and a long shared list.
 *
 * Deterministic output: forces and positions are computed by the same
 * operations on any thread; only the energies are reductions, printed with
 * few digits (and as the relative energy drift, which is small). */
#include <math.h>
#include <stdio.h>
#ifdef _OPENMP
#include <omp.h>
#endif
// E2E-LIBS: -lm

#define ND 3
#define NP 320
#define STEPS 20

static double pos[NP][ND], vel[NP][ND], acc[NP][ND], force[NP][ND];

static double dist(const double *r1, const double *r2, double *dr) {
    int i;
    double d = 0.0;
    for (i = 0; i < ND; i++) {
        dr[i] = r1[i] - r2[i];
        d += dr[i] * dr[i];
    }
    return sqrt(d);
}

static void compute(int np, double mass, double *pot, double *kin) {
    const double PI2 = 3.141592653589793 / 2.0;
    double d, d2, rij[ND], epot, ekin;
    int i, j, k;

    epot = 0.0;
    ekin = 0.0;
#pragma omp parallel for default(shared) private(i, j, k, rij, d, d2) reduction(+ : epot, ekin) schedule(static)
    for (k = 0; k < np; k++) {
        for (i = 0; i < ND; i++)
            force[k][i] = 0.0;
        for (j = 0; j < np; j++) {
            if (k == j)
                continue;
            d = dist(pos[k], pos[j], rij);
            d2 = d < PI2 ? d : PI2;
            /* each pair counted from both ends: half the energy here */
            epot += 0.5 * sin(d2) * sin(d2);
            for (i = 0; i < ND; i++)
                force[k][i] -= rij[i] * sin(2.0 * d2) / d;
        }
        for (i = 0; i < ND; i++)
            ekin += vel[k][i] * vel[k][i];
    }
    *pot = epot;
    *kin = 0.5 * mass * ekin;
}

static void update(int np, double dt, double mass) {
    double rmass = 1.0 / mass;
    int i, j;
#pragma omp parallel for default(none)                                         \
    shared(np, dt, rmass, pos, vel, force, acc) private(i, j)
    for (j = 0; j < np; j++)
        for (i = 0; i < ND; i++) {
            pos[j][i] += vel[j][i] * dt + 0.5 * dt * dt * acc[j][i];
            vel[j][i] += 0.5 * dt * (force[j][i] * rmass + acc[j][i]);
            acc[j][i] = force[j][i] * rmass;
        }
}

int main(void) {
    double mass = 1.0, dt = 1.0e-3, pot, kin, e0, wt;
    double box[ND] = {10.0, 10.0, 10.0};
    unsigned int seed = 123456789u;
    int i, j, step;

    /* positions on a jittered lattice, zero velocities */
    for (j = 0; j < NP; j++)
        for (i = 0; i < ND; i++) {
            seed = seed * 1103515245u + 12345u;
            pos[j][i] = box[i] * (double)((seed >> 8) & 0xffff) / 65536.0;
            vel[j][i] = 0.0;
            acc[j][i] = 0.0;
        }

    wt = 0.0;
#ifdef _OPENMP
    wt = omp_get_wtime();
#endif
    compute(NP, mass, &pot, &kin);
    e0 = pot + kin;
    printf("MD: step 0 pot=%.6e kin=%.6e\n", pot, kin);
    for (step = 1; step <= STEPS; step++) {
        update(NP, dt, mass);
        compute(NP, mass, &pot, &kin);
        if (step % 5 == 0)
            printf("MD: step %d pot=%.6e kin=%.6e drift=%.1e\n", step, pot, kin,
                   fabs((pot + kin - e0) / e0) < 1e-6 ? 0.0
                                                      : (pot + kin - e0) / e0);
    }
#ifdef _OPENMP
    wt = omp_get_wtime() - wt;
#endif
    (void)wt;
    printf("MD: final pos[0]=(%.6f, %.6f, %.6f)\n", pos[0][0], pos[0][1],
           pos[0][2]);
    return 0;
}
