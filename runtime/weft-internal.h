/* This file is libweft's one private umbrella header: the internal structs
 * (thread state, team, work-share, pool worker, global state) and the
 * weft__ prototypes every core file shares. Nothing here is exported:
 * WEFT_INTERNAL marks hidden symbols. */
#ifndef WEFT_INTERNAL_H
#define WEFT_INTERNAL_H

#define WEFT_INTERNAL __attribute__((visibility("hidden")))

#include <pthread.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "weft.h"
#include "weft/abi.h"

#include "arch/atomic.h"
#include "barrier.h"
#include "config.h"
#include "debug.h"
#include "env.h"
#include "iter.h"
#include "sys/sys.h"
#include "affinity.h"
#include "steal.h"
#include "task.h"
#include "trace.h"

/* ------------------------------------------------------------------ */
/* alloc.c: abort on out-of-memory                                     */
/* ------------------------------------------------------------------ */
WEFT_INTERNAL void *weft__malloc(size_t size);
WEFT_INTERNAL void *weft__calloc(size_t n, size_t size);
WEFT_INTERNAL void *weft__realloc(void *old, size_t size);
/* align: a power of two. Release with weft__free. */
WEFT_INTERNAL void *weft__aligned_alloc(size_t align, size_t size);
WEFT_INTERNAL void *weft__aligned_calloc(size_t align, size_t size);
WEFT_INTERNAL void weft__free(void *p);

/* ------------------------------------------------------------------ */
/* Reduction partials (reduce.c)                                       */
/* ------------------------------------------------------------------ */

/* A grow-only buffer of per-thread partials owned by one team. Only the
 * team's master (or the work-share initialiser, while no other thread uses
 * the buffer) resizes it. */
struct weft__redbuf {
    unsigned char *p;
    size_t bytes;  /* capacity */
    size_t stride; /* bytes per partial: whole cache lines, >= align */
};

/* Makes room for nthreads partials of r and sets the stride. Returns the
 * buffer base. loc names the construct for fatal errors. */
WEFT_INTERNAL void weft__redbuf_prepare(struct weft__redbuf *b,
                                        const struct weft_reduction *r,
                                        unsigned nthreads,
                                        const struct weft_loc *loc);
static inline void *weft__redbuf_slot(const struct weft__redbuf *b,
                                      unsigned tid) {
    return b->p + (size_t)tid * b->stride;
}
WEFT_INTERNAL void weft__redbuf_release(struct weft__redbuf *b);
/* Combines partials 1..nthreads-1 into partial 0 in thread order, then
 * calls fini once. Runs on one thread after every partial is final. */
WEFT_INTERNAL void weft__reduce_finish(const struct weft_reduction *r,
                                       void *data, const struct weft__redbuf *b,
                                       unsigned nthreads);
/* Runs body(data, 0, n) on the calling thread alone with a reduction
 * partial of its own (stack or heap), then finishes the reduction. */
WEFT_INTERNAL void weft__reduce_serial_loop(const struct weft_loop *lp);
/* H28: the one way to run a reduction's init / combine / fini: the
 * generated functions, or the built-in table (reduce_builtin.c) when init
 * is NULL; fini of a WEFT_RED_LOCKED table holds WEFT_atomic_begin. */
WEFT_INTERNAL void weft__red_init(const struct weft_reduction *r, void *data,
                                  void *slot);
WEFT_INTERNAL void weft__red_combine(const struct weft_reduction *r, void *data,
                                     void *into, const void *from);
WEFT_INTERNAL void weft__red_fini(const struct weft_reduction *r, void *data,
                                  void *slot);
/* Non-zero when r is runnable: three functions, or a valid table. */
WEFT_INTERNAL int weft__red_usable(const struct weft_reduction *r);
/* The table itself (reduce_builtin.c): pure, no locks. */
WEFT_INTERNAL int weft__red_table_valid(const struct weft_reduction *r);
WEFT_INTERNAL void weft__red_table_init(const struct weft_reduction *r,
                                        void *data, void *slot);
WEFT_INTERNAL void weft__red_table_combine(const struct weft_reduction *r,
                                           void *data, void *into,
                                           const void *from);
WEFT_INTERNAL void weft__red_table_fini(const struct weft_reduction *r,
                                        void *data, void *slot);

/* ------------------------------------------------------------------ */
/* Work-shares (loop.c)                                               */
/* ------------------------------------------------------------------ */

/* Internal schedule kinds after resolving runtime/auto/defaults. A new
 * schedule (e.g. the NUMA work-stealing one) adds a kind here, a case in
 * loop.c's resolve_schedule() and one in its run_share(). */
enum weft__sk {
    WEFT__SK_BLOCK = 0,   /* static, no chunk: one contiguous block each */
    WEFT__SK_CHUNKED = 1, /* static, chunk: round-robin chunks */
    WEFT__SK_DYNAMIC = 2, /* fetch-add (or CAS) on a shared counter */
    WEFT__SK_GUIDED = 3,  /* CAS, shrinking chunks */
    WEFT__SK_STEAL = 4    /* locality-aware work stealing (steal.c) */
};

/* One worksharing loop instance of a team. Fields are grouped by who
 * writes them and when, one cache line per group. */
struct weft__ws {
    /* Hot: every chunk of a dynamic/guided loop CASes or adds here. */
    alignas(WEFT_CACHE_LINE) weft__atomic_u64 next;
    /* Hot under `ordered`: the next logical iteration allowed to enter its
     * ordered block. */
    alignas(WEFT_CACHE_LINE) weft__atomic_u64 ordered_next;
    /* Written once per loop by the initialiser before it publishes
     * ready_seq (release); read-only for everyone afterwards. */
    alignas(WEFT_CACHE_LINE) uint64_t n;
    uint64_t chunk;
    int kind;    /* enum weft__sk */
    int use_cas; /* dynamic: counter could wrap, so use CAS (iter.c) */
    struct weft__steal steal;       /* WEFT__SK_STEAL state */
    struct weft__steal_slot *slots; /* its per-thread ranges (grow-only) */
    unsigned cap_slots;
    weft__atomic_u64
        claim_seq; /* loop sequence number whose init was claimed */
    weft__atomic_u64 ready_seq; /* loop sequence number whose init is done */
    /* Written by each thread as it leaves the loop. */
    alignas(WEFT_CACHE_LINE) weft__atomic_u32 left;
    weft__atomic_u64 released_seq; /* last sequence every thread has left */
};

/* ------------------------------------------------------------------ */
/* Threads, teams, pool                                               */
/* ------------------------------------------------------------------ */

struct weft__team;

/* Per-thread state. Only its own thread reads or writes it, except `id`
 * (immutable). Reached through the weft__tls_thr pointer. */
struct weft__thr {
    struct weft__team *team; /* innermost team, NULL outside any region */
    unsigned tid;            /* number in team (0 when team is NULL) */
    int in_share;            /* running chunks of a parallel-for share */
    uint64_t ws_seq;         /* work-share loops entered in this team */
    uint64_t single_seq;     /* single constructs met in this team */
    struct weft__ws *cur_ws; /* loop whose chunks run now (for ordered) */
    uint64_t ord_k;          /* H31: its iteration running now, for an orphaned
                                ordered block; UINT64_MAX when none (owner only) */
    int nthreads_var;        /* ICV nthreads-var of this thread */
    struct weft__team **teams; /* teams this thread masters, by level */
    unsigned nteams;
    unsigned id;   /* unique, > 0: owner token of nestable locks */
    int is_worker; /* a pool thread (else a user thread) */
    /* Explicit task this thread runs now (task.c); NULL while it runs its
     * implicit task. Saved and cleared around a nested fork (team.c). */
    struct weft__task *task;
};

/* A pool thread. The first line is the fork handshake: the master writes
 * team/tid/exit and then bumps gen (release); the worker reads gen
 * (acquire) and then the rest. The worker's own state lives on other lines. */
struct weft__worker {
    alignas(WEFT_CACHE_LINE) weft__atomic_u32 gen; /* futex word */
    weft__atomic_u32 sleepers;                     /* worker in futex_wait */
    struct weft__team *team;
    unsigned tid;
    int exit;
    alignas(WEFT_CACHE_LINE) struct weft__thr thr;
    /* The last gen whose job this worker has completely finished, team
     * accesses included (release). Whoever frees a team waits for it
     * (acquire), which orders the worker's last touch before the free. */
    weft__atomic_u32 done_gen;
    pthread_t thread;
    struct weft__worker *next_free; /* free list link, under pool lock */
};

enum weft__job { WEFT__JOB_LOOP = 1, WEFT__JOB_REGION = 2 };

/* A team: cached by its master per nesting level and reused by every fork
 * at that level (the hot team), with its workers kept attached. */
struct weft__team {
    /* Read-mostly: the master writes these before a fork (published by the
     * workers' gen bump) and nobody writes them during the region. */
    alignas(WEFT_CACHE_LINE) unsigned nthreads;
    unsigned level;        /* 1 for a region entered from level 0 */
    unsigned active_level; /* enclosing active regions, this one included */
    struct weft__team *parent;
    unsigned parent_tid;   /* master's number in the parent team */
    int job;               /* enum weft__job */
    struct weft_loop loop; /* WEFT__JOB_LOOP: copy of the descriptor */
    weft_region_fn region_fn;
    void *region_data;
    const struct weft_reduction *red; /* reduction of loop or region */
    int child_nthreads_var;           /* nthreads-var the members inherit */
    int run_kind;                     /* run-sched-var at fork */
    int run_chunk;
    struct weft__redbuf red_outer; /* partials of the region / parallel for */
    struct weft__redbuf red_inner; /* partials of `for` loops inside a region */
    uint64_t prof_id; /* WEFT_TRACE/STATS number of the job (trace.c) */
    struct weft__worker **workers; /* workers[i] runs tid i + 1 */
    unsigned nworkers, cap_workers;
    int bind;                     /* members bind to plan[tid] (affinity.c) */
    struct weft__bind_slot *plan; /* placement of each member (grow-only) */
    int *steal_order;             /* victims per member, NULL when unbound */
    uint64_t steal_sig;           /* placement steal_order was made for */
    unsigned cap_plan;
    /* Explicit tasks (task.c). tasks: created by the first task ever made
     * in this team, kept with the hot team. task_on: set by the first task
     * of a region, cleared at each fork; barriers read it once. task_end:
     * written by the master at fork: the region ends with a task barrier. */
    _Atomic(struct weft__task_team *) tasks;
    weft__atomic_u32 task_on;
    int task_end;
    /* Join: each worker decrements pending when done; the master waits for
     * 0. Own line: written by every worker once per region. */
    alignas(WEFT_CACHE_LINE) weft__atomic_u32 pending;
    weft__atomic_u32 join_sleepers;
    alignas(WEFT_CACHE_LINE) struct weft__barrier bar;
    alignas(WEFT_CACHE_LINE) weft__atomic_u64 single_taken;
    /* copyprivate: the single thread's address array, written before a
     * team barrier and read after it (WEFT_copyprivate). */
    void *copyprivate;
    struct weft__ws combined;           /* the loop of WEFT_parallel_for */
    struct weft__ws ring[WEFT_WS_RING]; /* loops of WEFT_for in a region */
};

/* Global state. opts is written once during init, before any worker
 * exists, and read-only afterwards. */
struct weft__global {
    struct weft_options opts;
    _Atomic int64_t spin_ns;  /* spin time; relaxed (tests change it) */
    weft__atomic_u32 exiting; /* atexit ran: stop spinning */
    /* ICVs shared by every thread (OpenMP scopes them per device here). */
    _Atomic int dyn_var;
    _Atomic int max_active_levels;
    weft__atomic_u64 run_sched; /* (kind|mod) << 32 | chunk */
    int thread_limit;
    /* Pool, under pool_lock. */
    pthread_mutex_t pool_lock;
    struct weft__worker *free_list;
    struct weft__worker **all;
    unsigned nall, cap_all;
    unsigned nroots;            /* user threads that used weft */
    int pool_closed;            /* shutdown is joining every worker */
    _Atomic int warned_oversub; /* the nested-oversubscription warning */
    int warned_spawn;
    /* Threads busy in nested teams, and the last top-level team size. */
    weft__atomic_u32 nested_busy;
    _Atomic unsigned top_size;
    weft__atomic_u32 next_id;
    _Atomic int oversub; /* teams hold more threads than cpus */
};

WEFT_INTERNAL extern struct weft__global weft__g;
WEFT_INTERNAL extern weft__atomic_u32 weft__ready;
WEFT_INTERNAL extern __thread struct weft__thr *weft__tls_thr
    __attribute__((tls_model("initial-exec")));

/* init.c: runs the one-time init (env, ICVs, atexit) if not done yet. Any
 * thread; cheap after the first call. */
WEFT_INTERNAL void weft__init_slow(void);
static inline void weft__init(void) {
    if (__builtin_expect(!weft__load(&weft__ready, WEFT__ACQUIRE), 0))
        weft__init_slow();
}

/* The calling thread's state, created on first use (runs init too). */
WEFT_INTERNAL struct weft__thr *weft__thr_create_self(void);
static inline struct weft__thr *weft__thr_self(void) {
    struct weft__thr *t = weft__tls_thr;
    if (__builtin_expect(t == NULL, 0))
        t = weft__thr_create_self();
    return t;
}

/* How long a waiting thread may spin before it sleeps (nanoseconds, <= 0:
 * not at all): the configured time (WEFT_SPIN_US, OMP_WAIT_POLICY), cut to
 * WEFT_SPIN_US_OVERSUB while threads outnumber processors. *oversub tells
 * the caller to yield between polls instead of pausing. */
WEFT_INTERNAL int64_t weft__spin_budget_ns(int *oversub);

/* Waits until *word != old: spins for the configured time, then sleeps.
 * Returns the new value (read with acquire). The thread that changes the
 * word must do so with a seq_cst store/RMW and then call
 * weft__wake_sleepers(word, sleepers, n). */
WEFT_INTERNAL uint32_t weft__wait_change(weft__atomic_u32 *word, uint32_t old,
                                         weft__atomic_u32 *sleepers);
static inline void weft__wake_sleepers(weft__atomic_u32 *word,
                                       weft__atomic_u32 *sleepers, int n) {
    /* seq_cst pairs with the waiter's seq_cst increment of sleepers and
     * re-read of word (Dekker): either it sees the new word, or we see it. */
    if (weft__load(sleepers, WEFT__SEQ_CST))
        weft__futex_wake(word, n);
}
/* Short waits on a 64-bit condition (work-share hand-over, ordered):
 * spin, then yield. */
WEFT_INTERNAL void weft__spin_pause(unsigned *round);

/* pool.c */
/* Takes a parked worker from the free list or starts a new thread. Returns
 * NULL if the OS refuses a thread (one warning). Any thread. */
WEFT_INTERNAL struct weft__worker *weft__pool_get(void);
/* Returns a parked worker (not in any team) to the free list. */
WEFT_INTERNAL void weft__pool_put(struct weft__worker *w);
/* Starts the team's workers 1..n-1 on its job: publishes (team, tid) to
 * each and wakes those asleep. Master thread only, job fields written. */
WEFT_INTERNAL void weft__team_start_workers(struct weft__team *team,
                                            unsigned n);
/* Releases every cached team of thr (workers back to the pool). */
WEFT_INTERNAL void weft__thr_release_teams(struct weft__thr *thr);
WEFT_INTERNAL void weft__pool_shutdown(void);
WEFT_INTERNAL void weft__pool_after_fork_child(void);
/* Keeps a block a child after fork() can no longer use (the parent's
 * registry arrays and team lists) reachable, across nested forks, so leak
 * checkers in the child stay quiet. Thread: the forking thread, in the
 * child. */
WEFT_INTERNAL void weft__fork_bury(void *block);

/* team.c */
/* Number of threads a region forked now by thr would get. */
WEFT_INTERNAL unsigned weft__team_size(struct weft__thr *thr, int num_threads,
                                       unsigned flags);
/* Gets thr's cached team for the next level with room for n threads (may
 * shrink n if threads cannot be created), fills its read-mostly fields and
 * plans the members' places (proc_bind: the construct's enum
 * weft_proc_bind). Master thread only. */
WEFT_INTERNAL struct weft__team *weft__team_prepare(struct weft__thr *thr,
                                                    unsigned n, int proc_bind);
/* Runs the team's job on every member (master as tid 0) and joins. */
WEFT_INTERNAL void weft__team_run(struct weft__thr *thr,
                                  struct weft__team *team);
/* Runs tid's part of the team's job (parallel.c). */
WEFT_INTERNAL void weft__team_job(struct weft__team *team, unsigned tid);

/* loop.c */
WEFT_INTERNAL void weft__loop_share(struct weft__team *team, unsigned tid);
WEFT_INTERNAL void weft__ws_reset(struct weft__team *team);

/* sync.c */
WEFT_INTERNAL void weft__team_barrier(struct weft__thr *thr);

#endif
