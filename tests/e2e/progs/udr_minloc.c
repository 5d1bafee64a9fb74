/* This file handles user-defined reductions on structs: a min-with-index
 * (location of the smallest value, first index on ties) with an
 * initializer, a max-with-index without one, whose private copies then
 * start zeroed (OpenMP: as if static storage), which is the identity here
 * because every value is positive, a histogram struct (with an array
 * member) without an initializer, and one declaration listing several
 * types. */
// E2E-SCHEDULES: static dynamic,5 guided
#include <limits.h>
#include <stdio.h>

struct loc {
    long val;
    int idx;
};

struct hist {
    long count[8];
    long total;
};

#pragma omp declare reduction(                                                 \
    minloc                                                                     \
    : struct loc                                                               \
    : omp_out = (omp_in.val < omp_out.val ||                                   \
                 (omp_in.val == omp_out.val && omp_in.idx < omp_out.idx))      \
                    ? omp_in                                                   \
                    : omp_out)                                                 \
    initializer(omp_priv = (struct loc){LONG_MAX, INT_MAX})

#pragma omp declare reduction(                                                 \
    maxloc                                                                     \
    : struct loc                                                               \
    : omp_out = (omp_in.val > omp_out.val ||                                   \
                 (omp_in.val == omp_out.val && omp_in.idx < omp_out.idx))      \
                    ? omp_in                                                   \
                    : omp_out)

static void hist_merge(struct hist *out, const struct hist *in) {
    for (int b = 0; b < 8; b++)
        out->count[b] += in->count[b];
    out->total += in->total;
}

#pragma omp declare reduction(merge                                            \
                              : struct hist                                    \
                              : hist_merge(&omp_out, &omp_in))
#pragma omp declare reduction(lsum : long, unsigned long : omp_out += omp_in)

static long value(int i) { return 1 + (long)((i * 7919L) % 100003); }

int main(void) {
    int n = 50000;
    struct loc lo = {LONG_MAX, INT_MAX};
    struct loc hi = {0, 0};
    struct hist h = {{0}, 0};
    long s = 100;
    unsigned long u = 7;
#pragma omp parallel for reduction(minloc                                      \
                                   : lo) reduction(maxloc                      \
                                                   : hi) reduction(merge       \
                                                                   : h)        \
    reduction(lsum                                                             \
              : s, u) schedule(runtime)
    for (int i = 0; i < n; i++) {
        long v = value(i);
        if (v < lo.val || (v == lo.val && i < lo.idx)) {
            lo.val = v;
            lo.idx = i;
        }
        if (v > hi.val || (v == hi.val && i < hi.idx)) {
            hi.val = v;
            hi.idx = i;
        }
        h.count[v % 8]++;
        h.total += v;
        s += v % 10;
        u += (unsigned long)i;
    }
    printf("min %ld at %d, max %ld at %d\n", lo.val, lo.idx, hi.val, hi.idx);
    for (int b = 0; b < 8; b++)
        printf("bin %d: %ld\n", b, h.count[b]);
    printf("total %ld s %ld u %lu\n", h.total, s, u);
    return 0;
}
