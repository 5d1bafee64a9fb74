/* This file handles the worker pool: threads that park (spin, then sleep on
 * their own futex word) until a master hands them a team and a thread
 * number, run their share, report to the team's join counter, and park
 * again. Idle workers not attached to any team wait on a free list.
 * Lock order: pool_lock is a leaf; it is never held while waiting. */
#include <stdlib.h>
#include <string.h>

#include "weft-internal.h"

static void *worker_main(void *arg) {
    struct weft__worker *w = arg;
    struct weft__thr *thr = &w->thr;
    uint32_t seen = 0;
    weft__tls_thr = thr;
    weft__sys_thread_name("weft-worker");
    for (;;) {
        seen = weft__wait_change(&w->gen, seen, &w->sleepers);
        if (w->exit)
            break;
        struct weft__team *team = w->team;
        unsigned tid = w->tid;
        /* Enter the team: a fresh view for this region. */
        thr->team = team;
        thr->tid = tid;
        thr->ws_seq = 0;
        thr->single_seq = 0;
        thr->cur_ws = NULL;
        thr->in_share = 0;
        thr->nthreads_var = team->child_nthreads_var;
        if (team->bind)
            weft__affinity_enter(&team->plan[tid], NULL);
        weft__team_job(team, tid);
        thr->team = NULL;
        thr->tid = 0;
        /* Report to the join. After this RMW the worker touches nothing of
         * the team but join_sleepers: the master may already reuse it. The
         * acq_rel half publishes this thread's work to the master; the
         * seq_cst half orders it with the join_sleepers read (Dekker). */
        if (weft__fetch_sub(&team->pending, 1, WEFT__SEQ_CST) == 1)
            weft__wake_sleepers(&team->pending, &team->join_sleepers, 1);
        weft__store(&w->done_gen, seen, WEFT__RELEASE);
    }
    /* Only weft__pool_shutdown asks a worker to exit; it frees this
     * worker's teams after joining every worker. */
    return NULL;
}

struct weft__worker *weft__pool_get(void) {
    struct weft__global *g = &weft__g;
    struct weft__worker *w;
    pthread_mutex_lock(&g->pool_lock);
    if ((w = g->free_list) != NULL) {
        g->free_list = w->next_free;
        w->next_free = NULL;
        pthread_mutex_unlock(&g->pool_lock);
        return w;
    }
    if (g->nall == g->cap_all) {
        unsigned cap = g->cap_all ? 2 * g->cap_all : 16;
        g->all = weft__realloc(g->all, cap * sizeof *g->all);
        g->cap_all = cap;
    }
    w = weft__aligned_calloc(WEFT_CACHE_LINE, sizeof *w);
    w->thr.id = weft__fetch_add(&g->next_id, 1, WEFT__RELAXED);
    w->thr.is_worker = 1;
    w->thr.nthreads_var = g->opts.nthreads;
    int r =
        weft__sys_thread_create(&w->thread, g->opts.stacksize, worker_main, w);
    if (r != 0) {
        if (!g->warned_spawn) {
            g->warned_spawn = 1;
            weft__warn(
                "cannot start a worker thread (%s); teams will be smaller",
                weft_strerror(r));
        }
        pthread_mutex_unlock(&g->pool_lock);
        weft__free(w);
        return NULL;
    }
    g->all[g->nall++] = w;
    pthread_mutex_unlock(&g->pool_lock);
    return w;
}

void weft__pool_put(struct weft__worker *w) {
    struct weft__global *g = &weft__g;
    pthread_mutex_lock(&g->pool_lock);
    /* During shutdown the joiner owns every worker: do not relink them. */
    if (!g->pool_closed) {
        w->next_free = g->free_list;
        g->free_list = w;
    }
    pthread_mutex_unlock(&g->pool_lock);
}

void weft__team_start_workers(struct weft__team *team, unsigned n) {
    /* Phase 1: publish. Only this (master) thread writes gen, so reading it
     * relaxed is exact; the release store publishes team/tid and the
     * team's job fields. Plain stores let the cache-line transfers to the
     * n - 1 workers overlap instead of serialising one RMW per worker. */
    for (unsigned i = 0; i + 1 < n; i++) {
        struct weft__worker *w = team->workers[i];
        w->team = team;
        w->tid = i + 1;
        weft__store(&w->gen, weft__load(&w->gen, WEFT__RELAXED) + 1,
                    WEFT__RELEASE);
    }
    /* Phase 2: wake sleepers. The seq_cst fence between our gen stores and
     * the sleepers loads pairs with each waiter's seq_cst increment of
     * sleepers and re-read of gen (Dekker): either the waiter sees the new
     * gen, or we see it asleep and wake it. */
    atomic_thread_fence(WEFT__SEQ_CST);
    for (unsigned i = 0; i + 1 < n; i++) {
        struct weft__worker *w = team->workers[i];
        if (weft__load(&w->sleepers, WEFT__RELAXED))
            weft__futex_wake(&w->gen, 1);
    }
}

/* Frees thr's cached teams; their workers must already be elsewhere. */
static void free_teams(struct weft__thr *thr) {
    for (unsigned l = 0; l < thr->nteams; l++) {
        struct weft__team *t = thr->teams[l];
        if (!t)
            continue;
        weft__free(t->workers);
        weft__free(t->plan);
        weft__free(t->steal_order);
        weft__free(t->combined.slots);
        for (unsigned i = 0; i < WEFT_WS_RING; i++)
            weft__free(t->ring[i].slots);
        weft__redbuf_release(&t->red_outer);
        weft__redbuf_release(&t->red_inner);
        weft__task_team_free(t);
        weft__free(t);
    }
    weft__free(thr->teams);
    thr->teams = NULL;
    thr->nteams = 0;
}

void weft__thr_release_teams(struct weft__thr *thr) {
    for (unsigned l = 0; l < thr->nteams; l++) {
        struct weft__team *t = thr->teams[l];
        if (!t)
            continue;
        for (unsigned i = 0; i < t->nworkers; i++) {
            /* The team is idle, but a worker may still be reading its
             * join_sleepers: wait until it reports the job finished. gen
             * changes only through this thread, so the relaxed read is
             * its current value. */
            struct weft__worker *w = t->workers[i];
            unsigned round = 0;
            while (weft__load(&w->done_gen, WEFT__ACQUIRE) !=
                   weft__load(&w->gen, WEFT__RELAXED))
                weft__spin_pause(&round);
            weft__pool_put(w);
        }
    }
    free_teams(thr);
}

/* Called at exit when no region can be running: every worker is parked
 * (attached to an idle team or on the free list). Each one is told to exit,
 * joined and freed; the pool is left empty but usable. */
void weft__pool_shutdown(void) {
    struct weft__global *g = &weft__g;
    pthread_mutex_lock(&g->pool_lock);
    struct weft__worker **all = g->all;
    unsigned n = g->nall;
    g->all = NULL;
    g->nall = g->cap_all = 0;
    g->free_list = NULL;
    g->pool_closed = 1;
    pthread_mutex_unlock(&g->pool_lock);
    for (unsigned i = 0; i < n; i++) {
        struct weft__worker *w = all[i];
        w->exit = 1;
        weft__fetch_add(&w->gen, 1, WEFT__SEQ_CST);
        weft__futex_wake(&w->gen, 1);
    }
    /* Workers that master nested teams keep them cached; those teams (and
     * the workers in them, also in `all`) are freed only after every join,
     * which orders every worker's last access before the frees. */
    for (unsigned i = 0; i < n; i++)
        pthread_join(all[i]->thread, NULL);
    for (unsigned i = 0; i < n; i++) {
        free_teams(&all[i]->thr);
        weft__free(all[i]);
    }
    weft__free(all);
    pthread_mutex_lock(&g->pool_lock);
    g->pool_closed = 0;
    pthread_mutex_unlock(&g->pool_lock);
}

void weft__pool_after_fork_child(void) {
    struct weft__global *g = &weft__g;
    weft__fork_bury(g->all); /* its workers' threads do not exist here */
    g->all = NULL;
    g->nall = g->cap_all = 0;
    g->free_list = NULL;
    weft__store(&g->nested_busy, 0, WEFT__RELAXED);
}
