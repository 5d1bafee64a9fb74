/* This file handles the public user API of weft.h: thread and team
 * queries, ICV getters and setters, time, schedules and weft_strerror.
 * Queries read the calling thread's state through one TLS pointer. */
#include <limits.h>

#include "weft-internal.h"

const char *weft_strerror(int err) {
    switch (err) {
    case 0:
        return "success";
#define WEFT_XX_(name, val, msg)                                               \
    case WEFT_##name:                                                          \
        return msg;
        WEFT_ERRNO_MAP(WEFT_XX_)
#undef WEFT_XX_
    default:
        return "unknown error";
    }
}

int weft_thread_num(void) {
    struct weft__thr *t = weft__tls_thr;
    return t ? (int)t->tid : 0;
}

int weft_num_threads(void) {
    struct weft__thr *t = weft__tls_thr;
    return t && t->team ? (int)t->team->nthreads : 1;
}

int weft_max_threads(void) { return weft__thr_self()->nthreads_var; }

void weft_set_num_threads(int n) {
    if (n < 1)
        return;
    weft__thr_self()->nthreads_var =
        n > WEFT_MAX_THREADS ? WEFT_MAX_THREADS : n;
}

int weft_num_procs(void) {
    weft__init();
    return weft__g.opts.ncpus;
}

int weft_in_parallel(void) {
    struct weft__thr *t = weft__tls_thr;
    return t && t->team && t->team->active_level > 0;
}

int weft_level(void) {
    struct weft__thr *t = weft__tls_thr;
    return t && t->team ? (int)t->team->level : 0;
}

int weft_active_level(void) {
    struct weft__thr *t = weft__tls_thr;
    return t && t->team ? (int)t->team->active_level : 0;
}

/* Walks from the current team up to `level`; returns the team there (NULL
 * for level 0) and the thread's ancestor number in it through *tid.
 * Returns 0 when level is out of range. */
static int ancestor(int level, struct weft__team **team, unsigned *tid) {
    struct weft__thr *t = weft__tls_thr;
    struct weft__team *cur = t ? t->team : NULL;
    unsigned id = t ? t->tid : 0;
    int l = cur ? (int)cur->level : 0;
    if (level < 0 || level > l)
        return 0;
    while (l > level) {
        id = cur->parent_tid;
        cur = cur->parent;
        l--;
    }
    *team = cur;
    *tid = cur ? id : 0;
    return 1;
}

int weft_ancestor_thread_num(int level) {
    struct weft__team *team;
    unsigned tid;
    return ancestor(level, &team, &tid) ? (int)tid : -1;
}

int weft_team_size(int level) {
    struct weft__team *team;
    unsigned tid;
    if (!ancestor(level, &team, &tid))
        return -1;
    return team ? (int)team->nthreads : 1;
}

int weft_thread_limit(void) {
    weft__init();
    return weft__g.thread_limit;
}

void weft_set_dynamic(int on) {
    weft__init();
    weft__store(&weft__g.dyn_var, on != 0, WEFT__RELAXED);
}

int weft_get_dynamic(void) {
    weft__init();
    return weft__load(&weft__g.dyn_var, WEFT__RELAXED);
}

void weft_set_max_active_levels(int levels) {
    weft__init();
    if (levels >= 0)
        weft__store(&weft__g.max_active_levels, levels, WEFT__RELAXED);
}

int weft_get_max_active_levels(void) {
    weft__init();
    return weft__load(&weft__g.max_active_levels, WEFT__RELAXED);
}

double weft_wtime(void) { return (double)weft__sys_monotonic_ns() * 1e-9; }

double weft_wtick(void) { return (double)weft__sys_clock_res_ns() * 1e-9; }

void weft_set_schedule(weft_sched_t kind, int chunk) {
    weft__init();
    unsigned k = (unsigned)kind & ~(unsigned)WEFT_SCHED_MONOTONIC;
    if (k < WEFT_SCHED_STATIC || k > WEFT_SCHED_AUTO)
        return;
    unsigned mod = ((unsigned)kind & (unsigned)WEFT_SCHED_MONOTONIC)
                       ? WEFT_SCHED_MOD_MONOTONIC
                       : 0;
    if (chunk < 1 || k == WEFT_SCHED_AUTO)
        chunk = 0;
    weft__store(&weft__g.run_sched, (uint64_t)(k | mod) << 32 | (uint32_t)chunk,
                WEFT__RELAXED);
}

void weft_get_schedule(weft_sched_t *kind, int *chunk) {
    weft__init();
    uint64_t rs = weft__load(&weft__g.run_sched, WEFT__RELAXED);
    unsigned k = (unsigned)(rs >> 32);
    int c = (int)(uint32_t)rs;
    unsigned out = k & WEFT_SCHED_KIND_MASK;
    if (k & WEFT_SCHED_MOD_MONOTONIC)
        out |= (unsigned)WEFT_SCHED_MONOTONIC;
    if (kind)
        *kind = (weft_sched_t)out;
    if (chunk)
        *chunk = c > 0                                               ? c
                 : (out & WEFT_SCHED_KIND_MASK) == WEFT_SCHED_STATIC ? 0
                                                                     : 1;
}
