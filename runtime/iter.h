/* This file handles the pure scheduling math of libweft: trip counts of
 * canonical loops and the chunks each schedule hands out over the logical
 * iteration space [0, n). Nothing here uses TLS, locks or atomics; loop.c
 * adds the synchronisation, and the tests drive these functions directly. */
#ifndef WEFT_ITER_H
#define WEFT_ITER_H

#include <stdint.h>

#ifndef WEFT_INTERNAL
#define WEFT_INTERNAL __attribute__((visibility("hidden")))
#endif

/* Outcome of weft__trip_count_calc. */
enum weft__trip_status {
    WEFT__TRIP_OK = 0,
    WEFT__TRIP_BAD_TYPE = 1,  /* width not 8/16/32/64 */
    WEFT__TRIP_BAD_CMP = 2,   /* cmp not an enum weft_cmp value */
    WEFT__TRIP_INFINITE = 3,  /* step 0 or stepping away from ub: never ends */
    WEFT__TRIP_NE_MISSES = 4, /* `!=` loop whose step never lands on ub */
    WEFT__TRIP_TOO_MANY = 5   /* 2^64 iterations: not representable */
};

/* Trip count of `for (v = lb; v CMP ub; v += step)` where v has the type
 * described by `type` (width | WEFT_TYPE_SIGNED). lb and ub are taken modulo
 * 2^width and read as that type; the count is the number of k >= 0 such that
 * lb + k*step (exact arithmetic) satisfies the test, which is the OpenMP
 * logical iteration space. A zero-trip loop is WEFT__TRIP_OK with n = 0 even
 * when its step is 0. Returns a status; *n is set only on WEFT__TRIP_OK. */
WEFT_INTERNAL enum weft__trip_status
weft__trip_count_calc(uint64_t lb, uint64_t ub, int64_t step, int cmp,
                      unsigned type, uint64_t *n);
/* Text for a non-OK status, for weft__fatal. */
WEFT_INTERNAL const char *weft__trip_status_str(enum weft__trip_status s);

/* Static schedule without a chunk: thread tid of nthreads gets the
 * contiguous block [*lo, *hi) (possibly empty). Blocks cover [0, n) in tid
 * order and differ in length by at most one; the first n % nthreads threads
 * get the longer blocks. Same inputs, same block: always. */
WEFT_INTERNAL void weft__iter_static_block(uint64_t n, unsigned nthreads,
                                           unsigned tid, uint64_t *lo,
                                           uint64_t *hi);

/* Static schedule with a chunk: chunks 0, 1, 2, ... of `chunk` iterations go
 * round-robin to threads 0, 1, ..., nthreads-1, 0, ... A thread walks its
 * chunks with a cursor that starts at weft__iter_static_chunk_first(tid). */
static inline uint64_t weft__iter_static_chunk_first(unsigned tid) {
    return tid;
}
/* Gives the chunk with ordinal *cursor and advances *cursor by nthreads.
 * Returns 0 when the thread has no chunk left. chunk >= 1. */
WEFT_INTERNAL int weft__iter_static_chunk_next(uint64_t n, uint64_t chunk,
                                               unsigned nthreads,
                                               uint64_t *cursor, uint64_t *lo,
                                               uint64_t *hi);

/* Dynamic schedule: a thread that drew `start` from the shared counter (by
 * fetch-add of chunk) gets [start, min(start + chunk, n)); returns 0 when
 * start >= n (loop exhausted). */
WEFT_INTERNAL int weft__iter_dynamic_take(uint64_t n, uint64_t chunk,
                                          uint64_t start, uint64_t *lo,
                                          uint64_t *hi);

/* Whether a fetch-add counter for (n, chunk, nthreads) could wrap around
 * 2^64: every thread adds `chunk` once more after the loop is exhausted, so
 * the counter can reach n - 1 + (nthreads + 1) * chunk. When it could, loop.c
 * uses a compare-and-swap loop that never moves the counter past n. */
WEFT_INTERNAL int weft__iter_dynamic_needs_cas(uint64_t n, uint64_t chunk,
                                               unsigned nthreads);

/* Next value of the shared counter for a CAS-based dynamic step from `cur`
 * (never beyond n, so it cannot wrap). */
static inline uint64_t weft__iter_dynamic_cas_next(uint64_t n, uint64_t chunk,
                                                   uint64_t cur) {
    return n - cur > chunk ? cur + chunk : n;
}

/* Guided schedule: iterations a thread takes when `remaining` are left:
 * remaining / (WEFT_GUIDED_K * nthreads), at least chunk, at most remaining.
 * Returns 0 only when remaining is 0. */
WEFT_INTERNAL uint64_t weft__iter_guided_size(uint64_t remaining,
                                              uint64_t chunk,
                                              unsigned nthreads);

#endif
