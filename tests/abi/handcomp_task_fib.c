/* This file handles a hand-lowered recursive task program, as weftcc would
 * emit it for:
 *
 *     long fib(int n) {
 *         if (n < 2)
 *             return n;
 *         long x, y;
 *         #pragma omp task shared(x)      // n is firstprivate by default
 *         x = fib(n - 1);
 *         #pragma omp task shared(y)
 *         y = fib(n - 2);
 *         #pragma omp taskwait
 *         return x + y;
 *     }
 *
 *     int main(int argc, char **argv) {
 *         int n = argc > 1 ? atoi(argv[1]) : 27;
 *         long r;
 *         #pragma omp parallel
 *         #pragma omp single
 *         r = fib(n);
 *         printf("fib(%d) = %ld\n", n, r);
 *     }
 *
 * Checks: the result equals the serial fib(n) at team sizes 1..4 (or only
 * at OMP_NUM_THREADS with a second argument, "time", which also prints the
 * wall time: the form the task benchmarks use). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <weft.h>
#include <weft/abi.h>

static const struct weft_loc L_main = {"handcomp_task_fib.c", "main", 18, 9};
static const struct weft_loc L_single = {"handcomp_task_fib.c", "main", 19, 9};
static const struct weft_loc L_t1 = {"handcomp_task_fib.c", "fib", 6, 9};
static const struct weft_loc L_t2 = {"handcomp_task_fib.c", "fib", 8, 9};
static const struct weft_loc L_tw = {"handcomp_task_fib.c", "fib", 10, 9};

/* Argument block of both tasks: firstprivate n, shared x or y. */
struct fib_task_args {
    int n;
    long *out;
};

static long fib(int n);

/* Outlined bodies of the two tasks (both `out = fib(n - k)`). */
static void fib_task_6(void *arg) {
    struct fib_task_args *a = arg;
    *a->out = fib(a->n - 1);
}

static void fib_task_8(void *arg) {
    struct fib_task_args *a = arg;
    *a->out = fib(a->n - 2);
}

static long fib(int n) {
    if (n < 2)
        return n;
    long x, y;
    struct fib_task_args a1 = {n, &x};
    WEFT_task(&L_t1, fib_task_6, &a1, sizeof a1, _Alignof(struct fib_task_args),
              0, NULL, 0);
    struct fib_task_args a2 = {n, &y};
    WEFT_task(&L_t2, fib_task_8, &a2, sizeof a2, _Alignof(struct fib_task_args),
              0, NULL, 0);
    WEFT_taskwait(&L_tw);
    return x + y;
}

/* Capture block of the parallel region: n and the address of r. */
struct region_cap {
    int n;
    long *r;
};

static void region_18(void *data, void *red) {
    (void)red;
    struct region_cap *c = data;
    if (WEFT_single_begin(&L_single))
        *c->r = fib(c->n);
    WEFT_single_end(&L_single, 0);
}

static long fib_serial(int n) {
    return n < 2 ? n : fib_serial(n - 1) + fib_serial(n - 2);
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    WEFT_main_enter(&L_main, WEFT_ABI_VERSION);
    int n = argc > 1 ? atoi(argv[1]) : 27;
    int timed = argc > 2 && strcmp(argv[2], "time") == 0;
    long want = fib_serial(n);
    int fails = 0;
    for (int t = timed ? 0 : 1; t <= (timed ? 0 : 4); t++) {
        long r = -1;
        struct region_cap c = {n, &r};
        struct weft_region rg = {&L_main, region_18, &c, t, 0, 0, NULL};
        double t0 = now_s();
        WEFT_parallel(&rg);
        double dt = now_s() - t0;
        if (timed)
            printf("fib(%d) = %ld in %.3f s\n", n, r, dt);
        if (r != want) {
            printf("threads %d: fib(%d) = %ld, want %ld\n", t, n, r, want);
            fails++;
        }
    }
    printf("%s\n", fails ? "FAIL" : "PASS");
    return fails != 0;
}
