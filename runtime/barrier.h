/* This file handles the team barrier: a centralised sense-reversing barrier
 * on two cache lines (arrival counter, release generation) whose waiters
 * spin briefly and then sleep on the generation word. */
#ifndef WEFT_BARRIER_H
#define WEFT_BARRIER_H

#include <stdalign.h>

#include "arch/atomic.h"
#include "config.h"

#ifndef WEFT_INTERNAL
#define WEFT_INTERNAL __attribute__((visibility("hidden")))
#endif

/* Caller-allocated; never mallocs. The arrival counter and the generation
 * sit on different lines: arrivals hammer the first, waiters read the
 * second, so a waiter's spin does not steal the line arrivals write. */
struct weft__barrier {
    alignas(WEFT_CACHE_LINE)
        weft__atomic_u32 arrived; /* threads arrived this episode */
    alignas(WEFT_CACHE_LINE) weft__atomic_u32 gen; /* episode; futex word */
    weft__atomic_u32 sleepers;                     /* waiters in futex_wait */
};
_Static_assert(sizeof(struct weft__barrier) == 2 * WEFT_CACHE_LINE,
               "barrier must be exactly two cache lines");

#define WEFT__BARRIER_INITIALIZER                                              \
    { 0, 0, 0 }

WEFT_INTERNAL void weft__barrier_init(struct weft__barrier *b);

/* Blocks until n threads (the team's size, equal in every caller of one
 * episode) have called it. Everything any thread wrote before its call
 * happens-before everything every thread does after returning. Any thread
 * of the team; n >= 1. */
WEFT_INTERNAL void weft__barrier_wait(struct weft__barrier *b, unsigned n);

#endif
