/* This file handles the internal side of explicit tasks: the task
 * descriptor, task groups, the per-member task slot (deque, implicit task,
 * free list) and the per-team task state, plus the hooks team.c, parallel.c,
 * sync.c and pool.c call so that barriers and region ends are task
 * scheduling points. */
#ifndef WEFT_TASK_H
#define WEFT_TASK_H

#include <stdalign.h>
#include <stdint.h>

#include "arch/atomic.h"
#include "config.h"
#include "deque.h"

#ifndef WEFT_INTERNAL
#define WEFT_INTERNAL __attribute__((visibility("hidden")))
#endif

struct weft__thr;
struct weft__team;
struct weft__dephash;

/* A taskgroup opened by one task. count is the number of tasks created in
 * the group (at any depth below it) that have not completed: creations add
 * (relaxed: the creator is itself counted in the group or is the owner, so
 * the count cannot reach 0 meanwhile), completions subtract (release); the
 * owner waits for 0 (acquire) and then frees the group. */
struct weft__taskgroup {
    weft__atomic_u32 count;
    struct weft__taskgroup *prev; /* enclosing group of the same task */
};

/* Successor pointers kept in the task itself before spilling to the heap. */
#define WEFT__SUCC_INLINE 3

/* Where a task's storage comes from. */
enum weft__task_kind {
    WEFT__TK_IMPLICIT = 0, /* the implicit task of a team member (slot) */
    WEFT__TK_STACK = 1,    /* an undeferred task run inline, on the stack */
    WEFT__TK_POOL = 2,     /* a WEFT_TASK_BLOCK block from a free list */
    WEFT__TK_HEAP = 3      /* a block of its own size, malloc'd */
};

/* One task. Fields are written by the creator before the task is published
 * (deque push or release by its last predecessor) and then by the thread
 * that runs it; the atomics and the lock-guarded fields are shared. */
struct weft__task {
    void (*fn)(void *arg);                                /* WEFT_task body */
    void (*loop_fn)(void *arg, uint64_t lo, uint64_t hi); /* taskloop body */
    uint64_t lo, hi;                                      /* taskloop chunk */
    void *arg;                                            /* argument block */
    struct weft__task *parent;     /* creator (a child holds one ref) */
    struct weft__taskgroup *group; /* group this task counts in, or NULL */
    /* Only the thread running the task touches the next two. */
    struct weft__taskgroup *cur_group; /* innermost group the task opened */
    struct weft__dephash *deps;        /* dependences among its children */
    /* Lifetime: 1 while the task is unfinished, +1 per unfinished child,
     * +1 per reference from the parent's dependence table, +1 held by the
     * creator of an undeferred task. Freed by whoever drops it to 0. */
    weft__atomic_u32 refs;
    weft__atomic_u32 children; /* unfinished children (taskwait) */
    weft__atomic_u32 npred;    /* unfinished predecessors, +1 while created */
    weft__atomic_u32 finished; /* set (release) once complete */
    weft__atomic_u32 lock;     /* spin lock over done and succ */
    int done;                  /* completed: add no more successors */
    unsigned nsucc, cap_succ;
    struct weft__task **succ; /* successors; succ_inline or heap */
    struct weft__task *succ_inline[WEFT__SUCC_INLINE];
    unsigned depth;               /* 0 for implicit tasks */
    unsigned char final;          /* final task: its descendants are included */
    unsigned char kind;           /* enum weft__task_kind */
    unsigned char arg_heap;       /* arg is a separate weft__aligned_alloc */
    unsigned char in_table;       /* entered in its parent's dependence table:
                                     only then can it gain successors */
    struct weft__task *next_free; /* free-list link (pool blocks) */
};

/* One member's task state, found through the team's slot table. The deque
 * is shared with thieves; everything after it belongs to the member's
 * thread (whichever thread holds that tid in the current region). */
struct weft__task_slot {
    struct weft__deque dq;
    alignas(WEFT_CACHE_LINE) struct weft__task implicit;
    struct weft__task *free; /* pool blocks, LIFO */
    unsigned nfree;
    struct weft__taskgroup *free_groups;
    uint64_t rng; /* victim selection (xorshift) */
};

/* A team's task state, created by the first task of the team's first
 * region that uses tasks, kept with the hot team and freed with it. */
struct weft__task_team {
    /* Deferred tasks created and not yet completed, team-wide. Hot: every
     * deferred task adds and subtracts once. */
    alignas(WEFT_CACHE_LINE) weft__atomic_u64 outstanding;
    /* Read-mostly: slot pointers, each published (release) by its owner's
     * first task operation; NULL for members that never used tasks. */
    alignas(WEFT_CACHE_LINE) _Atomic(struct weft__task_slot *)
        slots[WEFT_MAX_THREADS];
};

/* team.c, master, before the workers start: resets the per-region task
 * state (task_on) and chooses whether the region ends with a task barrier
 * (when the previous region of this team used tasks). */
WEFT_INTERNAL void weft__task_fork(struct weft__team *team);

/* parallel.c, every member after its part of the job: the end of a
 * region is a task scheduling point; returns once every task of the team
 * has completed (or at once when the region created none). */
WEFT_INTERNAL void weft__task_region_end(struct weft__thr *thr,
                                         struct weft__team *team);

/* sync.c / loop.c: the team barrier as a task scheduling point. Same
 * protocol as weft__barrier_wait on team->bar (episodes, sleepers), but
 * waiting threads run the team's tasks and the last thread to arrive opens
 * the barrier only once no task of the team is outstanding. When the
 * region created no task this costs one extra load. Any member, n > 1. */
WEFT_INTERNAL void weft__task_barrier(struct weft__thr *thr,
                                      struct weft__team *team);

/* pool.c, when a cached team is freed: releases its task state. */
WEFT_INTERNAL void weft__task_team_free(struct weft__team *team);

/* Test hooks: the deque-depth cut-off (tasks), WEFT_TASK_CUTOFF at start.
 * Set it only while no region runs. */
WEFT_INTERNAL void weft__task_set_cutoff(unsigned cutoff);
WEFT_INTERNAL unsigned weft__task_get_cutoff(void);

#endif
