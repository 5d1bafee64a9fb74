/* This file handles the n-body sample: direct O(n^2) gravitational forces
 * and a leapfrog-style integration for a few steps. The force on body i is
 * summed over j in the same order by whichever thread owns i, and the
 * position update is element-wise, so results are bit-identical to the
 * serial build. Energy is summed serially for the same reason.
 *
 * Usage: nbody [N] [STEPS]   (default 3000 bodies, 20 steps)
 * stdout: final energy and a position checksum; stderr: the elapsed time. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

struct body {
    double x, y, z, vx, vy, vz, m;
};

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double energy(const struct body *b, int n) {
    double e = 0.0;
    for (int i = 0; i < n; i++) {
        e += 0.5 * b[i].m *
             (b[i].vx * b[i].vx + b[i].vy * b[i].vy + b[i].vz * b[i].vz);
        for (int j = i + 1; j < n; j++) {
            double dx = b[i].x - b[j].x, dy = b[i].y - b[j].y,
                   dz = b[i].z - b[j].z;
            e -= b[i].m * b[j].m / sqrt(dx * dx + dy * dy + dz * dz + 1e-3);
        }
    }
    return e;
}

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 3000;
    int steps = argc > 2 ? atoi(argv[2]) : 20;
    if (n < 2 || steps < 0) {
        fprintf(stderr, "usage: %s [N >= 2] [STEPS >= 0]\n", argv[0]);
        return 2;
    }
    struct body *b = malloc(sizeof *b * (size_t)n);
    double(*acc)[3] = malloc(sizeof *acc * (size_t)n);
    if (!b || !acc) {
        perror("malloc");
        return 1;
    }
    /* Deterministic pseudo-random start: a linear congruential generator. */
    unsigned long long seed = 42;
    for (int i = 0; i < n; i++) {
        double r[7];
        for (int k = 0; k < 7; k++) {
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            r[k] = (double)(seed >> 11) / 9007199254740992.0;
        }
        b[i] = (struct body){r[0] * 10 - 5, r[1] * 10 - 5, r[2] * 10 - 5,
                             r[3] - 0.5,    r[4] - 0.5,    r[5] - 0.5,
                             0.5 + r[6]};
    }
    const double dt = 0.001, soft = 1e-3;
    double e0 = energy(b, n);
    double t0 = now();
    for (int s = 0; s < steps; s++) {
#pragma omp parallel for schedule(static)
        for (int i = 0; i < n; i++) {
            double ax = 0.0, ay = 0.0, az = 0.0;
            for (int j = 0; j < n; j++) {
                double dx = b[j].x - b[i].x, dy = b[j].y - b[i].y,
                       dz = b[j].z - b[i].z;
                double d2 = dx * dx + dy * dy + dz * dz + soft;
                double inv = b[j].m / (d2 * sqrt(d2));
                ax += dx * inv;
                ay += dy * inv;
                az += dz * inv;
            }
            acc[i][0] = ax;
            acc[i][1] = ay;
            acc[i][2] = az;
        }
#pragma omp parallel for schedule(static)
        for (int i = 0; i < n; i++) {
            b[i].vx += dt * acc[i][0];
            b[i].vy += dt * acc[i][1];
            b[i].vz += dt * acc[i][2];
            b[i].x += dt * b[i].vx;
            b[i].y += dt * b[i].vy;
            b[i].z += dt * b[i].vz;
        }
    }
    double t1 = now();
    double e1 = energy(b, n);
    double pos = 0.0;
    for (int i = 0; i < n; i++)
        pos += b[i].x + 2.0 * b[i].y + 3.0 * b[i].z;
    printf("nbody n=%d steps=%d: e0=%.15e e1=%.15e pos=%.15e\n", n, steps, e0,
           e1, pos);
    fprintf(stderr, "time: %.3f s\n", t1 - t0);
    free(b);
    free(acc);
    return 0;
}
