/* This file handles the WEFT_STATS statistics of local loops: per-thread
 * tables of what each pragma cost (filled by the hooks in trace.c) and the
 * "local_loops" part of the WEFT_STATS JSON document. */
#ifndef WEFT_STATS_H
#define WEFT_STATS_H

#include <stdint.h>
#include <stdio.h>

#include "weft/abi.h"

#ifndef WEFT_INTERNAL
#define WEFT_INTERNAL __attribute__((visibility("hidden")))
#endif

/* One thread's table, keyed by (pragma, team thread number). Written by
 * its thread under its own uncontended mutex (once per loop, never per
 * chunk), so the exit writer may read it while other threads run. */
struct weft__stats_thr;

/* A new table for the calling thread, linked into the global list (never
 * freed: a thread's numbers outlive it). Any thread. */
WEFT_INTERNAL struct weft__stats_thr *weft__stats_thr_new(void);

/* Thread `tid` of a team ran `chunks` chunks of the loop at loc, busy for
 * busy_ns inside them. Owner thread of st only. */
WEFT_INTERNAL void weft__stats_share(struct weft__stats_thr *st,
                                     const struct weft_loc *loc, unsigned tid,
                                     uint64_t chunks, uint64_t busy_ns);
/* One call of the loop at loc took wall_ns on its reporting thread (the
 * master, or thread 0 of a `for`). Owner thread of st only. */
WEFT_INTERNAL void weft__stats_call(struct weft__stats_thr *st,
                                    const struct weft_loc *loc,
                                    uint64_t wall_ns);

/* Writes `"local_loops": [...]` (a member, no braces) to f: the cluster
 * coordinator's WEFT_STATS writer puts it inside its own document. After
 * this, weft__stats_finish writes nothing. Any thread, once. */
WEFT_INTERNAL void weft__stats_write_local(FILE *f);

/* In a child after fork(): the list lock starts over (its holder may be
 * gone). Only thread of the child. */
WEFT_INTERNAL void weft__stats_after_fork_child(void);

/* Writes {"local_loops": [...]} to path unless weft__stats_write_local
 * already ran (the cluster writer owns the document then). atexit. */
WEFT_INTERNAL void weft__stats_finish(const char *path);

#endif
