/* This file handles WEFT_parallel, the `#pragma omp parallel` entry point,
 * and the dispatch of a team's job to each member. */
#include "weft-internal.h"

WEFT__PROF_BODY void team_job(struct weft__team *team, unsigned tid,
                              unsigned prof) {
    struct weft__prof_job pj;
    if (__builtin_expect(prof != 0, 0))
        weft__prof_job_begin(&pj, team, team->prof_id, tid);
    if (team->job == WEFT__JOB_LOOP) {
        weft__loop_share(team, tid);
    } else {
        void *slot = NULL;
        if (team->red) {
            slot = weft__redbuf_slot(&team->red_outer, tid);
            weft__red_init(team->red, team->region_data, slot);
        }
        team->region_fn(team->region_data, slot);
    }
    /* The end of a region is a task scheduling point: tasks the region
     * created finish before the join. One load when it created none. */
    if (team->nthreads > 1)
        weft__task_region_end(weft__tls_thr, team);
    if (__builtin_expect(prof != 0, 0))
        weft__prof_job_end(&pj);
}

WEFT__PROF_COLD void team_job_prof(struct weft__team *team, unsigned tid) {
    team_job(team, tid, weft__prof_mode);
}

/* The hooked entry points come in two copies; see WEFT__PROF_BODY. */
void weft__team_job(struct weft__team *team, unsigned tid) {
    if (__builtin_expect(weft__prof_mode != 0, 0))
        team_job_prof(team, tid);
    else
        team_job(team, tid, 0);
}

WEFT__PROF_BODY void parallel(const struct weft_region *r, unsigned prof) {
    struct weft__prof_loop pl;
    if (__builtin_expect(prof != 0, 0))
        weft__prof_begin(&pl, r ? r->loc : NULL, WEFT__PROF_REGION);
    struct weft__thr *thr = weft__thr_self();
    if (!r || !r->body)
        weft__fatal(r ? r->loc : NULL, "parallel region without a body");
    if (r->num_threads < 0)
        weft__fatal(r->loc, "num_threads(%d) must be positive", r->num_threads);
    unsigned n = weft__team_size(thr, r->num_threads, r->flags);
    struct weft__team *team = weft__team_prepare(thr, n, r->proc_bind);
    n = team->nthreads;
    team->job = WEFT__JOB_REGION;
    team->region_fn = r->body;
    team->region_data = r->data;
    team->red = r->red;
    if (__builtin_expect(prof != 0, 0))
        team->prof_id = pl.id.r;
    if (r->red)
        weft__redbuf_prepare(&team->red_outer, r->red, n, r->loc);
    weft__ws_reset(team);
    weft__team_run(thr, team);
    if (r->red)
        weft__reduce_finish(r->red, r->data, &team->red_outer, n);
    if (__builtin_expect(prof != 0, 0))
        weft__prof_end(&pl, NULL, n, 0, 0);
}

WEFT__PROF_COLD void parallel_prof(const struct weft_region *r) {
    parallel(r, weft__prof_mode);
}

void WEFT_parallel(const struct weft_region *r) {
    weft__init();
    if (__builtin_expect(weft__prof_mode != 0, 0))
        parallel_prof(r);
    else
        parallel(r, 0);
}
