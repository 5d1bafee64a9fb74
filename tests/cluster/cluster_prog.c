/* This file handles the cluster tests' program: two hand-lowered cluster
 * loops, as weftcc would emit them for
 *
 *     double sum = 0;
 *     #pragma weft parallel for cluster map(to: x[0:n]) map(from: y[i]) \
 *                               reduction(+:sum)
 *     for (long i = 0; i < n; i++) { y[i] = f(x[i], work); sum += y[i]; }
 *
 *     #pragma weft parallel for cluster map(to: a[0:rows*cols], v[0:cols]) \
 *                               map(tofrom: c[i*m : m])
 *     for (long i = 0; i < rows / m; i++)
 *         for (long r = i*m; r < i*m + m; r++) c[r] += dot(a + r*cols, v, cols);
 *
 * Each is run `reps` times (x and a unchanged, so their `to` sections cross
 * the network once per worker) and checked against a plain serial loop of
 * the same computation in this program. Options: -n N (elements), -w WORK
 * (inner iterations per element), -r REPS, -d US (sleep US microseconds
 * every 64 elements: stretches the loop without burning the shared CPUs),
 * -k K (a worker that runs a loop-1 chunk reaching iteration K or beyond
 * dies of SIGSEGV: the crash tests).
 * Prints "cluster_prog: ok" and exits 0 when every result matches. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <weft/abi.h>

#ifndef PROG_VARIANT
#define PROG_VARIANT 0 /* the "other binary" test builds this file with 1 */
#endif

static double f(double x, long work) {
    double s = x;
    for (long k = 0; k < work; k++)
        s = s * 0.999 + sin(s + (double)k * 1e-3) * 0.5 + PROG_VARIANT;
    return s;
}

/* Set once main runs past WEFT_main_enter: never in a worker, which serves
 * chunks from inside WEFT_main_enter. */
static int in_main;

static void nap(long us) {
    struct timespec ts = {us / 1000000, (us % 1000000) * 1000};
    nanosleep(&ts, NULL);
}

/* ---- loop 1: y[i] = f(x[i]), sum reduction ---- */

static const struct weft_loc L1 = {"cluster_prog.c", "main", 40, 1};

static void body1(void *data, uint64_t lo, uint64_t hi, void *red) {
    void **cap = data;
    long work = *(long *)cap[1];
    long delay = *(long *)cap[2];
    const double *x = *(double **)cap[3];
    double *y = *(double **)cap[4];
    long crash_at = *(long *)cap[6];
    double s = 0;
    if (crash_at >= 0 && hi > (uint64_t)crash_at && !in_main)
        raise(SIGSEGV);
    for (uint64_t i = lo; i < hi; i++) {
        if (delay && i % 64 == 0)
            nap(delay);
        y[i] = f(x[i], work);
        s += y[i];
    }
    *(double *)red += s;
}

static void red1_init(void *data, void *slot) {
    (void)data;
    *(double *)slot = 0;
}

static void red1_combine(void *data, void *into, const void *from) {
    (void)data;
    *(double *)into += *(const double *)from;
}

static void red1_fini(void *data, void *slot) {
    void **cap = data;
    *(double *)cap[5] += *(double *)slot;
}

static const struct weft_reduction R1 = {sizeof(double), _Alignof(double), red1_init,
                                         red1_combine, red1_fini, NULL, 0, 0};
static const struct weft_capture CAPS1[] = {
    {sizeof(long), WEFT_CAP_VALUE},   /* n */
    {sizeof(long), WEFT_CAP_VALUE},   /* work */
    {sizeof(long), WEFT_CAP_VALUE},   /* delay */
    {sizeof(double *), WEFT_CAP_MAPPED_PTR}, /* x */
    {sizeof(double *), WEFT_CAP_MAPPED_PTR}, /* y */
    {sizeof(double), WEFT_CAP_VALUE}, /* sum (reduction: fini only) */
    {sizeof(long), WEFT_CAP_VALUE},   /* crash_at */
};

/* ---- loop 2: row blocks c[i*m : m] += A v ---- */

static const struct weft_loc L2 = {"cluster_prog.c", "main", 47, 1};

static void body2(void *data, uint64_t lo, uint64_t hi, void *red) {
    (void)red;
    void **cap = data;
    long m = *(long *)cap[0];
    long cols = *(long *)cap[1];
    const double *a = *(double **)cap[2];
    const double *v = *(double **)cap[3];
    double *c = *(double **)cap[4];
    for (uint64_t i = lo; i < hi; i++)
        for (long r = (long)i * m; r < (long)i * m + m; r++) {
            double s = 0;
            for (long k = 0; k < cols; k++)
                s += a[r * cols + k] * v[k];
            c[r] += s;
        }
}

static const struct weft_capture CAPS2[] = {
    {sizeof(long), WEFT_CAP_VALUE},          /* m */
    {sizeof(long), WEFT_CAP_VALUE},          /* cols */
    {sizeof(double *), WEFT_CAP_MAPPED_PTR}, /* a */
    {sizeof(double *), WEFT_CAP_MAPPED_PTR}, /* v */
    {sizeof(double *), WEFT_CAP_MAPPED_PTR}, /* c */
};

static const struct weft_cluster_body BODIES[] = {
    {"cluster_prog.c:40:1", body1, &R1, 7, CAPS1},
    {"cluster_prog.c:47:1", body2, NULL, 5, CAPS2},
};

__attribute__((constructor)) static void reg_bodies(void) {
    WEFT_cluster_register(BODIES, 2);
}

static int close_to(double a, double b) {
    return fabs(a - b) <= 1e-9 * (fabs(a) + fabs(b)) + 1e-12;
}

int main(int argc, char **argv) {
    static const struct weft_loc LM = {"cluster_prog.c", "main", 1, 1};
    WEFT_main_enter(&LM, WEFT_ABI_VERSION);
    in_main = 1;
    long n = 20000, work = 50, reps = 2, delay = 0, crash_at = -1;
    int opt;
    while ((opt = getopt(argc, argv, "n:w:r:d:k:")) != -1) {
        switch (opt) {
        case 'n': n = atol(optarg); break;
        case 'w': work = atol(optarg); break;
        case 'r': reps = atol(optarg); break;
        case 'd': delay = atol(optarg); break;
        case 'k': crash_at = atol(optarg); break;
        default:
            fprintf(stderr, "usage: cluster_prog [-n N] [-w WORK] [-r REPS] [-d US] [-k K]\n");
            return 2;
        }
    }
    int bad = 0;
    double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
    for (long i = 0; i < n; i++)
        x[i] = (double)(i % 1000) / 997.0 + 0.25;
    double want_sum = 0;
    double *want_y = malloc(n * sizeof *want_y);
    for (long i = 0; i < n; i++) {
        want_y[i] = f(x[i], work);
        want_sum += want_y[i];
    }
    for (long rep = 0; rep < reps; rep++) {
        double sum = 1.5; /* the reduction adds to the original value */
        memset(y, 0, n * sizeof *y);
        void *cap[] = {&n, &work, &delay, &x, &y, &sum, &crash_at};
        const struct weft_map maps[] = {
            {WEFT_MAP_TO, 3, sizeof(double), 0, 0, (uint64_t)n},
            {WEFT_MAP_FROM, 4, sizeof(double), 1, 0, 1},
        };
        uint64_t trip = WEFT_trip_count(&L1, 0, (uint64_t)n, 1, WEFT_CMP_LT,
                                        64 | WEFT_TYPE_SIGNED);
        struct weft_cluster_loop cl = {
            {&L1, trip, 0, 0, 0, 0, 0, body1, cap, &R1}, &BODIES[0], maps, 2};
        WEFT_parallel_for_cluster(&cl);
        for (long i = 0; i < n; i++)
            if (y[i] != want_y[i]) {
                fprintf(stderr, "FAIL loop1 rep %ld: y[%ld] = %g, want %g\n", rep, i, y[i],
                        want_y[i]);
                bad = 1;
                break;
            }
        if (!close_to(sum, 1.5 + want_sum)) {
            fprintf(stderr, "FAIL loop1 rep %ld: sum = %.17g, want %.17g\n", rep, sum,
                    1.5 + want_sum);
            bad = 1;
        }
    }

    long m = 4, cols = 64, rows = (n / 8 / m) * m;
    if (rows < m)
        rows = m;
    double *a = malloc(rows * cols * sizeof *a), *v = malloc(cols * sizeof *v);
    double *c = malloc(rows * sizeof *c), *want_c = malloc(rows * sizeof *c);
    for (long i = 0; i < rows * cols; i++)
        a[i] = (double)((i * 7) % 13) - 6.0;
    for (long k = 0; k < cols; k++)
        v[k] = 0.5 + k % 5;
    for (long r = 0; r < rows; r++) {
        want_c[r] = (double)r;
        c[r] = (double)r;
    }
    for (long rep = 0; rep < reps; rep++) {
        for (long r = 0; r < rows; r++) {
            double s = 0;
            for (long k = 0; k < cols; k++)
                s += a[r * cols + k] * v[k];
            want_c[r] += s;
        }
        void *cap[] = {&m, &cols, &a, &v, &c};
        const struct weft_map maps[] = {
            {WEFT_MAP_TO, 2, sizeof(double), 0, 0, (uint64_t)(rows * cols)},
            {WEFT_MAP_TO, 3, sizeof(double), 0, 0, (uint64_t)cols},
            {WEFT_MAP_TOFROM, 4, sizeof(double), m, 0, (uint64_t)m},
        };
        long nb = rows / m;
        uint64_t trip = WEFT_trip_count(&L2, 0, (uint64_t)nb, 1, WEFT_CMP_LT,
                                        64 | WEFT_TYPE_SIGNED);
        struct weft_cluster_loop cl = {
            {&L2, trip, 0, 0, 0, 0, 0, body2, cap, NULL}, &BODIES[1], maps, 3};
        WEFT_parallel_for_cluster(&cl);
        for (long r = 0; r < rows; r++)
            if (c[r] != want_c[r]) {
                fprintf(stderr, "FAIL loop2 rep %ld: c[%ld] = %g, want %g\n", rep, r, c[r],
                        want_c[r]);
                bad = 1;
                break;
            }
    }
    printf("cluster_prog: %s\n", bad ? "FAILED" : "ok");
    free(x);
    free(y);
    free(want_y);
    free(a);
    free(v);
    free(c);
    free(want_c);
    return bad;
}
