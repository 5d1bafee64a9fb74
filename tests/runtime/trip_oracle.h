/* This file handles the reference model that test_trip and test_iter check
 * the runtime's trip counts against: a brute-force walk of the loop in its
 * real C type (with overflow detection) for short loops, and a closed form
 * in 128-bit arithmetic for long ones. Independent of runtime/iter.c. */
#ifndef WEFT_TRIP_ORACLE_H
#define WEFT_TRIP_ORACLE_H

#include <stdint.h>

#include "iter.h"
#include "weft/abi.h"

typedef __int128 i128;

/* Closed-form count in exact arithmetic; same statuses as the runtime. */
static inline enum weft__trip_status oracle_closed(i128 lb, i128 ub, i128 step, int cmp,
                                                   i128 *n) {
    i128 d;
    switch (cmp) {
    case WEFT_CMP_LT:
        if (lb >= ub) { *n = 0; return WEFT__TRIP_OK; }
        if (step <= 0) return WEFT__TRIP_INFINITE;
        *n = (ub - lb + step - 1) / step;
        break;
    case WEFT_CMP_LE:
        if (lb > ub) { *n = 0; return WEFT__TRIP_OK; }
        if (step <= 0) return WEFT__TRIP_INFINITE;
        *n = (ub - lb) / step + 1;
        break;
    case WEFT_CMP_GT:
        if (lb <= ub) { *n = 0; return WEFT__TRIP_OK; }
        if (step >= 0) return WEFT__TRIP_INFINITE;
        *n = (lb - ub + (-step) - 1) / (-step);
        break;
    case WEFT_CMP_GE:
        if (lb < ub) { *n = 0; return WEFT__TRIP_OK; }
        if (step >= 0) return WEFT__TRIP_INFINITE;
        *n = (lb - ub) / (-step) + 1;
        break;
    default: /* NE */
        if (lb == ub) { *n = 0; return WEFT__TRIP_OK; }
        if (step == 0) return WEFT__TRIP_INFINITE;
        d = ub - lb;
        if ((d > 0) != (step > 0) || d % step != 0) return WEFT__TRIP_NE_MISSES;
        *n = d / step;
        break;
    }
    if (*n > (i128)UINT64_MAX)
        return WEFT__TRIP_TOO_MANY;
    return WEFT__TRIP_OK;
}

/* Brute force in the real type T: walks `for (v = lb; v CMP ub; v += step)`
 * and stops when the next step would overflow T (the loop then leaves the
 * type's range: beyond ub for < <= > >=, a miss for !=). Records up to
 * `cap` values in seq. Returns the count, or -1 past cap, -2 for a != loop
 * that misses, -3 for a loop that cannot end (step 0 while the test holds). */
#define ORACLE_BRUTE_DEFINE(NAME, T)                                          \
    static inline int64_t NAME(T lb, T ub, int64_t step, int cmp, int64_t cap, \
                               T *seq) {                                      \
        T v = lb;                                                             \
        int64_t cnt = 0;                                                      \
        for (;;) {                                                            \
            int go;                                                           \
            switch (cmp) {                                                    \
            case WEFT_CMP_LT: go = v < ub; break;                             \
            case WEFT_CMP_LE: go = v <= ub; break;                            \
            case WEFT_CMP_GT: go = v > ub; break;                             \
            case WEFT_CMP_GE: go = v >= ub; break;                            \
            default: go = v != ub; break;                                     \
            }                                                                 \
            if (!go)                                                          \
                return cnt;                                                   \
            if (step == 0)                                                    \
                return -3;                                                    \
            if (cnt >= cap)                                                   \
                return -1;                                                    \
            if (seq)                                                          \
                seq[cnt] = v;                                                 \
            cnt++;                                                            \
            T nv;                                                             \
            if (__builtin_add_overflow(v, step, &nv))                         \
                return cmp == WEFT_CMP_NE ? -2 : cnt;                         \
            /* Moving away from ub with < <= > >=: never ends in exact        \
             * arithmetic (reaching the type's limit is an overflow). */      \
            v = nv;                                                           \
        }                                                                     \
    }

#endif
