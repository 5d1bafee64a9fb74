/* This file handles what the NUMA benchmarks (stream.c, stencil_ft.c) share:
 * the allocation of their big arrays, the one place where the weft build
 * differs from the gcc/clang -fopenmp builds, and small statistics helpers.
 *
 * Built with -DUSE_WEFT_ALLOC (passed only to the weftcc build; weftcc
 * defines _OPENMP and nothing weft-specific), arrays come from weft_alloc()
 * with WEFT_MEM_FIRST_TOUCH_STATIC: the runtime touches each thread's static
 * block of pages in a parallel region. Otherwise they come from malloc() and
 * the caller's parallel initialisation loop (same static schedule as the
 * timed loops) is the first touch, the classic OpenMP way. Both builds run
 * the same initialisation loop afterwards, so they do the same work. */
#ifndef BENCH_NUMA_COMMON_H
#define BENCH_NUMA_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef USE_WEFT_ALLOC
#include <weft.h>
#define NB_ALLOC_KIND "weft_alloc(FIRST_TOUCH_STATIC)"
#else
#define NB_ALLOC_KIND "malloc+parallel-first-touch"
#endif

/* Allocates `bytes` for one benchmark array or exits with a message: a
 * benchmark without its memory has nothing to report. */
static double *nb_alloc(size_t bytes) {
#ifdef USE_WEFT_ALLOC
    int err = 0;
    double *p = weft_alloc(bytes, WEFT_MEM_FIRST_TOUCH_STATIC, &err);
    if (!p) {
        fprintf(stderr, "weft_alloc(%zu): %s\n", bytes, weft_strerror(err));
        exit(1);
    }
#else
    double *p = malloc(bytes);
    if (!p) {
        fprintf(stderr, "malloc(%zu) failed\n", bytes);
        exit(1);
    }
#endif
    return p;
}

static void nb_free(double *p) {
#ifdef USE_WEFT_ALLOC
    weft_free(p);
#else
    free(p);
#endif
}

static int nb_cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Sorts t[0..n-1] in place; stores the minimum and the median. */
static void nb_stats(double *t, int n, double *best, double *median) {
    qsort(t, (size_t)n, sizeof *t, nb_cmp_double);
    *best = t[0];
    *median = n % 2 ? t[n / 2] : 0.5 * (t[n / 2 - 1] + t[n / 2]);
}

/* Parses a positive integer option value or exits with the usage text. */
static long nb_parse_pos(const char *opt, const char *val, const char *usage) {
    char *end = NULL;
    long v = val ? strtol(val, &end, 10) : 0;
    if (!val || *end != '\0' || v <= 0) {
        fprintf(stderr, "%s needs a positive integer\n%s", opt, usage);
        exit(2);
    }
    return v;
}

#endif /* BENCH_NUMA_COMMON_H */
