/* This file handles the cluster benchmark (run by hand, not a test):
 *   1. a raw TCP ping-pong on loopback (64-byte messages, two threads);
 *   2. the round trip of one remote chunk: a one-iteration cluster loop
 *      called many times (the worker is fed before the local team starts,
 *      so it takes the iteration and the coordinator waits for the result);
 *   3. a compute-bound cluster loop (y[i] = f(x[i])), timed.
 * Run it alone and under `weftrun -n 2` with OMP_NUM_THREADS=1 (and
 * WEFT_MIN_WORKERS=1) to compare one thread with one thread plus one
 * one-thread worker. Options: -c CALLS (step 2), -n N and -w WORK (step 3).
 * Steps 1 and 2 time every round trip and print the mean and the median:
 * on a loaded machine the mean mostly measures preemptions, the median the
 * path itself. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <weft/abi.h>

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* ---- raw TCP ping-pong ---- */

#define PP_LEN 64

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Median of v[0..n) (sorts v). */
static double median(double *v, long n) {
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

static int full_io(int fd, char *buf, size_t n, int wr) {
    size_t done = 0;
    while (done < n) {
        ssize_t r = wr ? write(fd, buf + done, n - done)
                       : read(fd, buf + done, n - done);
        if (r <= 0)
            return -1;
        done += (size_t)r;
    }
    return 0;
}

static void *echo_main(void *arg) {
    int lfd = *(int *)arg, one = 1;
    int fd = accept(lfd, NULL, NULL);
    char buf[PP_LEN];
    if (fd < 0)
        return NULL;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    while (full_io(fd, buf, PP_LEN, 0) == 0 && full_io(fd, buf, PP_LEN, 1) == 0)
        ;
    close(fd);
    return NULL;
}

/* Mean round trip in us; *med gets the median. */
static double pingpong_us(int rounds, double *med) {
    int lfd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    struct sockaddr_in sa;
    socklen_t sl = sizeof sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof sa) ||
        listen(lfd, 1) || getsockname(lfd, (struct sockaddr *)&sa, &sl))
        return -1;
    pthread_t th;
    pthread_create(&th, NULL, echo_main, &lfd);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa))
        return -1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    char buf[PP_LEN] = {0};
    for (int i = 0; i < 100; i++)
        if (full_io(fd, buf, PP_LEN, 1) || full_io(fd, buf, PP_LEN, 0))
            return -1;
    double *each = malloc((size_t)rounds * sizeof *each);
    if (!each)
        return -1;
    double t0 = now_s(), prev = t0;
    for (int i = 0; i < rounds; i++) {
        if (full_io(fd, buf, PP_LEN, 1) || full_io(fd, buf, PP_LEN, 0))
            return -1;
        double t1 = now_s();
        each[i] = t1 - prev;
        prev = t1;
    }
    double t = now_s() - t0;
    close(fd);
    pthread_join(th, NULL);
    close(lfd);
    *med = median(each, rounds) * 1e6;
    free(each);
    return t / rounds * 1e6;
}

/* ---- cluster loops ---- */

static const struct weft_loc LT = {"cluster_bench.c", "main", 60, 1};
static const struct weft_loc LC = {"cluster_bench.c", "main", 70, 1};

static void body_tiny(void *data, uint64_t lo, uint64_t hi, void *red) {
    (void)red;
    void **cap = data;
    double *y = *(double **)cap[0];
    for (uint64_t i = lo; i < hi; i++)
        y[i] = (double)i + 1;
}

static double f(double x, long work) {
    double s = x;
    for (long k = 0; k < work; k++)
        s = s * 0.999 + sin(s + (double)k * 1e-3) * 0.5;
    return s;
}

static void body_compute(void *data, uint64_t lo, uint64_t hi, void *red) {
    (void)red;
    void **cap = data;
    long work = *(long *)cap[0];
    const double *x = *(double **)cap[1];
    double *y = *(double **)cap[2];
    for (uint64_t i = lo; i < hi; i++)
        y[i] = f(x[i], work);
}

static const struct weft_capture CAPT[] = {
    {sizeof(double *), WEFT_CAP_MAPPED_PTR}};
static const struct weft_capture CAPC[] = {
    {sizeof(long), WEFT_CAP_VALUE},
    {sizeof(double *), WEFT_CAP_MAPPED_PTR},
    {sizeof(double *), WEFT_CAP_MAPPED_PTR}};
static const struct weft_cluster_body BODIES[] = {
    {"cluster_bench.c:60:1", body_tiny, NULL, 1, CAPT},
    {"cluster_bench.c:70:1", body_compute, NULL, 3, CAPC},
};

__attribute__((constructor)) static void reg_bodies(void) {
    WEFT_cluster_register(BODIES, 2);
}

int main(int argc, char **argv) {
    static const struct weft_loc LM = {"cluster_bench.c", "main", 1, 1};
    WEFT_main_enter(&LM, WEFT_ABI_VERSION);
    long calls = 2000, n = 20000, work = 2000;
    int opt;
    while ((opt = getopt(argc, argv, "c:n:w:")) != -1) {
        if (opt == 'c')
            calls = atol(optarg);
        else if (opt == 'n')
            n = atol(optarg);
        else if (opt == 'w')
            work = atol(optarg);
        else
            return 2;
    }
    double pp_med = 0, pp = pingpong_us(20000, &pp_med);
    printf("raw TCP ping-pong (64 B, loopback): %.1f us per round trip (median "
           "%.1f us)\n",
           pp, pp_med);

    double y1 = 0, *yp = &y1;
    void *capt[] = {&yp};
    const struct weft_map mapt[] = {
        {WEFT_MAP_FROM, 0, sizeof(double), 1, 0, 1}};
    struct weft_cluster_loop clt = {
        {&LT, 1, 0, 0, 0, 0, 0, body_tiny, capt, NULL}, &BODIES[0], mapt, 1};
    WEFT_parallel_for_cluster(&clt); /* warm-up, and WEFT_MIN_WORKERS */
    if (calls < 1)
        calls = 1;
    double *each = malloc((size_t)calls * sizeof *each);
    if (!each)
        return 1;
    double t0 = now_s(), prev = t0;
    for (long c = 0; c < calls; c++) {
        WEFT_parallel_for_cluster(&clt);
        double t1 = now_s();
        each[c] = t1 - prev;
        prev = t1;
    }
    double t = now_s() - t0;
    double med = median(each, calls) * 1e6;
    free(each);
    printf("one-iteration cluster loop: %.1f us per call (median %.1f us; %ld "
           "calls, y = %g)\n",
           t / calls * 1e6, med, calls, y1);
    if (pp > 0 && pp_med > 0)
        printf("ratio to the ping-pong: %.2f (means), %.2f (medians)\n",
               t / calls * 1e6 / pp, med / pp_med);

    double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
    for (long i = 0; i < n; i++)
        x[i] = (double)(i % 100) / 100.0;
    void *capc[] = {&work, &x, &y};
    const struct weft_map mapc[] = {
        {WEFT_MAP_TO, 1, sizeof(double), 0, 0, (uint64_t)n},
        {WEFT_MAP_FROM, 2, sizeof(double), 1, 0, 1}};
    struct weft_cluster_loop clc = {
        {&LC, (uint64_t)n, 0, 0, 0, 0, 0, body_compute, capc, NULL},
        &BODIES[1],
        mapc,
        2};
    double best = 1e30;
    for (int r = 0; r < 3; r++) {
        t0 = now_s();
        WEFT_parallel_for_cluster(&clc);
        t = now_s() - t0;
        if (t < best)
            best = t;
    }
    long wrong = 0;
    for (long i = 0; i < n; i += 97)
        wrong += y[i] != f(x[i], work);
    printf("compute-bound loop (n=%ld, work=%ld): best of 3 %.3f s (%ld wrong "
           "samples)\n",
           n, work, best, wrong);
    free(x);
    free(y);
    return 0;
}
