/* This file handles the pure scheduling math: trip counts of canonical loops
 * of every integer type and cmp kind, and the chunk formulas of the static,
 * dynamic and guided schedules. No TLS, no locks, no atomics: everything is
 * a function of its arguments, so the tests sweep it single-threaded. */
#include "weft-internal.h"

/* Maps a w-bit value of the loop's type onto uint64 so that unsigned order
 * on the result equals the order of the type: unsigned values are
 * zero-extended; signed ones are sign-extended and then biased by 2^63
 * (flipping the sign bit), which turns signed order into unsigned order.
 * Differences of two mapped values are exact distances in the type. */
static uint64_t to_ordered(uint64_t v, unsigned width, int is_signed) {
    if (width < 64) {
        uint64_t mask = (UINT64_C(1) << width) - 1;
        v &= mask;
        if (is_signed && (v >> (width - 1)) & 1)
            v |= ~mask; /* sign-extend */
    }
    return is_signed ? v ^ (UINT64_C(1) << 63) : v;
}

/* |step| as uint64 (exact for INT64_MIN as well). */
static uint64_t magnitude(int64_t step) {
    return step < 0 ? (uint64_t)0 - (uint64_t)step : (uint64_t)step;
}

enum weft__trip_status weft__trip_count_calc(uint64_t lb, uint64_t ub,
                                             int64_t step, int cmp,
                                             unsigned type, uint64_t *n) {
    unsigned width = type & 0xffu;
    int is_signed = (type & WEFT_TYPE_SIGNED) != 0;
    if ((type & ~(0xffu | WEFT_TYPE_SIGNED)) != 0 ||
        (width != 8 && width != 16 && width != 32 && width != 64))
        return WEFT__TRIP_BAD_TYPE;
    uint64_t a = to_ordered(lb, width, is_signed);
    uint64_t b = to_ordered(ub, width, is_signed);
    uint64_t s = magnitude(step);
    uint64_t d, q;

    switch (cmp) {
    case WEFT_CMP_LT:
        /* Zero-trip first: a loop that never runs never loops forever. */
        if (a >= b)
            break;
        if (step <= 0)
            return WEFT__TRIP_INFINITE;
        /* k runs while a + k*s < b, i.e. k*s <= b - a - 1. The distance is
         * exact in 64 bits (b > a), and (d - 1) / s + 1 cannot overflow. */
        d = b - a;
        *n = (d - 1) / s + 1;
        return WEFT__TRIP_OK;
    case WEFT_CMP_LE:
        if (a > b)
            break;
        if (step <= 0)
            return WEFT__TRIP_INFINITE;
        /* k*s <= b - a: q + 1 iterations, which is 2^64 (unrepresentable)
         * only for a full 64-bit range with step 1. */
        q = (b - a) / s;
        if (q == UINT64_MAX)
            return WEFT__TRIP_TOO_MANY;
        *n = q + 1;
        return WEFT__TRIP_OK;
    case WEFT_CMP_GT:
        if (a <= b)
            break;
        if (step >= 0)
            return WEFT__TRIP_INFINITE;
        d = a - b;
        *n = (d - 1) / s + 1;
        return WEFT__TRIP_OK;
    case WEFT_CMP_GE:
        if (a < b)
            break;
        if (step >= 0)
            return WEFT__TRIP_INFINITE;
        q = (a - b) / s;
        if (q == UINT64_MAX)
            return WEFT__TRIP_TOO_MANY;
        *n = q + 1;
        return WEFT__TRIP_OK;
    case WEFT_CMP_NE:
        if (a == b)
            break;
        if (step == 0)
            return WEFT__TRIP_INFINITE;
        /* The loop must walk towards ub and land on it exactly, without
         * leaving the type's range (wrapping round is not a canonical loop:
         * OpenMP requires the iteration count to be computable). */
        if ((step > 0) != (b > a))
            return WEFT__TRIP_NE_MISSES;
        d = step > 0 ? b - a : a - b;
        if (d % s != 0)
            return WEFT__TRIP_NE_MISSES;
        *n = d / s;
        return WEFT__TRIP_OK;
    default:
        return WEFT__TRIP_BAD_CMP;
    }
    *n = 0;
    return WEFT__TRIP_OK;
}

const char *weft__trip_status_str(enum weft__trip_status s) {
    switch (s) {
    case WEFT__TRIP_OK:
        return "ok";
    case WEFT__TRIP_BAD_TYPE:
        return "loop variable type is not an 8, 16, 32 or 64-bit integer";
    case WEFT__TRIP_BAD_CMP:
        return "unknown loop comparison";
    case WEFT__TRIP_INFINITE:
        return "loop never ends (its step is 0 or moves away from its bound)";
    case WEFT__TRIP_NE_MISSES:
        return "'!=' loop never reaches its bound (step does not land on it)";
    case WEFT__TRIP_TOO_MANY:
        return "loop has 2^64 iterations, more than can be counted";
    }
    return "unknown status";
}

void weft__iter_static_block(uint64_t n, unsigned nthreads, unsigned tid,
                             uint64_t *lo, uint64_t *hi) {
    /* q iterations each, and the first r threads one more. Fewer iterations
     * than threads: q = 0, threads tid >= n get empty blocks [n, n). */
    uint64_t q = n / nthreads, r = n % nthreads;
    uint64_t start;
    if (tid < r) {
        start = (uint64_t)tid * (q + 1);
        *lo = start;
        *hi = start + q + 1;
    } else {
        start = r * (q + 1) + ((uint64_t)tid - r) * q;
        *lo = start;
        *hi = start + q;
    }
}

int weft__iter_static_chunk_next(uint64_t n, uint64_t chunk, unsigned nthreads,
                                 uint64_t *cursor, uint64_t *lo, uint64_t *hi) {
    if (n == 0) /* zero-trip: no chunks at all */
        return 0;
    /* Number of chunks, the last one possibly partial; no overflow since
     * (n - 1) / chunk + 1 <= n. */
    uint64_t nchunks = (n - 1) / chunk + 1;
    uint64_t c = *cursor;
    if (c >= nchunks)
        return 0;
    uint64_t start = c * chunk; /* c < nchunks, so start <= n - 1 */
    *lo = start;
    *hi = n - start > chunk ? start + chunk : n; /* last partial chunk */
    /* Saturate instead of wrapping, so a huge cursor stays "done". */
    *cursor = c > UINT64_MAX - nthreads ? UINT64_MAX : c + nthreads;
    return 1;
}

int weft__iter_dynamic_take(uint64_t n, uint64_t chunk, uint64_t start,
                            uint64_t *lo, uint64_t *hi) {
    if (start >= n) /* exhausted (also the zero-trip loop) */
        return 0;
    *lo = start;
    *hi = n - start > chunk ? start + chunk : n; /* last partial chunk */
    return 1;
}

int weft__iter_dynamic_needs_cas(uint64_t n, uint64_t chunk,
                                 unsigned nthreads) {
    /* Largest counter value: n - 1 + (nthreads + 1) * chunk. */
    uint64_t k = (uint64_t)nthreads + 1;
    if (chunk > UINT64_MAX / k)
        return 1;
    uint64_t extra = k * chunk;
    return n > UINT64_MAX - extra;
}

uint64_t weft__iter_guided_size(uint64_t remaining, uint64_t chunk,
                                unsigned nthreads) {
    uint64_t div = (uint64_t)WEFT_GUIDED_K * nthreads;
    uint64_t q = remaining / div;
    if (q < chunk)
        q = chunk; /* floor at the chunk size */
    if (q > remaining)
        q = remaining; /* last partial chunk */
    return q;
}
