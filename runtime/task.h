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

/* One unfinished child in weft__task.rc. */
#define WEFT__RC_CHILD ((uint64_t)1 << 32)
/* Children a creator counts in its rc at once (weft__task.credit). */
#define WEFT__TASK_CREDIT 32u

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
    /* Laid out for the common task without depend items, in 64-byte
     * lines: the creator writes lines 0 and 1 and the argument block after
     * the struct; the successor fields (line 2) only for tasks with depend
     * items (in_table), since only those can have successors. */
    /* Line 0: what the task's own thread reads on every child it creates
     * and what a thief reads to run it; not written by other threads once
     * the task is published, so creating children does not share a line
     * with their completions (rc). */
    void (*fn)(void *arg);         /* WEFT_task body, NULL for taskloop */
    void *arg;                     /* argument block */
    struct weft__task *parent;     /* creator (a child counts in its rc) */
    struct weft__taskgroup *group; /* group this task counts in, or NULL */
    /* Only the thread running the task touches the next three. */
    struct weft__taskgroup *cur_group; /* innermost group the task opened */
    struct weft__dephash *deps;        /* dependences among its children */
    /* Children counted in rc ahead of their creation: a creator raises its
     * rc by WEFT__TASK_CREDIT children at a time, so most creations do not
     * write rc. Given back to rc at taskwait and when the task ends. */
    unsigned credit;
    unsigned depth;         /* 0 for implicit tasks */
    unsigned char final;    /* final task: its descendants are included */
    unsigned char kind;     /* enum weft__task_kind */
    unsigned char arg_heap; /* arg is a separate weft__aligned_alloc */
    unsigned char in_table; /* entered in its parent's dependence table:
                               only then can it gain successors */
    /* Line 1. Lifetime and children in one word, so that creating or
     * completing a child is one atomic operation on its parent. Low 32
     * bits: references (1 while the task is unfinished, +1 per reference
     * from the parent's dependence table, +1 held by the creator of an
     * undeferred task). High 32 bits (WEFT__RC_CHILD each): unfinished
     * children (taskwait waits for 0), each of which also keeps the task
     * alive. Freed by whoever drops the word to 0. */
    alignas(64) weft__atomic_u64 rc;
    weft__atomic_u32 npred;    /* unfinished predecessors, +1 while created */
    weft__atomic_u32 finished; /* set (release) once complete */
    void (*loop_fn)(void *arg, uint64_t lo, uint64_t hi); /* taskloop body */
    uint64_t lo, hi;                                      /* taskloop chunk */
    /* Written by the thread that frees the block, when the task is gone. */
    struct weft__task *next_free; /* free-list link (pool blocks) */
    struct weft__task_slot *home; /* slot whose free list the block
                                     returns to (pool blocks) */
    /* Line 2: successors, valid only when in_table. */
    alignas(64) weft__atomic_u32 lock; /* spin lock over done and succ */
    int done;                          /* completed: add no more successors */
    unsigned nsucc, cap_succ;
    struct weft__task **succ; /* successors; succ_inline or heap */
    struct weft__task *succ_inline[WEFT__SUCC_INLINE];
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
    /* Deferred tasks this slot's owner created and tasks it completed
     * (wherever created). Written by the owner only (created seq_cst, see
     * task_create; completed release), read by any member summing the
     * team's outstanding tasks (task.c, outstanding): no counter shared by
     * every spawn and completion. */
    weft__atomic_u64 created;
    weft__atomic_u64 completed;
    /* Blocks of this slot that other members finished (a stolen task is
     * freed by its thief): any member pushes (CAS, release), the owner
     * takes the whole stack at once (exchange, acquire) when its own list
     * is empty, so a producer whose tasks run elsewhere does not go back
     * to malloc for every task. Whole-stack takes make ABA impossible. */
    alignas(WEFT_CACHE_LINE) _Atomic(struct weft__task *) remote_free;
    /* Owner only: blocks of one other slot (ret_head->home) this member
     * freed, sent home WEFT__TASK_RET_BATCH at a time so that a thief
     * pays one CAS on the owner's remote stack per batch, not per task. */
    struct weft__task *ret_head, *ret_tail;
    unsigned nret;
};

/* Blocks a member keeps before sending them to their slot (see nret). */
#define WEFT__TASK_RET_BATCH 16u

/* A team's task state, created by the first task of the team's first
 * region that uses tasks, kept with the hot team and freed with it. */
struct weft__task_team {
    /* Read-mostly: one more than the highest tid that has a slot (raised,
     * seq_cst, after the slot is published), and the slot pointers, each
     * published (release) by its owner's first task operation; NULL for
     * members that never used tasks. */
    alignas(WEFT_CACHE_LINE) _Atomic unsigned nslots;
    _Atomic(struct weft__task_slot *) slots[WEFT_MAX_THREADS];
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
