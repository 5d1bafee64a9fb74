/* This file handles the hooks between the runtime core and its profiling
 * layer: WEFT_TRACE (a Chrome trace-event file, trace.c) and WEFT_STATS
 * (per-pragma statistics, stats.c). Every hook site reads the global mode
 * once and does nothing else when it is 0: no clock read, no TLS access. */
#ifndef WEFT_TRACE_H
#define WEFT_TRACE_H

#include <stdint.h>

#include "weft/abi.h"

#ifndef WEFT_INTERNAL
#define WEFT_INTERNAL __attribute__((visibility("hidden")))
#endif

struct weft_options;
struct weft__team;

#define WEFT__PROF_TRACE 1u /* WEFT_TRACE is on */
#define WEFT__PROF_STATS 2u /* WEFT_STATS is on */

/* WEFT__PROF_* bits. Written by weft__prof_init during the one-time init,
 * before any worker exists (published by weft__ready), and read-only
 * afterwards, so hooks read it without atomics. */
WEFT_INTERNAL extern unsigned weft__prof_mode;

/* A loop instance, as the trace names it ("loop": "R.K"): R is the global
 * number of the parallel for (K = 0) or of the enclosing region (K = the
 * member's count of `for` loops met in it, equal in every member). */
struct weft__prof_id {
    uint64_t r;
    uint32_t k;
};

/* One loop or region as seen by the thread that reports it (the master of
 * a parallel for or region, thread 0 of a `for`). Caller-allocated on the
 * stack; only its thread touches it. */
struct weft__prof_loop {
    const struct weft_loc *loc;
    struct weft__prof_id id;
    uint64_t t0; /* start, ns; 0 when this thread does not report */
    int what;    /* enum in trace.c: parallel for, for, region, alone */
};

/* One thread's part of a loop: a copy of the descriptor whose body times
 * every chunk before calling the real one. Caller-allocated on the stack. */
struct weft__prof_share {
    struct weft_loop lp; /* run this one: body and data are the recorder's */
    const struct weft_loop *orig;
    struct weft__prof_id id;
    unsigned tid;
    uint64_t chunks, busy_ns;
};

/* Saved numbering state of a thread around one team job. */
struct weft__prof_job {
    uint64_t r;
    uint32_t k;
    int worker;
};

/* A hot entry point that has hooks is written once as an inline body with
 * a `prof` parameter and instantiated twice: the public function passes 0
 * (every hook folds away, leaving one branch on weft__prof_mode), and a
 * cold copy passes the mode. */
#define WEFT__PROF_BODY static inline __attribute__((always_inline))
#define WEFT__PROF_COLD static __attribute__((noinline, cold))

/* Reads WEFT_TRACE / WEFT_STATS from o, opens the trace file and sets
 * weft__prof_mode; registers the exit writers. Init thread only, once,
 * before any worker exists. */
WEFT_INTERNAL void weft__prof_init(const struct weft_options *o);

/* WEFT_parallel_for / WEFT_parallel / a loop run alone: starts the span on
 * the calling (reporting) thread and numbers the instance. what: one of
 * WEFT__PROF_PFOR, _REGION, _ALONE. */
#define WEFT__PROF_PFOR 1
#define WEFT__PROF_FOR 2
#define WEFT__PROF_REGION 3
#define WEFT__PROF_ALONE 4
WEFT_INTERNAL void weft__prof_begin(struct weft__prof_loop *pl,
                                    const struct weft_loc *loc, int what);
/* WEFT_for on a team: every member numbers the loop the same way; thread
 * 0 reports it. */
WEFT_INTERNAL void weft__prof_for_begin(struct weft__prof_loop *pl,
                                        const struct weft_loc *loc,
                                        unsigned tid);
/* Ends pl: records the span (trace) and the call (stats) when this thread
 * reports. lp: the loop (NULL for a region); kind/chunk: the resolved
 * schedule (enum weft__sk); nthreads: the team size. */
WEFT_INTERNAL void weft__prof_end(struct weft__prof_loop *pl,
                                  const struct weft_loop *lp, unsigned nthreads,
                                  int kind, uint64_t chunk);
/* A loop that the caller ran alone as one chunk [0, n) since pl began
 * (team of one, nested in a chunk): records that chunk, then ends pl. */
WEFT_INTERNAL void weft__prof_alone_end(struct weft__prof_loop *pl,
                                        const struct weft_loop *lp);

/* Thread tid's share of loop id: returns the descriptor to run instead of
 * lp (same loop, timed chunks). weft__prof_share_end records the share. */
WEFT_INTERNAL const struct weft_loop *
weft__prof_share_begin(struct weft__prof_share *ps, const struct weft_loop *lp,
                       struct weft__prof_id id, unsigned tid);
WEFT_INTERNAL void weft__prof_share_end(struct weft__prof_share *ps);

/* Around one member's team job (parallel.c): numbers the `for` loops of
 * the region, and for pool workers records the idle span before the job. */
WEFT_INTERNAL void weft__prof_job_begin(struct weft__prof_job *pj,
                                        const struct weft__team *team,
                                        uint64_t region, unsigned tid);
WEFT_INTERNAL void weft__prof_job_end(const struct weft__prof_job *pj);

/* A wait that started at t0 (weft__prof_now) ends now: a "barrier" span
 * on the calling thread's track. what: "barrier" or "join". Trace only. */
WEFT_INTERNAL uint64_t weft__prof_now(void);
WEFT_INTERNAL void weft__prof_wait_end(uint64_t t0, const char *what);

/* The coordinator's view of remote chunk [lo, hi) of cluster loop loop_id
 * that worker node `node` (named name) ran in run_ns, reported now: a span
 * on that node's own track. Any thread. */
WEFT_INTERNAL void weft__prof_remote_chunk(unsigned node, const char *name,
                                           uint32_t loop_id, uint64_t lo,
                                           uint64_t hi, uint64_t run_ns);

/* In a child after fork(): the WEFT_TRACE / WEFT_STATS files belong to the
 * parent, so the child writes neither (its events are dropped). */
WEFT_INTERNAL void weft__prof_after_fork_child(void);

/* Flushes every buffer and closes the trace file (atexit; tests). Later
 * events are dropped. Any thread, once no region runs. */
WEFT_INTERNAL void weft__trace_finish(void);

#endif
