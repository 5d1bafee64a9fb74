/* This file handles the STREAM-style triad benchmark, a[i] = b[i] + s*c[i]
 * over doubles, written once as OpenMP source and built three ways by
 * bench/run-numa.sh: weftcc (with -DUSE_WEFT_ALLOC: arrays from weft_alloc
 * FIRST_TOUCH_STATIC), gcc -fopenmp and clang -fopenmp (malloc, then the
 * parallel initialisation below is the first touch). With -DSTREAM_DYNAMIC
 * the timed loop uses schedule(nonmonotonic: dynamic, 8192), weft's
 * work-stealing schedule, over data still placed by the static first touch:
 * it shows what stealing costs (or saves) in locality.
 *
 * Usage: stream [--size MIB] [--reps N] [--label TEXT]
 *   --size MIB  size of each of the 3 arrays in MiB (default 64, i.e.
 *               3 x 64 MiB; choose >= 4x the last-level cache in total)
 *   --reps N    timed triads (default 10); best and median are reported
 * stdout: one line of key=value fields (threads, n, best_s, median_s,
 * best_gbs, median_gbs, check); GB/s = 24*N/t (bytes read and written,
 * 1 GB = 1e9 B). Exit 1 when the result check fails. */
#include <omp.h>

#include "numa_common.h"

static const char usage[] =
    "usage: stream [--size MIB] [--reps N] [--label TEXT]\n";

#ifdef STREAM_DYNAMIC
#define STREAM_SCHED "nonmonotonic:dynamic,8192"
#else
#define STREAM_SCHED "static"
#endif

int main(int argc, char **argv) {
    long mib = 64, reps = 10;
    const char *label = "";
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--size"))
            mib =
                nb_parse_pos("--size", i + 1 < argc ? argv[++i] : NULL, usage);
        else if (!strcmp(argv[i], "--reps"))
            reps =
                nb_parse_pos("--reps", i + 1 < argc ? argv[++i] : NULL, usage);
        else if (!strcmp(argv[i], "--label") && i + 1 < argc)
            label = argv[++i];
        else {
            fputs(usage, stderr);
            return 2;
        }
    }
    long n = mib * 1024 * 1024 / (long)sizeof(double);
    size_t bytes = (size_t)n * sizeof(double);
    double *a = nb_alloc(bytes);
    double *b = nb_alloc(bytes);
    double *c = nb_alloc(bytes);

    /* Same schedule and team as the static triad: thread t writes first
     * the block it will read and write in every timed loop. */
#pragma omp parallel for schedule(static)
    for (long i = 0; i < n; i++) {
        a[i] = 0.0;
        b[i] = 1.0 + (double)(i % 7);
        c[i] = 2.0;
    }

    double *t = malloc((size_t)reps * sizeof *t);
    if (!t) {
        fputs("out of memory\n", stderr);
        return 1;
    }
    /* The scalar changes every repetition and each result is checked,
     * element by element and outside the timed region, so a repetition
     * that skipped or repeated part of the range is caught whatever the
     * schedule (an unchanged array from an earlier one would not pass). */
    long bad = 0;
    for (long r = 0; r < reps; r++) {
        const double s = 1.0 + (double)(r % 5);
        double t0 = omp_get_wtime();
#ifdef STREAM_DYNAMIC
#pragma omp parallel for schedule(nonmonotonic : dynamic, 8192)
        for (long i = 0; i < n; i++)
            a[i] = b[i] + s * c[i];
#else
#pragma omp parallel for schedule(static)
        for (long i = 0; i < n; i++)
            a[i] = b[i] + s * c[i];
#endif
        t[r] = omp_get_wtime() - t0;
        for (long i = 0; i < n; i++)
            if (a[i] != 1.0 + (double)(i % 7) + s * 2.0)
                bad++;
    }

    double best, median;
    nb_stats(t, (int)reps, &best, &median);
    printf("stream%s%s sched=%s alloc=%s threads=%d n=%ld reps=%ld "
           "best_s=%.6f median_s=%.6f best_gbs=%.3f median_gbs=%.3f check=%s\n",
           *label ? " label=" : "", label, STREAM_SCHED, NB_ALLOC_KIND,
           omp_get_max_threads(), n, reps, best, median,
           24.0 * (double)n / best * 1e-9, 24.0 * (double)n / median * 1e-9,
           bad ? "FAILED" : "ok");
    free(t);
    nb_free(a);
    nb_free(b);
    nb_free(c);
    return bad ? 1 : 0;
}
