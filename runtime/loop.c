/* This file handles worksharing loops: WEFT_parallel_for (fork a team, run
 * the loop, join), WEFT_for (share a loop among the current team through a
 * ring of work-share slots, so consecutive nowait loops can overlap),
 * WEFT_trip_count, and the `ordered` hand-over. The chunk math is iter.c's;
 * this file adds the atomics around it. */
#include "weft-internal.h"

/* Turns the descriptor's schedule into an internal kind and chunk.
 * run_kind/run_chunk: the team's run-sched-var, for schedule(runtime). */
static void resolve_schedule(const struct weft_loop *lp, int run_kind,
                             int run_chunk, int *kind, uint64_t *chunk) {
    int k = lp->sched & WEFT_SCHED_KIND_MASK;
    int64_t c = lp->chunk;
    if (c < 0)
        weft__fatal(lp->loc, "schedule chunk size %lld must be positive",
                    (long long)c);
    if (k == WEFT_SCHED_RUNTIME) {
        k = run_kind & WEFT_SCHED_KIND_MASK;
        c = run_chunk;
    }
    switch (k) {
    case 0: /* no schedule clause: def-sched-var is static */
    case WEFT_SCHED_STATIC:
        *kind = c > 0 ? WEFT__SK_CHUNKED : WEFT__SK_BLOCK;
        break;
    case WEFT_SCHED_AUTO:
        /* Work stealing: each thread starts on its static block (its own
         * data) and idle threads take half of a near victim's rest. The
         * stealing order is not monotonic, so `ordered` keeps static. */
        *kind = lp->flags & WEFT_LOOP_ORDERED ? WEFT__SK_BLOCK : WEFT__SK_STEAL;
        break;
    case WEFT_SCHED_DYNAMIC:
        /* nonmonotonic:dynamic may hand out chunks in any order: steal. */
        *kind = (lp->sched & WEFT_SCHED_MOD_NONMONOTONIC) &&
                        !(lp->flags & WEFT_LOOP_ORDERED)
                    ? WEFT__SK_STEAL
                    : WEFT__SK_DYNAMIC;
        break;
    case WEFT_SCHED_GUIDED:
        *kind = WEFT__SK_GUIDED;
        break;
    default:
        weft__fatal(lp->loc, "unknown schedule kind %d", k);
    }
    /* The stealing schedule sizes its own grains when no chunk is given. */
    *chunk = c > 0                     ? (uint64_t)c
             : *kind == WEFT__SK_STEAL ? 0
                                       : WEFT_DEFAULT_CHUNK;
}

/* Fills ws for one loop of `team`. Runs on one thread before others read
 * ws (the fork or the ring's ready_seq publishes it). */
static void ws_setup(struct weft__ws *ws, const struct weft__team *team,
                     uint64_t n, int kind, uint64_t chunk) {
    unsigned nthreads = team->nthreads;
    if (kind == WEFT__SK_STEAL) {
        /* Grow-only per-thread ranges; this slot's previous loop is over. */
        if (nthreads > ws->cap_slots) {
            weft__free(ws->slots);
            ws->slots = weft__aligned_calloc(WEFT_CACHE_LINE,
                                             nthreads * sizeof *ws->slots);
            ws->cap_slots = nthreads;
        }
        weft__steal_init(&ws->steal, ws->slots,
                         team->bind ? team->steal_order : NULL, n,
                         (int64_t)chunk, (int)nthreads);
    }
    /* A chunk larger than the loop behaves like one chunk of n, and keeps
     * the dynamic counter far from 2^64. */
    if (n > 0 && chunk > n)
        chunk = n;
    ws->n = n;
    ws->chunk = chunk;
    ws->kind = kind;
    ws->use_cas = kind == WEFT__SK_DYNAMIC &&
                  weft__iter_dynamic_needs_cas(n, chunk, nthreads);
    weft__store(&ws->next, 0, WEFT__RELAXED);
    weft__store(&ws->ordered_next, 0, WEFT__RELAXED);
}

/* Runs thread tid's chunks of a static schedule (no shared state). */
static void run_static(int kind, uint64_t n, uint64_t chunk, unsigned tid,
                       unsigned nthreads, const struct weft_loop *lp,
                       void *red) {
    uint64_t lo, hi;
    if (kind == WEFT__SK_BLOCK) {
        weft__iter_static_block(n, nthreads, tid, &lo, &hi);
        if (lo < hi) /* fewer iterations than threads: some blocks empty */
            lp->body(lp->data, lo, hi, red);
        return;
    }
    uint64_t cursor = weft__iter_static_chunk_first(tid);
    while (weft__iter_static_chunk_next(n, chunk, nthreads, &cursor, &lo, &hi))
        lp->body(lp->data, lo, hi, red);
}

/* Runs thread tid's chunks of the loop in ws. The shared counter is updated
 * relaxed: atomicity alone gives each chunk to one thread; the results are
 * published by the join or barrier that ends the loop. */
static void run_share(struct weft__ws *ws, const struct weft_loop *lp,
                      unsigned tid, unsigned nthreads, void *red) {
    uint64_t n = ws->n, chunk = ws->chunk, lo, hi, cur;
    switch (ws->kind) {
    case WEFT__SK_BLOCK:
    case WEFT__SK_CHUNKED:
        run_static(ws->kind, n, chunk, tid, nthreads, lp, red);
        return;
    case WEFT__SK_DYNAMIC:
        if (!ws->use_cas) {
            /* Overflow guard: ws_setup chose fetch-add only when the counter
             * cannot wrap even after every thread overshoots once. */
            while (weft__iter_dynamic_take(
                n, chunk, weft__fetch_add(&ws->next, chunk, WEFT__RELAXED), &lo,
                &hi))
                lp->body(lp->data, lo, hi, red);
            return;
        }
        /* Near 2^64: CAS never moves the counter beyond n. */
        cur = weft__load(&ws->next, WEFT__RELAXED);
        while (cur < n) {
            uint64_t nx = weft__iter_dynamic_cas_next(n, chunk, cur);
            if (weft__cas_weak(&ws->next, &cur, nx, WEFT__RELAXED,
                               WEFT__RELAXED)) {
                lp->body(lp->data, cur, nx, red);
                cur = weft__load(&ws->next, WEFT__RELAXED);
            }
        }
        return;
    case WEFT__SK_STEAL:
        while (weft__steal_next(&ws->steal, (int)tid, &lo, &hi))
            lp->body(lp->data, lo, hi, red);
        return;
    case WEFT__SK_GUIDED:
        cur = weft__load(&ws->next, WEFT__RELAXED);
        while (cur < n) {
            uint64_t nx =
                cur + weft__iter_guided_size(n - cur, chunk, nthreads);
            if (weft__cas_weak(&ws->next, &cur, nx, WEFT__RELAXED,
                               WEFT__RELAXED)) {
                lp->body(lp->data, cur, nx, red);
                cur = weft__load(&ws->next, WEFT__RELAXED);
            }
        }
        return;
    }
}

/* ------------------------------------------------------------------ */
/* WEFT_parallel_for                                                   */
/* ------------------------------------------------------------------ */

WEFT__PROF_BODY void loop_share(struct weft__team *team, unsigned tid,
                                unsigned prof) {
    struct weft__thr *thr = weft__tls_thr;
    const struct weft_loop *lp = &team->loop;
    void *slot = NULL;
    if (lp->red) {
        /* Every member initialises its partial, even with no chunk. */
        slot = weft__redbuf_slot(&team->red_outer, tid);
        weft__red_init(lp->red, lp->data, slot);
    }
    struct weft__prof_share ps;
    thr->in_share = 1;
    thr->cur_ws = &team->combined;
    thr->ord_k = UINT64_MAX;
    run_share(&team->combined,
              __builtin_expect(prof != 0, 0)
                  ? weft__prof_share_begin(
                        &ps, lp, (struct weft__prof_id){team->prof_id, 0}, tid)
                  : lp,
              tid, team->nthreads, slot);
    thr->cur_ws = NULL;
    thr->ord_k = UINT64_MAX;
    thr->in_share = 0;
    if (__builtin_expect(prof != 0, 0))
        weft__prof_share_end(&ps);
}

WEFT__PROF_COLD void loop_share_prof(struct weft__team *team, unsigned tid) {
    loop_share(team, tid, weft__prof_mode);
}

/* The hooked entry points come in two copies; see WEFT__PROF_BODY. */
void weft__loop_share(struct weft__team *team, unsigned tid) {
    if (__builtin_expect(weft__prof_mode != 0, 0))
        loop_share_prof(team, tid);
    else
        loop_share(team, tid, 0);
}

static void check_loop(const struct weft_loop *lp) {
    if (!lp || !lp->body)
        weft__fatal(lp ? lp->loc : NULL, "loop descriptor without a body");
    if (lp->num_threads < 0)
        weft__fatal(lp->loc, "num_threads(%d) must be positive",
                    lp->num_threads);
}

WEFT__PROF_BODY void parallel_for(const struct weft_loop *lp, unsigned prof) {
    check_loop(lp);
    struct weft__prof_loop pl;
    if (__builtin_expect(prof != 0, 0))
        weft__prof_begin(&pl, lp->loc, WEFT__PROF_PFOR);
    struct weft__thr *thr = weft__thr_self();
    unsigned n = weft__team_size(thr, lp->num_threads, lp->flags);
    struct weft__team *team = weft__team_prepare(thr, n, lp->proc_bind);
    n = team->nthreads;
    int kind;
    uint64_t chunk;
    resolve_schedule(lp, team->run_kind, team->run_chunk, &kind, &chunk);
    if (__builtin_expect(prof != 0, 0))
        team->prof_id = pl.id.r;
    team->job = WEFT__JOB_LOOP;
    team->loop = *lp;
    team->red = lp->red;
    ws_setup(&team->combined, team, lp->n, kind, chunk);
    if (lp->red)
        weft__redbuf_prepare(&team->red_outer, lp->red, n, lp->loc);
    weft__team_run(thr, team);
    if (lp->red)
        weft__reduce_finish(lp->red, lp->data, &team->red_outer, n);
    if (__builtin_expect(prof != 0, 0))
        weft__prof_end(&pl, lp, n, kind, team->combined.chunk);
}

WEFT__PROF_COLD void parallel_for_prof(const struct weft_loop *lp) {
    parallel_for(lp, weft__prof_mode);
}

void WEFT_parallel_for(const struct weft_loop *lp) {
    weft__init();
    if (__builtin_expect(weft__prof_mode != 0, 0))
        parallel_for_prof(lp);
    else
        parallel_for(lp, 0);
}

/* ------------------------------------------------------------------ */
/* WEFT_for: the work-share ring                                       */
/* ------------------------------------------------------------------ */

void weft__ws_reset(struct weft__team *team) {
    for (unsigned i = 0; i < WEFT_WS_RING; i++) {
        struct weft__ws *ws = &team->ring[i];
        weft__store(&ws->claim_seq, 0, WEFT__RELAXED);
        weft__store(&ws->ready_seq, 0, WEFT__RELAXED);
        weft__store(&ws->released_seq, 0, WEFT__RELAXED);
        weft__store(&ws->left, 0, WEFT__RELAXED);
    }
    weft__store(&team->single_taken, 0, WEFT__RELAXED);
}

/* Joins loop number s (1-based, per thread, equal for every member since
 * all meet the same loops in the same order) in slot (s - 1) % RING. */
static struct weft__ws *ws_enter(struct weft__team *team, uint64_t s,
                                 const struct weft_loop *lp, int kind,
                                 uint64_t chunk) {
    struct weft__ws *ws = &team->ring[(s - 1) & (WEFT_WS_RING - 1)];
    uint64_t prev = s > WEFT_WS_RING ? s - WEFT_WS_RING : 0;
    unsigned round = 0;
    /* A thread RING loops ahead waits until everyone has left the loop
     * that last used this slot. */
    while (weft__load(&ws->released_seq, WEFT__ACQUIRE) < prev)
        weft__spin_pause(&round);
    /* The first thread to claim s initialises the slot and publishes it;
     * the others wait for ready_seq == s (acquire pairs with release). */
    if (weft__cas(&ws->claim_seq, &prev, s, WEFT__ACQ_REL, WEFT__ACQUIRE)) {
        ws_setup(ws, team, lp->n, kind, chunk);
        weft__store(&ws->left, 0, WEFT__RELAXED);
        if (lp->red)
            weft__redbuf_prepare(&team->red_inner, lp->red, team->nthreads,
                                 lp->loc);
        weft__store(&ws->ready_seq, s, WEFT__RELEASE);
    } else {
        round = 0;
        while (weft__load(&ws->ready_seq, WEFT__ACQUIRE) != s)
            weft__spin_pause(&round);
    }
    return ws;
}

static void ws_leave(struct weft__team *team, struct weft__ws *ws, uint64_t s) {
    /* The last thread out frees the slot for loop s + RING. */
    if (weft__fetch_add(&ws->left, 1, WEFT__ACQ_REL) + 1 == team->nthreads)
        weft__store(&ws->released_seq, s, WEFT__RELEASE);
}

/* A loop run entirely by the calling thread (team of one, outside any
 * region, or closely nested inside another loop's chunk). */
WEFT__PROF_BODY void run_alone(struct weft__thr *thr,
                               const struct weft_loop *lp, unsigned prof) {
    struct weft__ws *o_cur = thr->cur_ws;
    uint64_t o_k = thr->ord_k;
    int o_in = thr->in_share;
    struct weft__prof_loop pl;
    if (__builtin_expect(prof != 0, 0))
        weft__prof_begin(&pl, lp->loc, WEFT__PROF_ALONE);
    thr->cur_ws = NULL; /* ordered blocks need no waiting here */
    thr->ord_k = UINT64_MAX;
    thr->in_share = 1;
    if (lp->red)
        weft__reduce_serial_loop(lp);
    else if (lp->n)
        lp->body(lp->data, 0, lp->n, NULL);
    thr->cur_ws = o_cur;
    thr->ord_k = o_k;
    thr->in_share = o_in;
    if (__builtin_expect(prof != 0, 0))
        weft__prof_alone_end(&pl, lp);
}

WEFT__PROF_BODY void for_loop(const struct weft_loop *lp, unsigned prof) {
    check_loop(lp);
    struct weft__thr *thr = weft__thr_self();
    struct weft__team *team = thr->team;
    if (!team || team->nthreads == 1 || thr->in_share) {
        run_alone(thr, lp, prof);
        return;
    }
    unsigned nth = team->nthreads, tid = thr->tid;
    int kind;
    uint64_t chunk;
    resolve_schedule(lp, team->run_kind, team->run_chunk, &kind, &chunk);
    struct weft__prof_loop pl;
    struct weft__prof_share ps;
    const struct weft_loop *run_lp = lp; /* lp, or its timed copy */
    if (__builtin_expect(prof != 0, 0)) {
        weft__prof_for_begin(&pl, lp->loc, tid);
        run_lp = weft__prof_share_begin(&ps, lp, pl.id, tid);
    }
    int static_kind = kind == WEFT__SK_BLOCK || kind == WEFT__SK_CHUNKED;
    if (static_kind && !lp->red && !(lp->flags & WEFT_LOOP_ORDERED)) {
        /* Static without reduction or ordered: pure math, no slot. */
        thr->in_share = 1;
        run_static(kind, lp->n, chunk, tid, nth, run_lp, NULL);
        thr->in_share = 0;
        if (__builtin_expect(prof != 0, 0))
            weft__prof_share_end(&ps);
        if (!(lp->flags & WEFT_LOOP_NOWAIT))
            weft__team_barrier(thr);
        if (__builtin_expect(prof != 0, 0))
            weft__prof_end(&pl, lp, nth, kind, chunk);
        return;
    }
    uint64_t s = ++thr->ws_seq;
    struct weft__ws *ws = ws_enter(team, s, lp, kind, chunk);
    void *slot = NULL;
    if (lp->red) {
        slot = weft__redbuf_slot(&team->red_inner, tid);
        weft__red_init(lp->red, lp->data, slot);
    }
    thr->in_share = 1;
    thr->cur_ws = ws;
    thr->ord_k = UINT64_MAX;
    run_share(ws, run_lp, tid, nth, slot);
    thr->cur_ws = NULL;
    thr->ord_k = UINT64_MAX;
    thr->in_share = 0;
    if (__builtin_expect(prof != 0, 0))
        weft__prof_share_end(&ps);
    ws_leave(team, ws, s);
    if (lp->red) {
        /* Reductions always synchronise (nowait only lets the result appear
         * later): every partial is final after the first barrier, thread 0
         * combines, and the second barrier publishes the result and frees
         * the partials for the next loop. */
        weft__team_barrier(thr);
        if (tid == 0)
            weft__reduce_finish(lp->red, lp->data, &team->red_inner, nth);
        weft__team_barrier(thr);
    } else if (!(lp->flags & WEFT_LOOP_NOWAIT)) {
        weft__team_barrier(thr);
    }
    if (__builtin_expect(prof != 0, 0))
        weft__prof_end(&pl, lp, nth, kind, chunk);
}

WEFT__PROF_COLD void for_loop_prof(const struct weft_loop *lp) {
    for_loop(lp, weft__prof_mode);
}

void WEFT_for(const struct weft_loop *lp) {
    weft__init();
    if (__builtin_expect(weft__prof_mode != 0, 0))
        for_loop_prof(lp);
    else
        for_loop(lp, 0);
}

/* ------------------------------------------------------------------ */
/* ordered                                                             */
/* ------------------------------------------------------------------ */

/* Iteration k may enter once every iteration before k has left. Chunks of
 * every schedule are handed out in increasing order, so the thread holding
 * the lowest unfinished iteration always progresses. Every iteration of an
 * ordered loop must run its ordered block exactly once. */
/* H31: ordered_next passes k only when iteration k leaves its ordered
 * block (no other thread moves it from k), so ordered_next > k says that
 * iteration k has run its block: begin then returns at once and end leaves
 * ordered_next alone. An orphaned block (k == WEFT_ORDERED_CURRENT) takes
 * the thread's current iteration from WEFT_ordered_iter. */
void WEFT_ordered_begin(const struct weft_loc *loc, uint64_t k) {
    struct weft__thr *thr = weft__tls_thr;
    struct weft__ws *ws = thr ? thr->cur_ws : NULL;
    (void)loc;
    if (k == WEFT_ORDERED_CURRENT && ws)
        k = thr->ord_k;
    if (!ws || k == WEFT_ORDERED_CURRENT)
        return;
    unsigned round = 0;
    while (weft__load(&ws->ordered_next, WEFT__ACQUIRE) < k)
        weft__spin_pause(&round);
}

void WEFT_ordered_end(const struct weft_loc *loc, uint64_t k) {
    struct weft__thr *thr = weft__tls_thr;
    struct weft__ws *ws = thr ? thr->cur_ws : NULL;
    (void)loc;
    if (k == WEFT_ORDERED_CURRENT && ws)
        k = thr->ord_k;
    if (!ws || k == WEFT_ORDERED_CURRENT)
        return;
    if (weft__load(&ws->ordered_next, WEFT__RELAXED) == k)
        weft__store(&ws->ordered_next, k + 1, WEFT__RELEASE);
}

void WEFT_ordered_iter(uint64_t k) {
    struct weft__thr *thr = weft__tls_thr;
    if (thr)
        thr->ord_k = k;
}

/* ------------------------------------------------------------------ */
/* Trip counts                                                         */
/* ------------------------------------------------------------------ */

uint64_t WEFT_trip_count(const struct weft_loc *loc, uint64_t lb, uint64_t ub,
                         int64_t step, int cmp, unsigned type) {
    uint64_t n;
    enum weft__trip_status st =
        weft__trip_count_calc(lb, ub, step, cmp, type, &n);
    if (st != WEFT__TRIP_OK)
        weft__fatal(loc, "%s", weft__trip_status_str(st));
    return n;
}
