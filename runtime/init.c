/* This file handles libweft's lifecycle: the lazy, once-guarded init that
 * the first API or ABI call triggers (never a library constructor), the
 * per-thread state of user threads, teardown at exit, and the reset of the
 * pool in a child after fork(). */
#include <stdlib.h>
#include <string.h>

#include "weft-internal.h"

struct weft__global weft__g = {
    .pool_lock = PTHREAD_MUTEX_INITIALIZER,
};
weft__atomic_u32 weft__ready;
__thread struct weft__thr *weft__tls_thr
    __attribute__((tls_model("initial-exec")));

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
/* Blocks buried by weft__fork_bury(): one node each, generations of
 * nested forks chained, never freed (a grandchild still holds its
 * grandparent's blocks). */
struct fork_grave {
    struct fork_grave *prev;
    void *block;
};
static struct fork_grave *fork_graves;
static pthread_key_t thr_key;

static void at_exit(void);
static void after_fork_child(void);
static void thr_destroy(void *p);

static void do_init(void) {
    struct weft__global *g = &weft__g;
    weft__options_load(&g->opts, NULL, NULL);
    weft__store(&g->spin_ns, (int64_t)g->opts.spin_us * 1000, WEFT__RELAXED);
    weft__store(&g->dyn_var, g->opts.dynamic, WEFT__RELAXED);
    weft__store(&g->max_active_levels, g->opts.max_active_levels,
                WEFT__RELAXED);
    weft__store(&g->run_sched,
                (uint64_t)(uint32_t)(g->opts.sched_kind | g->opts.sched_mod)
                        << 32 |
                    (uint32_t)g->opts.sched_chunk,
                WEFT__RELAXED);
    g->thread_limit = g->opts.thread_limit;
    weft__store(&g->next_id, 1, WEFT__RELAXED);
    if (g->opts.display_env)
        weft__options_display(&g->opts, stderr, g->opts.display_env == 2);
    /* The raw OMP_PLACES / OMP_PROC_BIND / OMP_DISPLAY_AFFINITY strings go
     * to affinity.c, which parses them (against the topology) only when
     * the first team asks for a placement. */
    weft__affinity_configure(g->opts.places, g->opts.proc_bind,
                             g->opts.display_affinity);
    pthread_key_create(&thr_key, thr_destroy);
    pthread_atfork(NULL, NULL, after_fork_child);
    /* Before at_exit: the trace and statistics writers run after it. */
    weft__prof_init(&g->opts);
    atexit(at_exit);
    weft__store(&weft__ready, 1, WEFT__RELEASE);
}

void weft__init_slow(void) { pthread_once(&init_once, do_init); }

struct weft__thr *weft__thr_create_self(void) {
    weft__init();
    struct weft__thr *t = weft__calloc(1, sizeof *t);
    t->nthreads_var = weft__g.opts.nthreads;
    t->id = weft__fetch_add(&weft__g.next_id, 1, WEFT__RELAXED);
    pthread_mutex_lock(&weft__g.pool_lock);
    weft__g.nroots++;
    pthread_mutex_unlock(&weft__g.pool_lock);
    /* The key's destructor returns this thread's teams when it exits. */
    pthread_setspecific(thr_key, t);
    weft__tls_thr = t;
    return t;
}

/* Runs when a user thread that used weft exits: it is outside any region
 * (a thread cannot exit inside one), so its cached teams are idle. */
static void thr_destroy(void *p) {
    struct weft__thr *t = p;
    weft__thr_release_teams(t);
    weft__tls_thr = NULL;
    pthread_mutex_lock(&weft__g.pool_lock);
    weft__g.nroots--;
    pthread_mutex_unlock(&weft__g.pool_lock);
    weft__free(t);
}

/* At exit: spinning workers stop spinning at once. When the exiting thread
 * is the only user thread ever to use weft and is outside every region,
 * no region can be running, so the pool is joined and freed; otherwise the
 * workers stay parked in futex_wait (safe: their memory is never freed). */
static void at_exit(void) {
    weft__store(&weft__g.exiting, 1, WEFT__SEQ_CST);
    struct weft__thr *t = weft__tls_thr;
    if (t && t->team)
        return;
    pthread_mutex_lock(&weft__g.pool_lock);
    unsigned roots = weft__g.nroots;
    pthread_mutex_unlock(&weft__g.pool_lock);
    if (roots > 1 || (roots == 1 && !t))
        return;
    if (t)
        weft__thr_release_teams(t);
    weft__pool_shutdown();
}

void weft__fork_bury(void *block) {
    if (!block)
        return;
    struct fork_grave *g = malloc(sizeof *g);
    if (!g)
        return; /* only a leak checker would notice */
    g->prev = fork_graves;
    g->block = block;
    fork_graves = g;
}

static void after_fork_child(void) {
    /* Only the forking thread survives; its workers do not exist here. */
    pthread_mutex_init(&weft__g.pool_lock, NULL);
    weft__pool_after_fork_child();
    weft__prof_after_fork_child();
    struct weft__thr *t = weft__tls_thr;
    if (t) {
        weft__fork_bury(t->teams);
        t->teams = NULL;
        t->nteams = 0;
        weft__g.nroots = 1;
    } else {
        weft__g.nroots = 0;
    }
}
