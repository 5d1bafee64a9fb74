/* This file handles teams: how many threads a fork gets (nesting, dynamic
 * adjustment, thread limit), the per-master cache of hot teams with their
 * workers attached, and the fork/join of one region on such a team. */
#include <string.h>

#include "weft-internal.h"

unsigned weft__team_size(struct weft__thr *thr, int num_threads,
                         unsigned flags) {
    struct weft__global *g = &weft__g;
    struct weft__team *cur = thr->team;
    unsigned active = cur ? cur->active_level : 0;
    if (flags & WEFT_LOOP_IF_FALSE)
        return 1;
    /* Nested inside an active region beyond max-active-levels: a team of
     * one (never silent oversubscription). */
    if ((long)active >= (long)weft__load(&g->max_active_levels, WEFT__RELAXED))
        return 1;
    long n = num_threads > 0 ? num_threads : thr->nthreads_var;
    if (n > g->thread_limit)
        n = g->thread_limit;
    if (n > WEFT_MAX_THREADS)
        n = WEFT_MAX_THREADS;
    int dyn = weft__load(&g->dyn_var, WEFT__RELAXED);
    if (active == 0) {
        if (dyn && n > g->opts.ncpus)
            n = g->opts.ncpus;
    } else {
        /* Nested: the new workers count against the thread limit together
         * with the top-level team and every other nested team. */
        long used = (long)weft__load(&g->top_size, WEFT__RELAXED) +
                    (long)weft__load(&g->nested_busy, WEFT__RELAXED);
        long room = (long)g->thread_limit - used;
        if (dyn && room > g->opts.ncpus - used)
            room = g->opts.ncpus - used;
        if (n - 1 > room)
            n = room + 1;
    }
    return n < 1 ? 1 : (unsigned)n;
}

/* Records whether `total` threads oversubscribe the processors (read by
 * weft__wait_change to shorten spinning). Written only on change. */
static void set_oversub(struct weft__global *g, unsigned total) {
    int over = total > (unsigned)g->opts.ncpus;
    if (weft__load(&g->oversub, WEFT__RELAXED) != over)
        weft__store(&g->oversub, over, WEFT__RELAXED);
}

/* Asks affinity.c where the team's members go. Skipped entirely (no
 * topology load, no cost per fork) unless the construct has a proc_bind
 * clause or OMP_PROC_BIND / OMP_PLACES is set. With a plan, the steal order
 * of work-stealing loops follows the members' places. */
static int wants_places(const struct weft__global *g, int proc_bind) {
    return proc_bind != WEFT_BIND_UNSET || g->opts.proc_bind ||
           g->opts.places || g->opts.display_affinity;
}

static void plan_places(struct weft__global *g, struct weft__team *t,
                        unsigned n, int proc_bind) {
    t->bind = 0;
    if (!wants_places(g, proc_bind))
        return;
    if (n > t->cap_plan) {
        weft__free(t->plan);
        weft__free(t->steal_order);
        t->plan = weft__calloc(n, sizeof *t->plan);
        t->steal_order = weft__calloc((size_t)n * n, sizeof *t->steal_order);
        t->steal_sig = 0;
        t->cap_plan = n;
    }
    t->bind =
        weft__affinity_team_plan((int)t->level, (int)n, proc_bind, t->plan);
    if (t->bind && n > 1 &&
        weft__steal_order_update(t->plan, (int)n, t->steal_order,
                                 &t->steal_sig) != 0)
        t->bind = 0;
}

static struct weft__team *team_new(void) {
    struct weft__team *t = weft__aligned_calloc(WEFT_CACHE_LINE, sizeof *t);
    weft__barrier_init(&t->bar);
    return t;
}

struct weft__team *weft__team_prepare(struct weft__thr *thr, unsigned n,
                                      int proc_bind) {
    struct weft__global *g = &weft__g;
    struct weft__team *cur = thr->team;
    unsigned l = cur ? cur->level : 0;
    if (l >= thr->nteams) {
        unsigned cap = l + 1 > 2 * thr->nteams ? l + 1 : 2 * thr->nteams;
        thr->teams = weft__realloc(thr->teams, cap * sizeof *thr->teams);
        memset(thr->teams + thr->nteams, 0,
               (cap - thr->nteams) * sizeof *thr->teams);
        thr->nteams = cap;
    }
    struct weft__team *t = thr->teams[l];
    if (!t)
        t = thr->teams[l] = team_new();
    /* The first team that binds loads the topology before any worker
     * exists: topo.c can then keep hwloc from loading its plugins, which
     * it may only arrange while the process has a single thread. */
    if (wants_places(g, proc_bind))
        (void)weft__affinity_global();
    /* Attach workers until the team has n - 1; extra attached workers stay
     * parked and are not woken by a smaller fork. */
    while (t->nworkers + 1 < n) {
        struct weft__worker *w = weft__pool_get();
        if (!w) {
            n = t->nworkers + 1;
            break;
        }
        if (t->nworkers == t->cap_workers) {
            unsigned cap = t->cap_workers ? 2 * t->cap_workers : 8;
            t->workers = weft__realloc(t->workers, cap * sizeof *t->workers);
            t->cap_workers = cap;
        }
        t->workers[t->nworkers++] = w;
    }
    t->nthreads = n;
    t->level = l + 1;
    plan_places(g, t, n, proc_bind);
    t->active_level = (cur ? cur->active_level : 0) + (n > 1);
    t->parent = cur;
    t->parent_tid = thr->tid;
    t->child_nthreads_var = thr->nthreads_var;
    uint64_t rs = weft__load(&g->run_sched, WEFT__RELAXED);
    t->run_kind = (int)(rs >> 32);
    t->run_chunk = (int)(uint32_t)rs;
    if (cur == NULL) {
        if (weft__load(&g->top_size, WEFT__RELAXED) != n) {
            weft__store(&g->top_size, n, WEFT__RELAXED);
            set_oversub(g, n + weft__load(&g->nested_busy, WEFT__RELAXED));
        }
    } else if (n > 1) {
        unsigned busy =
            weft__fetch_add(&g->nested_busy, n - 1, WEFT__RELAXED) + n - 1;
        unsigned total = busy + weft__load(&g->top_size, WEFT__RELAXED);
        set_oversub(g, total);
        if (total > (unsigned)g->opts.ncpus &&
            !weft__load(&g->warned_oversub, WEFT__RELAXED) &&
            !weft__exchange(&g->warned_oversub, 1, WEFT__RELAXED))
            weft__warn(
                "nested parallel regions use %u threads on %d processors",
                total, g->opts.ncpus);
    }
    return t;
}

void weft__team_run(struct weft__thr *thr, struct weft__team *team) {
    unsigned n = team->nthreads;
    /* Save the master's view of its enclosing team. */
    struct weft__team *o_team = thr->team;
    unsigned o_tid = thr->tid;
    uint64_t o_ws = thr->ws_seq, o_single = thr->single_seq;
    struct weft__ws *o_cur = thr->cur_ws;
    int o_in = thr->in_share, o_nv = thr->nthreads_var;
    struct weft__task *o_task = thr->task;

    if (n > 1) {
        weft__task_fork(team);
        /* Published to each worker by the release store of its gen. */
        weft__store(&team->pending, n - 1, WEFT__RELAXED);
        weft__team_start_workers(team, n);
    }
    struct weft__bind_slot o_slot;
    int bound = team->bind;
    if (bound)
        weft__affinity_enter(&team->plan[0], &o_slot);
    thr->team = team;
    thr->tid = 0;
    thr->ws_seq = 0;
    thr->single_seq = 0;
    thr->cur_ws = NULL;
    thr->in_share = 0;
    thr->task = NULL; /* the new team's implicit task */
    weft__team_job(team, 0);
    if (n > 1) {
        /* Join. The acquire load that reads 0 synchronises with every
         * worker's decrement (a release sequence of RMWs), so all their
         * writes are visible to the master from here on. */
        uint32_t v;
        uint64_t pj = 0; /* join wait start, traced only */
        if (__builtin_expect(weft__prof_mode & WEFT__PROF_TRACE, 0))
            pj = weft__prof_now();
        while ((v = weft__load(&team->pending, WEFT__ACQUIRE)) != 0)
            weft__wait_change(&team->pending, v, &team->join_sleepers);
        if (__builtin_expect(pj != 0, 0))
            weft__prof_wait_end(pj, "join");
        if (o_team) {
            unsigned busy =
                weft__fetch_sub(&weft__g.nested_busy, n - 1, WEFT__RELAXED) -
                (n - 1);
            set_oversub(&weft__g,
                        busy + weft__load(&weft__g.top_size, WEFT__RELAXED));
        }
    }
    if (bound)
        weft__affinity_leave(&o_slot);
    thr->team = o_team;
    thr->tid = o_tid;
    thr->ws_seq = o_ws;
    thr->single_seq = o_single;
    thr->cur_ws = o_cur;
    thr->in_share = o_in;
    thr->nthreads_var = o_nv;
    thr->task = o_task;
}
