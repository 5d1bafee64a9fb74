/* This file handles OpenMP place lists: parsing OMP_PLACES (abstract names
 * with an optional count, explicit lists, intervals, exclusions) against a
 * topology snapshot into a list of places, each a set of OS CPU numbers.
 * Everything here is pure: no environment, no hwloc, no printing. */
#ifndef WEFT_PLACES_H
#define WEFT_PLACES_H

#include <stddef.h>

#include "topo.h"

/* A place list. Place p holds the OS CPU numbers pus[off[p] .. off[p+1]),
 * in increasing order, never empty. Owned by whoever filled it; released
 * with weft__places_destroy(). Immutable once built, so any thread may read
 * it. */
struct weft__places {
    int n;    /* number of places, >= 1 once parsed */
    int *off; /* n + 1 offsets into pus */
    int *pus; /* off[n] OS CPU numbers */
};

/* The place kinds of OMP_PLACES' abstract names. */
enum weft__place_kind {
    WEFT__PLACES_THREADS = 0,  /* "threads": one PU per place */
    WEFT__PLACES_CORES,        /* "cores" */
    WEFT__PLACES_LL_CACHES,    /* "ll_caches": PUs sharing the last cache */
    WEFT__PLACES_NUMA_DOMAINS, /* "numa_domains" */
    WEFT__PLACES_SOCKETS       /* "sockets": PUs of one package */
};

/* Fills *out with one place per group of the given kind, in the topology's
 * logical order, keeping only the first `count` places when count > 0.
 * Returns 0 or -ENOMEM (then *out is empty). */
WEFT_INTERNAL int weft__places_abstract(const struct weft__topo *t,
                                        enum weft__place_kind kind, int count,
                                        struct weft__places *out);

/* Parses an OMP_PLACES value against topology t. Accepted forms:
 *   threads | cores | ll_caches | numa_domains | sockets, each with an
 *   optional "(n)" (n >= 1; more than available is capped);
 *   an explicit list of places "{0,1},{2,3}" where each place lists
 *   resources "num", "num:len", "num:len:stride" or "!res" (exclusion);
 *   a place interval "{0:4}:4:4" (place, count, stride; stride default 1);
 *   "!{...}" excludes a place from the list.
 * Numbers are OS CPU numbers; CPUs the topology lacks are dropped, and so
 * are places left empty. On success returns 0 and fills *out. On error
 * returns -EINVAL (syntax, or no usable place) or -ENOMEM, leaves *out
 * empty, and writes a one-line reason into msg (when msg_cap > 0).
 * Ownership: caller releases *out with weft__places_destroy(). */
WEFT_INTERNAL int weft__places_parse(const struct weft__topo *t, const char *s,
                                     struct weft__places *out, char *msg,
                                     size_t msg_cap);

/* Releases a place list and leaves it empty; an empty list is fine. */
WEFT_INTERNAL void weft__places_destroy(struct weft__places *p);

/* Number of CPUs of place p (0 when p is out of range). */
WEFT_INTERNAL int weft__places_count(const struct weft__places *pl, int p);

/* Writes place p as "{0,1,2}" into buf (truncated to cap, always
 * terminated); returns the length the full text has. */
WEFT_INTERNAL int weft__places_format(const struct weft__places *pl, int p,
                                      char *buf, size_t cap);

#endif /* WEFT_PLACES_H */
