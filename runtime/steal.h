/* This file handles the locality-aware work-stealing loop schedule (used for
 * schedule(nonmonotonic: dynamic) and schedule(auto)): the pure steal-order
 * computation from the topology and the threads' places, and the shared
 * per-thread ranges that owners take from the front and thieves halve from
 * the back, each packed in one 64-bit atomic word. */
#ifndef WEFT_STEAL_H
#define WEFT_STEAL_H

#include <stdalign.h>
#include <stdint.h>

#include "affinity.h"
#include "arch/atomic.h"
#include "config.h"
#include "places.h"

/* Steal order of every thread of a team: order[t * (nthreads - 1) + k] is
 * the k-th victim thread t tries. Victims sharing t's last-level cache come
 * first, then those in t's NUMA domain, then the rest by increasing NUMA
 * distance (then same package first); ties go to the nearest thread number
 * after t (wrapping), which spreads thieves over victims. A thread's
 * locality is that of the first CPU of its place (thread_place[i] indexes
 * pl); with thread_place == NULL (unbound team) the order is the ring
 * t+1, t+2, ... `order` holds nthreads * (nthreads - 1) ints. Returns 0 or
 * -EINVAL (nthreads < 1, a place out of range). Pure. */
WEFT_INTERNAL int weft__steal_order(const struct weft__topo *t,
                                    const struct weft__places *pl,
                                    const int *thread_place, int nthreads,
                                    int *order);

/* Steal order for a team formed under the process-wide affinity settings:
 * with plan (the team's weft__affinity_team_plan() result) threads are
 * located by their places; with plan == NULL (team not bound) the ring
 * order. Same layout and result as weft__steal_order(). Any thread. */
WEFT_INTERNAL int weft__steal_order_team(const struct weft__bind_slot *plan,
                                         int nthreads, int *order);

/* weft__steal_order_team() for a team formed again and again (the hot
 * team): *sig remembers the placement (team size and each member's place)
 * that `order` was computed for, and a call with the same placement returns
 * at once without touching order. *sig must start at 0 and belong to this
 * order buffer. Returns 0 or -errno (then *sig is 0). Master thread. */
WEFT_INTERNAL int weft__steal_order_update(const struct weft__bind_slot *plan,
                                           int nthreads, int *order,
                                           uint64_t *sig);

/* One thread's remaining range, in grains: lo in the high 32 bits, hi in
 * the low 32 bits, empty when lo >= hi. Alone on its cache line because
 * its owner updates it on every chunk while thieves read it. */
struct weft__steal_slot {
    alignas(WEFT_CACHE_LINE) weft__atomic_u64 range;
};

/* A stealing loop over logical iterations [0, n): read-only after
 * weft__steal_init(), except the slots. Caller-allocated (on the team's
 * work-share), never mallocs. */
struct weft__steal {
    uint64_t n;     /* iterations */
    uint64_t grain; /* iterations per grain (the last grain may be short) */
    uint32_t ngrains;
    int nthreads;
    const int *order; /* weft__steal_order() result, or NULL for the ring */
    struct weft__steal_slot *slots; /* nthreads slots */
};

/* Prepares a stealing loop of n iterations for nthreads threads. Thread t
 * starts with its static block of grains (blocks differ by at most one
 * grain, the first ngrains mod nthreads blocks being the larger). A grain is
 * `chunk` iterations when chunk > 0, otherwise about 1/64 of a thread's
 * block; it grows as needed so that grain numbers fit in 32 bits. `order`
 * (nthreads * (nthreads - 1) ints, or NULL) and `slots` must outlive the
 * loop. Run by one thread before any thread calls weft__steal_next(); the
 * team's fork or barrier must order it before them. */
WEFT_INTERNAL void weft__steal_init(struct weft__steal *s,
                                    struct weft__steal_slot *slots,
                                    const int *order, uint64_t n, int64_t chunk,
                                    int nthreads);

/* Next chunk for thread tid: from the front of its own range, otherwise by
 * taking the back half of the first victim (in steal order) with work left,
 * keeping the rest of the stolen half as its own range. Returns 1 with the
 * chunk [*lo, *hi), or 0 when no thread has work left that could be stolen
 * (grains already taken are run by whoever took them). Every iteration is
 * handed out exactly once. Lock-free; thread tid only, any number of
 * threads at once. */
WEFT_INTERNAL int weft__steal_next(struct weft__steal *s, int tid, uint64_t *lo,
                                   uint64_t *hi);

#endif /* WEFT_STEAL_H */
