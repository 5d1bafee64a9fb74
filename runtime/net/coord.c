/* This file handles the coordinator side of cluster loops: the listening
 * socket and the accept thread, one thread per worker connection (which
 * runs the handshake, then reads the worker's frames and feeds it chunks),
 * WEFT_parallel_for_cluster (one pull queue shared by the local team and
 * the workers), re-queueing on worker loss, speculative duplicates near the
 * end, the progress bar, and the WEFT_STATS file.
 *
 * Locking: one mutex, C.mu, guards the worker list, every worker's
 * scheduling state, the current loop's chunk records and re-queue list, and
 * the application of remote results to the user's arrays. Local threads
 * take fresh iterations with a CAS on loop->next and never lock, except to
 * take a re-queued chunk. Each worker has a send mutex, held while a feed
 * builds and sends its frames, so INPUT parts, loop specs and requests reach
 * the worker in the order they were decided; lock order: send_mu, then C.mu.
 *
 * Receiving: one thread at a time holds a connection's reader role. It is
 * the connection thread's, except that with a single worker a loop's
 * primary thread, once it has nothing local left, takes it for the rest of
 * the loop when it is free (the connection thread leaves it free for a
 * moment after each loop ends), so the result of a short loop reaches the
 * waiting thread without a wake-up in between; the role changes hands
 * under C.mu. Only the connection thread ends a connection.
 *
 * Exactly once: every remote chunk has a record with a `done` flag. Whoever
 * flips it 0 -> 1 (a CAS, under C.mu) applies that chunk: a worker's result,
 * or a local thread that runs a re-queued chunk itself (it writes straight
 * into the user's arrays, so only a chunk nobody applied yet may be claimed).
 * Only workers get speculative duplicates; their results are applied under
 * C.mu after the CAS, so nothing races on the arrays.
 *
 * Over MPI a worker is an MPI rank (weft__coord_adopt): the same
 * connection thread serves it, but losing it ends the job (MPI cannot
 * replace a rank); in a program that uses MPI itself each cluster loop is a
 * collective of all ranks (spmd_loop, at the end of this file). */
#include "weft-internal.h"

#include <errno.h>
#include <math.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "net/cache.h"
#include "net/cluster.h"
#include "net/mpi/mpi.h"
#include "net/handshake.h"
#include "net/net.h"
#include "net/transport.h"
#include "net/wire.h"
#include "stats.h"

#define MAX_INFLIGHT 2
#define MAX_OWNERS 4
#define MAX_FAILS 3
#define TARGET_CHUNK_NS 3000000.0 /* aim for ~3 ms of work per remote chunk */
#define MAX_CHUNK_BYTES (16u << 20)
#define WAIT_SPIN_NS 50000 /* the primary thread's awake wait for results */
#define WAIT_SPIN_LOST_NS                                                      \
    20000 /* a yield this long: the cores are contended                        \
           */
#define HANDOVER_NS                                                            \
    1000000 /* a reader role left vacant is taken back after                   \
             */

struct wconn;

/* One remote chunk of the current loop. Under C.mu. */
struct chunk {
    uint64_t lo, hi;
    weft__atomic_u32 done; /* 1 once claimed for application */
    unsigned nowners;
    struct wconn *owners[MAX_OWNERS];
    unsigned fails;
    char failed_on[MAX_FAILS][64];
};

struct inflight {
    uint32_t loop_id;
    uint64_t chunk_id;
};

/* A worker connection. Kept (never freed) after the worker leaves, for the
 * statistics. Fields under C.mu unless noted. */
struct wconn {
    uint32_t id;
    char name[WEFT__WIRE_NAME_MAX + 1];
    char peer[64];
    uint32_t nthreads;
    int alive;
    pthread_mutex_t send_mu;   /* held by feed and the BYE sender */
    struct weft__transport *t; /* under send_mu once alive; NULL when closed */
    struct weft__sentset *sent;
    uint32_t spec_loop; /* loop whose spec this worker has */
    struct inflight inflight[MAX_INFLIGHT + MAX_OWNERS];
    unsigned ninflight;
    double ns_per_iter;   /* measured, 0 until the first result */
    int crash_signal;     /* signal the worker reported dying of */
    uint32_t nomiss_loop; /* loop it may not take chunks of (it
                             keeps lacking inputs: cache too small) */
    uint32_t miss_loop;   /* loop of the last input miss, and */
    unsigned misses;      /* how many in that loop */
    uint64_t chunks, iters, bytes_sent, bytes_recv;
    int64_t busy_ns;
    /* The reader role (who may receive on t): the connection thread, or
     * the loop's primary thread while it waits (rx_main), or nobody for a
     * moment after a loop ended (rx_vacant, since rx_vacant_ns), when the
     * primary thread may take it for its next loop. rx_why: why the
     * primary thread found the connection dead; the connection thread
     * ends it. */
    int rx_main, rx_vacant;
    int64_t rx_vacant_ns;
    pthread_cond_t rx_cv; /* with C.mu: rx_why was set */
    const char *rx_why;
    _Atomic int64_t last_rx; /* when a frame last came: any thread */
    int mpi;                 /* an MPI rank: its loss ends the job */
    /* SPMD: set when a loop starts, cleared by the first frame of the
     * worker in it; silence does not count until then (the rank may still
     * be on its way to the loop). */
    atomic_int await_first;
    struct wconn *next;
};

/* One cluster loop call. */
struct cloop {
    uint32_t id;
    const struct weft_cluster_loop *cl;
    uint32_t body_index;
    uint64_t n;
    _Atomic uint64_t next;      /* first fresh iteration */
    _Atomic uint64_t remaining; /* iterations not yet applied */
    uint64_t local_chunk;
    uint64_t per_iter_bytes; /* from/tofrom bytes per iteration */
    unsigned local_threads;
    /* Under C.mu: */
    struct chunk *chunks;
    size_t nchunks, capchunks, scan_from;
    uint64_t *requeue;
    size_t nrequeue, caprequeue;
    void *rpartial; /* remote reduction partial */
    void *rtmp;     /* aligned copy of a received partial */
    void *red_out;  /* SPMD: receives the folded total before fini */
    uint64_t bytes_sent;
    uint64_t iters_remote;
    unsigned feeding; /* feeds sending for this loop right now */
    /* Read-only after set-up: */
    char **base; /* per map: address of element 0 */
    unsigned nto;
    struct weft__input_ref *to_refs; /* per TO map, in map order */
    const void **to_ptr;
    uint8_t *spec; /* encoded spec (flags word included) */
    size_t spec_len;
    weft__atomic_u32 nrequeue_hint;
    _Atomic uint64_t chunks_local, chunks_remote;
    _Atomic int64_t local_busy_ns;
    int64_t t0, last_progress;
    int progress_shown;
};

struct loopstat {
    char *key;
    uint64_t n, chunks_local, chunks_remote, bytes_sent;
    double seconds;
    unsigned workers;
};

static struct {
    pthread_mutex_t mu;
    pthread_cond_t cv; /* worker joined or left, chunk applied */
    int lfd;
    int listening;
    int exiting;
    struct wconn *conns; /* every worker ever connected, newest first */
    unsigned nalive;
    uint32_t next_id;
    uint32_t loop_seq;
    struct cloop *cur;
    int waited_min;
    uint64_t local_chunks, local_iters;
    int64_t local_busy_ns;
    struct loopstat *loops;
    size_t nloops, caploops;
    unsigned mpi_threads; /* connection threads of MPI ranks still running */
} C = {
    .mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER, .lfd = -1};

static int64_t now_ns(void) { return weft__net_now_ns(); }

static int64_t send_deadline(void) {
    return weft__net_deadline_ms(3 * weft__ccfg.heartbeat_ms + 5000);
}

/* ------------------------------------------------------------------ */
/* Scheduling helpers (C.mu held unless said otherwise)               */
/* ------------------------------------------------------------------ */

/* Takes up to `want` fresh iterations. Any thread, no lock. */
static int take_fresh(struct cloop *L, uint64_t want, uint64_t *lo,
                      uint64_t *hi) {
    uint64_t cur = atomic_load_explicit(&L->next, memory_order_relaxed);
    for (;;) {
        if (cur >= L->n)
            return 0;
        uint64_t end = L->n - cur < want ? L->n : cur + want;
        if (atomic_compare_exchange_weak_explicit(&L->next, &cur, end,
                                                  memory_order_relaxed,
                                                  memory_order_relaxed)) {
            *lo = cur;
            *hi = end;
            return 1;
        }
    }
}

static void requeue_push(struct cloop *L, uint64_t id) {
    if (L->nrequeue == L->caprequeue) {
        L->caprequeue = L->caprequeue ? 2 * L->caprequeue : 16;
        L->requeue =
            weft__realloc(L->requeue, L->caprequeue * sizeof *L->requeue);
    }
    L->requeue[L->nrequeue++] = id;
    weft__fetch_add(&L->nrequeue_hint, 1, WEFT__RELEASE);
}

/* Pops a re-queued chunk that is still not done, or returns 0. */
static int requeue_pop(struct cloop *L, uint64_t *id) {
    while (L->nrequeue) {
        uint64_t c = L->requeue[--L->nrequeue];
        weft__fetch_sub(&L->nrequeue_hint, 1, WEFT__RELEASE);
        if (!weft__load(&L->chunks[c].done, WEFT__ACQUIRE)) {
            *id = c;
            return 1;
        }
    }
    return 0;
}

static uint64_t new_chunk(struct cloop *L, uint64_t lo, uint64_t hi) {
    if (L->nchunks == L->capchunks) {
        L->capchunks = L->capchunks ? 2 * L->capchunks : 64;
        L->chunks = weft__realloc(L->chunks, L->capchunks * sizeof *L->chunks);
    }
    struct chunk *c = &L->chunks[L->nchunks];
    memset(c, 0, sizeof *c);
    c->lo = lo;
    c->hi = hi;
    return L->nchunks++;
}

static void owner_remove(struct chunk *c, struct wconn *w) {
    for (unsigned i = 0; i < c->nowners; i++)
        if (c->owners[i] == w) {
            c->owners[i] = c->owners[--c->nowners];
            return;
        }
}

/* Iterations for w's next fresh chunk: ~TARGET_CHUNK_NS of its measured
 * speed (a local-sized probe until the first result), no more than half an
 * equal share of what is left (so the end is not one slow chunk), and
 * within the per-chunk byte budget. */
static uint64_t remote_want(struct cloop *L, struct wconn *w) {
    uint64_t want;
    if (w->ns_per_iter > 0) {
        double x = TARGET_CHUNK_NS / w->ns_per_iter;
        want = x > 1e15 ? (uint64_t)1e15 : (uint64_t)x;
    } else {
        want = L->local_chunk * (w->nthreads ? w->nthreads : 1);
    }
    uint64_t left = L->n - atomic_load_explicit(&L->next, memory_order_relaxed);
    uint64_t nodes = (uint64_t)L->local_threads + C.nalive;
    uint64_t tail = left / (2 * nodes);
    if (want > tail)
        want = tail;
    if (L->per_iter_bytes && want > MAX_CHUNK_BYTES / L->per_iter_bytes)
        want = MAX_CHUNK_BYTES / L->per_iter_bytes;
    return want ? want : 1;
}

/* The next chunk for worker w: a re-queued one, fresh iterations, or (only
 * when w is idle) a duplicate of the oldest chunk still running on one
 * other worker. Returns 0 when there is nothing. */
static int pick_for(struct cloop *L, struct wconn *w, uint64_t *id) {
    uint64_t lo, hi;
    if (w->nomiss_loop == L->id)
        return 0;
    if (requeue_pop(L, id))
        return 1;
    if (take_fresh(L, remote_want(L, w), &lo, &hi)) {
        *id = new_chunk(L, lo, hi);
        return 1;
    }
    if (w->ninflight)
        return 0;
    while (L->scan_from < L->nchunks &&
           weft__load(&L->chunks[L->scan_from].done, WEFT__RELAXED))
        L->scan_from++;
    for (size_t i = L->scan_from; i < L->nchunks; i++) {
        struct chunk *c = &L->chunks[i];
        if (weft__load(&c->done, WEFT__RELAXED) || c->nowners != 1 ||
            c->owners[0] == w)
            continue;
        *id = i;
        return 1;
    }
    return 0;
}

/* Records a worker failure of chunk c (w crashed, vanished or reported an
 * error while running it); the third one ends the program. */
static void chunk_failed(struct cloop *L, struct chunk *c, struct wconn *w,
                         const char *why) {
    if (c->fails < MAX_FAILS)
        snprintf(c->failed_on[c->fails], sizeof c->failed_on[0],
                 "node %u %.48s", w->id, w->name);
    if (++c->fails >= MAX_FAILS) {
        const struct weft_loc *loc = L->cl->loop.loc;
        weft__fatal(loc,
                    "cluster chunk [%llu, %llu) of the loop at %s:%u failed on "
                    "%u workers "
                    "(%s; %s; %s); last: %s",
                    (unsigned long long)c->lo, (unsigned long long)c->hi,
                    loc && loc->file ? loc->file : "?", loc ? loc->line : 0,
                    c->fails, c->failed_on[0], c->failed_on[1], c->failed_on[2],
                    why);
    }
}

/* ------------------------------------------------------------------ */
/* Feeding a worker                                                   */
/* ------------------------------------------------------------------ */

/* Appends a request for chunk id to b. Reads tofrom slices from the user's
 * arrays: safe under C.mu, since a chunk that is not done is applied by
 * nobody else until its CAS, which also happens under C.mu. */
static int encode_req(struct cloop *L, struct wconn *w, uint64_t id,
                      struct weft__wbuf *b) {
    const struct weft_cluster_loop *cl = L->cl;
    struct chunk *c = &L->chunks[id];
    struct weft__bw d = {0};
    if (w->spec_loop != L->id) {
        weft__bw_put(&d, L->spec, L->spec_len);
    } else {
        weft__bw_u32(&d, 0);
    }
    uint32_t ns = 0;
    for (unsigned i = 0; i < cl->nmap; i++)
        ns += cl->maps[i].kind == WEFT_MAP_TOFROM;
    weft__bw_u32(&d, ns);
    for (unsigned i = 0; i < cl->nmap; i++) {
        const struct weft_map *m = &cl->maps[i];
        if (m->kind != WEFT_MAP_TOFROM)
            continue;
        int64_t s0, s1;
        weft__map_span(m, c->lo, c->hi, &s0, &s1);
        uint64_t bytes = (uint64_t)(s1 - s0) * m->elem_size;
        weft__bw_u32(&d, i);
        weft__bw_u64(&d, bytes);
        weft__bw_put(&d, L->base[i] + s0 * (int64_t)m->elem_size, bytes);
    }
    if (d.err || d.len > UINT32_MAX) {
        free(d.p);
        return WEFT_ENOMEM;
    }
    struct weft__chunk_req_src src;
    memset(&src, 0, sizeof src);
    src.m.loop_id = L->id;
    src.m.body_index = L->body_index;
    src.m.chunk_id = id;
    src.m.lo = c->lo;
    src.m.hi = c->hi;
    src.m.data_len = (uint32_t)d.len;
    src.m.data = d.p;
    src.refs = L->to_refs;
    src.nrefs = L->nto;
    int rc = weft__wire_encode_chunk_req(b, 0, &src);
    free(d.p);
    if (rc == 0)
        w->spec_loop = L->id;
    return rc;
}

/* Gives worker w chunks until it has MAX_INFLIGHT, sending any `to`
 * section it lacks first. Any thread that holds neither lock. */
static void feed(struct wconn *w) {
    struct weft__wbuf b = WEFT__WBUF_INITIALIZER;
    unsigned send_to[WEFT__SPEC_MAX_MAPS];
    unsigned nsend = 0;
    struct cloop *L;
    pthread_mutex_lock(&w->send_mu);
    pthread_mutex_lock(&C.mu);
    L = C.cur;
    if (!L || !w->alive || !w->t) {
        pthread_mutex_unlock(&C.mu);
        pthread_mutex_unlock(&w->send_mu);
        return;
    }
    uint64_t id;
    /* The loop cannot end (and free L) while a feed still reads it. */
    L->feeding++;
    while (w->ninflight < MAX_INFLIGHT && pick_for(L, w, &id)) {
        if (nsend == 0 && w->spec_loop != L->id) {
            for (unsigned i = 0; i < L->nto; i++)
                if (!weft__sentset_test(w->sent, L->to_refs[i].hash)) {
                    send_to[nsend++] = i;
                    weft__sentset_add(w->sent, L->to_refs[i].hash);
                }
        }
        if (encode_req(L, w, id, &b)) {
            /* Cannot encode (no memory): leave the chunk to someone else. */
            requeue_push(L, id);
            break;
        }
        struct chunk *c = &L->chunks[id];
        if (c->nowners < MAX_OWNERS)
            c->owners[c->nowners++] = w;
        w->inflight[w->ninflight++] = (struct inflight){L->id, id};
    }
    pthread_mutex_unlock(&C.mu);
    int rc = 0;
    uint64_t sent = 0;
    for (unsigned k = 0; k < nsend && rc == 0; k++) {
        unsigned i = send_to[k];
        rc = weft__input_send(w->t, L->to_refs[i].hash, L->to_ptr[i],
                              L->to_refs[i].length, 0, 0, send_deadline());
        sent += L->to_refs[i].length;
    }
    if (rc == 0 && b.len)
        rc = weft__transport_send(w->t, b.data, b.len, send_deadline());
    sent += b.len;
    if (rc)
        weft__transport_shutdown(w->t); /* the reader sees it and re-queues */
    pthread_mutex_unlock(&w->send_mu);
    pthread_mutex_lock(&C.mu);
    w->bytes_sent += sent;
    L->bytes_sent += sent;
    if (--L->feeding == 0)
        pthread_cond_broadcast(&C.cv);
    pthread_mutex_unlock(&C.mu);
    weft__wbuf_free(&b);
}

/* ------------------------------------------------------------------ */
/* Results and worker loss                                            */
/* ------------------------------------------------------------------ */

static void inflight_remove(struct wconn *w, uint32_t loop_id,
                            uint64_t chunk_id) {
    for (unsigned i = 0; i < w->ninflight; i++)
        if (w->inflight[i].loop_id == loop_id &&
            w->inflight[i].chunk_id == chunk_id) {
            memmove(&w->inflight[i], &w->inflight[i + 1],
                    (w->ninflight - i - 1) * sizeof w->inflight[0]);
            w->ninflight--;
            return;
        }
}

/* Checks a result's sections and reduction against chunk c before anything
 * is applied. Returns 0 or WEFT_EPROTO. */
static int result_check(struct cloop *L, const struct chunk *c,
                        const struct weft__msg_chunk_result *r) {
    const struct weft_cluster_loop *cl = L->cl;
    const struct weft_reduction *red = cl->loop.red;
    size_t pos = 0;
    struct weft__section s;
    if (r->red_len != (red ? red->size : 0))
        return WEFT_EPROTO;
    while (weft__chunk_result_next(r, &pos, &s)) {
        if (s.map_index >= cl->nmap ||
            cl->maps[s.map_index].kind == WEFT_MAP_TO)
            return WEFT_EPROTO;
        const struct weft_map *m = &cl->maps[s.map_index];
        int64_t s0, s1;
        weft__map_span(m, c->lo, c->hi, &s0, &s1);
        uint64_t span = (uint64_t)(s1 - s0) * m->elem_size;
        if (s.offset > span || s.len > span - s.offset)
            return WEFT_EPROTO;
    }
    return 0;
}

static void result_apply(struct cloop *L, const struct chunk *c,
                         const struct weft__msg_chunk_result *r) {
    const struct weft_cluster_loop *cl = L->cl;
    size_t pos = 0;
    struct weft__section s;
    while (weft__chunk_result_next(r, &pos, &s)) {
        const struct weft_map *m = &cl->maps[s.map_index];
        int64_t s0, s1;
        weft__map_span(m, c->lo, c->hi, &s0, &s1);
        memcpy(L->base[s.map_index] + s0 * (int64_t)m->elem_size +
                   (int64_t)s.offset,
               s.bytes, s.len);
    }
    if (r->red_len) {
        memcpy(L->rtmp, r->red, r->red_len);
        weft__red_combine(cl->loop.red, cl->loop.data, L->rpartial, L->rtmp);
    }
}

/* Applies (or records the failure of) one result of worker w. Returns
 * whether w should be fed now: a loop runs that still has iterations left
 * (after the last result of a loop there is nothing to give, and skipping
 * the feed lets the loop's primary thread end the loop at once; the next
 * loop feeds every worker when it starts). */
static int on_result(struct wconn *w, const struct weft__msg_chunk_result *r) {
    int more;
    pthread_mutex_lock(&C.mu);
    inflight_remove(w, r->loop_id, r->chunk_id);
    struct cloop *L = C.cur;
    if (!L || r->loop_id != L->id || r->chunk_id >= L->nchunks) {
        /* A late duplicate of a finished loop; its slot is free now. */
        more =
            L && atomic_load_explicit(&L->remaining, memory_order_relaxed) > 0;
        pthread_mutex_unlock(&C.mu);
        return more;
    }
    struct chunk *c = &L->chunks[r->chunk_id];
    owner_remove(c, w);
    int rc = r->status;
    if (rc == 0)
        rc = result_check(L, c, r);
    if (rc == WEFT_ENOENT) {
        /* The worker lacked an input; it said NEED, and the next feed
         * sends the section again. Not the chunk's fault. */
        w->spec_loop = 0;
        if (w->miss_loop != L->id) {
            w->miss_loop = L->id;
            w->misses = 0;
        }
        if (++w->misses == 3) {
            /* Its cache cannot hold this loop's inputs: leave it out. */
            w->nomiss_loop = L->id;
            if (!C.exiting)
                weft__warn(
                    "cluster node %u (%s) cannot keep this loop's inputs "
                    "(WEFT_INPUT_CACHE too small?); it sits this loop out",
                    w->id, w->name);
        }
        if (!weft__load(&c->done, WEFT__RELAXED) && c->nowners == 0)
            requeue_push(L, r->chunk_id);
    } else if (rc) {
        if (!C.exiting)
            weft__warn("cluster node %u (%s) failed chunk [%llu, %llu): %s",
                       w->id, w->name, (unsigned long long)c->lo,
                       (unsigned long long)c->hi, weft_strerror(rc));
        chunk_failed(L, c, w, weft_strerror(rc));
        if (!weft__load(&c->done, WEFT__RELAXED) && c->nowners == 0)
            requeue_push(L, r->chunk_id);
    } else {
        uint64_t n = c->hi - c->lo;
        double x = (double)r->run_ns / (double)n;
        w->ns_per_iter =
            w->ns_per_iter > 0 ? 0.5 * w->ns_per_iter + 0.5 * x : x;
        uint32_t expect = 0;
        if (weft__cas(&c->done, &expect, 1, WEFT__ACQ_REL, WEFT__RELAXED)) {
            result_apply(L, c, r);
            w->chunks++;
            w->iters += n;
            L->iters_remote += n;
            w->busy_ns += (int64_t)r->run_ns;
            weft__prof_remote_chunk(w->id, w->name, r->loop_id, c->lo, c->hi,
                                    r->run_ns);
            atomic_fetch_add_explicit(&L->chunks_remote, 1,
                                      memory_order_relaxed);
            if (atomic_fetch_sub_explicit(&L->remaining, n,
                                          memory_order_acq_rel) == n)
                pthread_cond_broadcast(&C.cv);
        }
    }
    more = atomic_load_explicit(&L->remaining, memory_order_relaxed) > 0;
    pthread_mutex_unlock(&C.mu);
    return more;
}

/* Worker w is gone (EOF, error, missed heartbeats): its chunks go back to
 * the queue. The oldest in-flight chunk of the current loop is the one it
 * was running, so only that one counts as a failure. */
static void conn_dead(struct wconn *w, const char *why) {
    pthread_mutex_lock(&C.mu);
    if (!w->alive) {
        pthread_mutex_unlock(&C.mu);
        return;
    }
    w->alive = 0;
    C.nalive--;
    struct cloop *L = C.cur;
    int first = 1;
    for (unsigned i = 0; i < w->ninflight; i++) {
        if (!L || w->inflight[i].loop_id != L->id)
            continue;
        struct chunk *c = &L->chunks[w->inflight[i].chunk_id];
        owner_remove(c, w);
        if (!weft__load(&c->done, WEFT__RELAXED)) {
            if (first)
                chunk_failed(L, c, w, why);
            if (c->nowners == 0)
                requeue_push(L, w->inflight[i].chunk_id);
        }
        first = 0;
    }
    w->ninflight = 0;
    if (!C.exiting && L)
        weft__warn("cluster node %u (%s) lost: %s; its chunks are re-queued",
                   w->id, w->name, why);
    pthread_cond_broadcast(&C.cv);
    pthread_mutex_unlock(&C.mu);
    /* Idle workers can take the re-queued chunks. */
    pthread_mutex_lock(&C.mu);
    struct wconn *idle[64];
    unsigned nidle = 0;
    for (struct wconn *o = C.conns; o && nidle < 64; o = o->next)
        if (o->alive && o->ninflight < MAX_INFLIGHT)
            idle[nidle++] = o;
    pthread_mutex_unlock(&C.mu);
    for (unsigned i = 0; i < nidle; i++)
        feed(idle[i]);
}

/* ------------------------------------------------------------------ */
/* Connections                                                        */
/* ------------------------------------------------------------------ */

/* Silence after which a worker counts as lost: 3.5 heartbeat periods. */
static int64_t hb_limit(void) {
    return (int64_t)weft__ccfg.heartbeat_ms * 3500000;
}

enum { RX_OK, RX_IDLE, RX_END, RX_PAUSE };

/* Receives one frame from w (waiting until `deadline`, at most the
 * heartbeat limit) and handles it. The reader role of w, no lock held.
 * Returns RX_OK; RX_IDLE when nothing came before a deadline earlier than
 * the heartbeat limit; RX_END when the connection must end (*why says
 * why). Sets *over when a result left no loop to feed w for. */
static int rx_one(struct wconn *w, struct weft__transport *t, int64_t deadline,
                  const char **why, int *over) {
    struct weft__frame f = {0};
    int rc = weft__transport_recv(t, &f, WEFT__WIRE_MAX_FRAME, deadline);
    if (rc == WEFT_ETIMEDOUT) {
        if (atomic_load_explicit(&w->await_first, memory_order_relaxed) ||
            now_ns() < atomic_load_explicit(&w->last_rx, memory_order_relaxed) +
                           hb_limit())
            return RX_IDLE;
        *why = "missed 3 heartbeats";
        return RX_END;
    }
    if (rc) {
        *why = rc == WEFT_ECONNRESET ? "connection closed" : weft_strerror(rc);
        return RX_END;
    }
    atomic_store_explicit(&w->last_rx, now_ns(), memory_order_relaxed);
    atomic_store_explicit(&w->await_first, 0, memory_order_relaxed);
    struct weft__msg m;
    if (weft__frame_decode(&f, &m)) {
        *why = "malformed frame";
        weft__frame_free(&f);
        return RX_END;
    }
    pthread_mutex_lock(&C.mu);
    w->bytes_recv += WEFT__WIRE_HDR_LEN + f.hdr.length;
    pthread_mutex_unlock(&C.mu);
    int ret = RX_OK;
    switch (m.hdr.type) {
    case WEFT__MSG_CHUNK_RESULT:
        if (on_result(w, &m.u.chunk_result))
            feed(w);
        else
            *over = 1;
        break;
    case WEFT__MSG_NEED:
        pthread_mutex_lock(&C.mu);
        for (uint32_t i = 0; i < m.u.hashlist.count; i++) {
            struct weft__input_ref r;
            weft__hashlist_ref(&m.u.hashlist, i, &r);
            weft__sentset_remove(w->sent, r.hash);
        }
        pthread_mutex_unlock(&C.mu);
        break;
    case WEFT__MSG_BYE:
        if (w->mpi && m.u.bye.code == WEFT__MPI_BYE_LOOP_END) {
            ret = RX_PAUSE; /* SPMD: the rank's last frame of this loop */
            break;
        }
        *why = "worker said goodbye";
        ret = RX_END;
        break;
    case WEFT__MSG_ERROR: {
        int sig = 0;
        char text[WEFT__WIRE_NAME_MAX + 1];
        snprintf(text, sizeof text, "%.*s", (int)m.u.error.text_len,
                 m.u.error.text);
        if (m.u.error.code == EINTR && sscanf(text, "signal %d", &sig) == 1 &&
            sig > 0) {
            /* The worker is dying of a signal; its EOF follows. */
            pthread_mutex_lock(&C.mu);
            w->crash_signal = sig;
            pthread_mutex_unlock(&C.mu);
        } else {
            weft__warn("cluster node %u (%s): %s", w->id, w->name, text);
        }
        break;
    }
    default:
        break; /* HEARTBEAT: last_rx is enough */
    }
    weft__frame_free(&f);
    return ret;
}

/* The primary thread, waiting for remote results with nothing local left:
 * when there is one worker and its reader role is vacant, receives that
 * worker's frames itself until the loop's results are in (or chunks come
 * back to run locally), so a result reaches the waiting thread without a
 * hand-off from the connection thread. With more workers each connection
 * thread keeps reading its own. Returns at once otherwise. */
static void main_receive(struct cloop *L) {
    struct wconn *w = NULL;
    pthread_mutex_lock(&C.mu);
    if (C.nalive == 1)
        for (struct wconn *o = C.conns; o; o = o->next)
            if (o->alive && o->rx_vacant && o->ninflight) {
                w = o;
                break;
            }
    if (w) {
        w->rx_vacant = 0;
        w->rx_main = 1;
    }
    pthread_mutex_unlock(&C.mu);
    if (!w)
        return;
    /* t stays open: the connection thread closes it only after it took
     * the reader role back. */
    struct weft__transport *t = w->t;
    const char *why = NULL;
    int over = 0;
    while (atomic_load_explicit(&L->remaining, memory_order_acquire) > 0 &&
           !weft__load(&L->nrequeue_hint, WEFT__ACQUIRE)) {
        /* Short waits: a worker that joins meanwhile is read by its own
         * connection thread, and its results end the loop too. */
        int64_t dl = now_ns() + 10000000;
        int64_t hb = atomic_load_explicit(&w->last_rx, memory_order_relaxed) +
                     hb_limit();
        if (rx_one(w, t, dl < hb ? dl : hb, &why, &over) == RX_END)
            break;
        why = NULL;
    }
    if (why)
        weft__transport_shutdown(t);
    pthread_mutex_lock(&C.mu);
    w->rx_main = 0;
    w->rx_vacant = 1;
    w->rx_vacant_ns = now_ns();
    if (why) {
        w->rx_why = why;
        pthread_cond_signal(&w->rx_cv); /* the connection thread ends it */
    }
    pthread_mutex_unlock(&C.mu);
}

struct conn_arg {
    int fd;
    char peer[64];
};

/* Runs the handshake on a fresh link t and registers the worker. Returns
 * the new connection, or NULL (t closed, refusal reported). The caller
 * then runs conn_run(w) in the connection's own thread. */
static struct wconn *conn_admit(struct weft__transport *t,
                                const char *peer_desc, int mpi) {
    pthread_mutex_lock(&C.mu);
    uint32_t id = ++C.next_id;
    pthread_mutex_unlock(&C.mu);
    /* Over MPI the launcher vouches for the ranks: the key is public and
     * only the version and build-id checks matter; a slow rank start-up
     * gets more time. */
    struct weft__hs_config hc = {
        .secret =
            mpi ? (const uint8_t *)WEFT__MPI_HS_SECRET : weft__ccfg.secret,
        .secret_len =
            mpi ? sizeof WEFT__MPI_HS_SECRET - 1 : weft__ccfg.secret_len,
        .timeout_ms = mpi && weft__ccfg.handshake_timeout_ms < 30000
                          ? 30000
                          : weft__ccfg.handshake_timeout_ms,
        .node_id = id,
        .heartbeat_ms = (uint32_t)weft__ccfg.heartbeat_ms,
    };
    struct weft__hs_peer peer;
    int rc = weft__hs_accept(t, &hc, &peer);
    if (rc) {
        if (mpi)
            weft__mpi_abort(weft__mpi.comm,
                            "MPI %s refused as a cluster "
                            "worker: %s",
                            peer_desc,
                            peer.msg[0] ? peer.msg : weft_strerror(rc));
        weft__warn("refused a cluster worker from %s: %s", peer_desc,
                   peer.msg[0] ? peer.msg : weft_strerror(rc));
        weft__transport_close(t);
        return NULL;
    }
    struct wconn *w = weft__calloc(1, sizeof *w);
    w->id = id;
    w->mpi = mpi;
    snprintf(w->name, sizeof w->name, "%s",
             peer.name[0] ? peer.name : peer_desc);
    snprintf(w->peer, sizeof w->peer, "%s", peer_desc);
    w->nthreads = peer.nthreads ? peer.nthreads : 1;
    w->t = t;
    pthread_mutex_init(&w->send_mu, NULL);
    pthread_cond_init(&w->rx_cv, NULL);
    if (weft__sentset_create(&w->sent)) {
        weft__transport_close(t);
        free(w);
        return NULL;
    }
    atomic_init(&w->last_rx, now_ns());
    pthread_mutex_lock(&C.mu);
    w->alive = 1;
    w->next = C.conns;
    C.conns = w;
    C.nalive++;
    pthread_cond_broadcast(&C.cv);
    pthread_mutex_unlock(&C.mu);
    return w;
}

/* The connection thread of an admitted worker: reads its frames until the
 * connection ends, then re-queues its chunks (sockets) or ends the job
 * (an MPI rank lost while the program runs). */
static void conn_run(struct wconn *w) {
    struct weft__transport *t = w->t;
    feed(w); /* joins a loop already running */
    const char *why = "connection closed";
    for (;;) {
        /* Take the reader role: not while the primary thread holds it,
         * nor just after a loop ended (the primary thread's next loop may
         * take it), so nap until then. */
        pthread_mutex_lock(&C.mu);
        while (!w->rx_why &&
               (w->rx_main ||
                (w->rx_vacant && now_ns() - w->rx_vacant_ns < HANDOVER_NS))) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            ts.tv_nsec += HANDOVER_NS;
            if (ts.tv_nsec >= 1000000000L) {
                ts.tv_sec++;
                ts.tv_nsec -= 1000000000L;
            }
            pthread_cond_timedwait(&w->rx_cv, &C.mu, &ts);
        }
        if (w->rx_why) {
            why = w->rx_why;
            pthread_mutex_unlock(&C.mu);
            break;
        }
        w->rx_vacant = 0;
        pthread_mutex_unlock(&C.mu);
        int over = 0;
        int rx =
            rx_one(w, t,
                   atomic_load_explicit(&w->last_rx, memory_order_relaxed) +
                       hb_limit(),
                   &why, &over);
        if (rx == RX_PAUSE) {
            /* SPMD loop over: the link stays, this thread ends. */
            pthread_mutex_lock(&C.mu);
            w->rx_vacant = 1;
            w->rx_vacant_ns = now_ns();
            pthread_mutex_unlock(&C.mu);
            return;
        }
        if (rx == RX_END)
            break;
        if (over) {
            pthread_mutex_lock(&C.mu);
            w->rx_vacant = 1;
            w->rx_vacant_ns = now_ns();
            pthread_mutex_unlock(&C.mu);
        }
    }
    weft__transport_shutdown(t);
    char sigwhy[96];
    pthread_mutex_lock(&C.mu);
    int sig = w->crash_signal;
    pthread_mutex_unlock(&C.mu);
    if (sig) {
        snprintf(sigwhy, sizeof sigwhy, "killed by signal %d (%s)", sig,
                 strsignal(sig));
        why = sigwhy;
    }
    if (w->mpi) {
        pthread_mutex_lock(&C.mu);
        int exiting = C.exiting;
        pthread_mutex_unlock(&C.mu);
        /* MPI cannot replace a rank, and its communicator may be broken:
         * never re-queue onto it; end the job instead. */
        if (!exiting)
            weft__mpi_abort(weft__mpi.comm,
                            "cluster worker %s (MPI rank link %s) lost: %s",
                            w->name, w->peer, why);
    }
    conn_dead(w, why);
    pthread_mutex_lock(&w->send_mu);
    w->t = NULL;
    pthread_mutex_unlock(&w->send_mu);
    weft__transport_close(t);
}

static void *conn_main(void *arg) {
    struct conn_arg a = *(struct conn_arg *)arg;
    free(arg);
    struct weft__transport *t;
    if (weft__transport_sock_create(a.fd, a.peer, &t)) {
        close(a.fd);
        return NULL;
    }
    struct wconn *w = conn_admit(t, a.peer, 0);
    if (w)
        conn_run(w);
    return NULL;
}

static void *mpi_conn_main(void *arg) {
    struct wconn *w = arg;
    conn_run(w);
    pthread_mutex_lock(&C.mu);
    C.mpi_threads--;
    pthread_cond_broadcast(&C.cv);
    pthread_mutex_unlock(&C.mu);
    return NULL;
}

int weft__coord_adopt(struct weft__transport *t, const char *name) {
    struct wconn *w = conn_admit(t, name, 1);
    if (!w)
        return WEFT_EPROTO;
    pthread_t th;
    pthread_attr_t at;
    pthread_attr_init(&at);
    pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
    pthread_mutex_lock(&C.mu);
    C.listening = 1;
    C.mpi_threads++;
    pthread_mutex_unlock(&C.mu);
    int rc = pthread_create(&th, &at, mpi_conn_main, w);
    pthread_attr_destroy(&at);
    if (rc)
        weft__mpi_abort(weft__mpi.comm, "cannot start a thread for %s", name);
    return 0;
}

void weft__coord_mpi_drain(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += 5;
    pthread_mutex_lock(&C.mu);
    for (;;) {
        unsigned busy = 0;
        for (struct wconn *w = C.conns; w; w = w->next)
            busy += w->mpi && w->alive && w->ninflight;
        if (!busy)
            break;
        /* on_result wakes C.cv only when a loop ends; poll the rest. */
        struct timespec nap;
        clock_gettime(CLOCK_REALTIME, &nap);
        nap.tv_nsec += 5 * 1000 * 1000;
        if (nap.tv_nsec >= 1000000000L) {
            nap.tv_sec++;
            nap.tv_nsec -= 1000000000L;
        }
        if (nap.tv_sec > ts.tv_sec ||
            (nap.tv_sec == ts.tv_sec && nap.tv_nsec >= ts.tv_nsec))
            break;
        pthread_cond_timedwait(&C.cv, &C.mu, &nap);
    }
    pthread_mutex_unlock(&C.mu);
}

void weft__coord_mpi_end(void) {
    pthread_mutex_lock(&C.mu);
    C.exiting = 1;
    struct wconn *list = C.conns;
    pthread_mutex_unlock(&C.mu);
    for (struct wconn *w = list; w; w = w->next) {
        if (!w->mpi)
            continue;
        pthread_mutex_lock(&w->send_mu);
        if (w->t)
            weft__transport_shutdown(w->t);
        pthread_mutex_unlock(&w->send_mu);
    }
    /* Each thread leaves its poll within a nap once its link is shut. */
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += 5;
    pthread_mutex_lock(&C.mu);
    while (C.mpi_threads > 0)
        if (pthread_cond_timedwait(&C.cv, &C.mu, &ts) == ETIMEDOUT)
            break;
    pthread_mutex_unlock(&C.mu);
}

static void *accept_main(void *arg) {
    (void)arg;
    for (;;) {
        char peer[64] = "";
        int fd = weft__net_accept(C.lfd, -1, peer, sizeof peer, NULL);
        if (fd < 0) {
            if (fd == -EINTR || fd == -ECONNABORTED || fd == WEFT_ETIMEDOUT)
                continue;
            if (fd == -EMFILE || fd == -ENFILE) {
                struct timespec ts = {0, 100 * 1000 * 1000};
                nanosleep(&ts, NULL);
                continue;
            }
            return NULL;
        }
        struct conn_arg *a = malloc(sizeof *a);
        pthread_t th;
        pthread_attr_t at;
        if (!a) {
            close(fd);
            continue;
        }
        a->fd = fd;
        snprintf(a->peer, sizeof a->peer, "%s", peer);
        pthread_attr_init(&at);
        pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
        if (pthread_create(&th, &at, conn_main, a)) {
            close(fd);
            free(a);
        }
        pthread_attr_destroy(&at);
    }
}

int weft__coord_start(void) {
    char host[WEFT__NET_HOST_LEN], err[WEFT__NET_ERR_LEN] = "";
    int port;
    const char *spec = weft__ccfg.listen;
    char bare[WEFT__NET_HOST_LEN + 16];
    /* A bare port ("7000") or ":7000" listens on loopback. */
    if (spec[strspn(spec, "0123456789")] == 0) {
        snprintf(bare, sizeof bare, "127.0.0.1:%s", spec);
        spec = bare;
    }
    if (weft__net_parse_addr(spec, 0, host, &port, err)) {
        weft__warn("WEFT_LISTEN='%s': %s; cluster loops run locally",
                   weft__ccfg.listen, err);
        return WEFT_EINVAL;
    }
    int fd = weft__net_listen(host[0] ? host : "127.0.0.1", port, 64, err);
    if (fd < 0) {
        weft__warn("cannot listen on %s: %s; cluster loops run locally",
                   weft__ccfg.listen, err);
        return fd;
    }
    C.lfd = fd;
    pthread_t th;
    pthread_attr_t at;
    pthread_attr_init(&at);
    pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
    int rc = pthread_create(&th, &at, accept_main, NULL);
    pthread_attr_destroy(&at);
    if (rc) {
        close(fd);
        C.lfd = -1;
        return -rc;
    }
    C.listening = 1;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Statistics and progress                                            */
/* ------------------------------------------------------------------ */

static void json_str(FILE *f, const char *s) {
    fputc('"', f);
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            fprintf(f, "\\%c", ch);
        else if (ch < 0x20)
            fprintf(f, "\\u%04x", ch);
        else
            fputc(ch, f);
    }
    fputc('"', f);
}

static int by_id(const void *a, const void *b) {
    const struct wconn *x = *(struct wconn *const *)a,
                       *y = *(struct wconn *const *)b;
    return x->id < y->id ? -1 : x->id > y->id;
}

static void write_stats(const char *path) {
    FILE *f = fopen(path, "w");
    if (!f) {
        weft__warn("cannot write WEFT_STATS file '%s'", path);
        return;
    }
    char hn[256] = "";
    gethostname(hn, sizeof hn - 1);
    uint64_t sent = 0, recv = 0;
    for (struct wconn *w = C.conns; w; w = w->next) {
        sent += w->bytes_sent;
        recv += w->bytes_recv;
    }
    fprintf(f, "{\n  \"nodes\": [\n    {\"id\": 0, \"host\": ");
    json_str(f, hn);
    fprintf(
        f,
        ", \"role\": \"coordinator\", \"chunks\": %llu, \"iterations\": %llu, "
        "\"bytes_sent\": %llu, \"bytes_received\": %llu, \"busy_s\": %.6f}",
        (unsigned long long)C.local_chunks, (unsigned long long)C.local_iters,
        (unsigned long long)sent, (unsigned long long)recv,
        C.local_busy_ns / 1e9);
    /* By node id (the order workers connected in). */
    size_t nw = 0;
    for (struct wconn *w = C.conns; w; w = w->next)
        nw++;
    struct wconn **ws = calloc(nw + 1, sizeof *ws);
    size_t k = 0;
    for (struct wconn *w = C.conns; w && ws; w = w->next)
        ws[k++] = w;
    if (ws)
        qsort(ws, nw, sizeof *ws, by_id);
    for (size_t i = 0; ws && i < nw; i++) {
        struct wconn *w = ws[i];
        fprintf(f, ",\n    {\"id\": %u, \"host\": ", w->id);
        json_str(f, w->name);
        fprintf(
            f,
            ", \"role\": \"worker\", \"chunks\": %llu, \"iterations\": %llu, "
            "\"bytes_sent\": %llu, \"bytes_received\": %llu, \"busy_s\": %.6f}",
            (unsigned long long)w->chunks, (unsigned long long)w->iters,
            (unsigned long long)w->bytes_recv,
            (unsigned long long)w->bytes_sent, w->busy_ns / 1e9);
    }
    free(ws);
    fprintf(f, "\n  ],\n  \"loops\": [");
    for (size_t i = 0; i < C.nloops; i++) {
        struct loopstat *s = &C.loops[i];
        fprintf(f, "%s\n    {\"key\": ", i ? "," : "");
        json_str(f, s->key);
        fprintf(
            f,
            ", \"n\": %llu, \"chunks_local\": %llu, \"chunks_remote\": %llu, "
            "\"workers\": %u, \"bytes_sent\": %llu, \"seconds\": %.6f}",
            (unsigned long long)s->n, (unsigned long long)s->chunks_local,
            (unsigned long long)s->chunks_remote, s->workers,
            (unsigned long long)s->bytes_sent, s->seconds);
    }
    /* Local loops (stats.c) share this one document. */
    fprintf(f, "\n  ],\n");
    weft__stats_write_local(f);
    fprintf(f, "\n}\n");
    fclose(f);
}

/* Under C.mu. */
static void record_loop(const struct weft_cluster_loop *cl,
                        uint64_t chunks_local, uint64_t chunks_remote,
                        uint64_t bytes, unsigned workers, double seconds) {
    if (!weft__ccfg.stats)
        return;
    if (C.nloops == C.caploops) {
        C.caploops = C.caploops ? 2 * C.caploops : 16;
        C.loops = weft__realloc(C.loops, C.caploops * sizeof *C.loops);
    }
    struct loopstat *s = &C.loops[C.nloops++];
    const char *key = cl->entry && cl->entry->key ? cl->entry->key : "?";
    size_t kl = strlen(key) + 1;
    s->key = weft__malloc(kl);
    memcpy(s->key, key, kl);
    s->n = cl->loop.n;
    s->chunks_local = chunks_local;
    s->chunks_remote = chunks_remote;
    s->bytes_sent = bytes;
    s->workers = workers;
    s->seconds = seconds;
}

void weft__coord_atexit(void) {
    pthread_mutex_lock(&C.mu);
    C.exiting = 1;
    struct wconn *list = C.conns;
    pthread_mutex_unlock(&C.mu);
    for (struct wconn *w = list; w; w = w->next) {
        /* SPMD ranks run main themselves: no BYE (and MPI may be
         * finalised by now). */
        if (w->mpi && weft__mpi.mode == WEFT__MPI_SPMD)
            continue;
        pthread_mutex_lock(&w->send_mu);
        if (w->t) {
            struct weft__wbuf b = WEFT__WBUF_INITIALIZER;
            struct weft__msg m;
            memset(&m, 0, sizeof m);
            m.hdr.type = WEFT__MSG_BYE;
            if (weft__wire_encode(&b, &m) == 0)
                weft__transport_send(w->t, b.data, b.len,
                                     weft__net_deadline_ms(500));
            weft__wbuf_free(&b);
        }
        pthread_mutex_unlock(&w->send_mu);
    }
    pthread_mutex_lock(&C.mu);
    /* In an MPI program every rank runs main: rank 0 writes the file, any
     * other rank N its local loops to FILE.rankN (which also keeps the
     * local stats writer off rank 0's file). */
    if (weft__ccfg.stats && weft__mpi.mode == WEFT__MPI_SPMD &&
        weft__mpi.rank != 0) {
        char path[4096];
        snprintf(path, sizeof path, "%s.rank%d", weft__ccfg.stats,
                 weft__mpi.rank);
        FILE *f = fopen(path, "w");
        if (f) {
            fprintf(f, "{\n");
            weft__stats_write_local(f);
            fprintf(f, "\n}\n");
            fclose(f);
        }
    } else if (weft__ccfg.stats) {
        write_stats(weft__ccfg.stats);
    }
    pthread_mutex_unlock(&C.mu);
}

/* Thread 0 only. */
static void progress(struct cloop *L, int final) {
    if (!weft__ccfg.progress)
        return;
    int64_t t = now_ns();
    if (final) {
        if (L->progress_shown)
            fprintf(stderr, "\r[weft] %s: 100%% in %.1fs%20s\n",
                    L->cl->entry->key, (t - L->t0) / 1e9, "");
        return;
    }
    if (t - L->t0 < 1000000000LL || t - L->last_progress < 200000000LL)
        return;
    L->last_progress = t;
    L->progress_shown = 1;
    uint64_t left = atomic_load_explicit(&L->remaining, memory_order_relaxed);
    double done = L->n ? (double)(L->n - left) / (double)L->n : 1.0;
    double el = (t - L->t0) / 1e9;
    double eta = done > 0 ? el * (1 - done) / done : 0;
    pthread_mutex_lock(&C.mu);
    unsigned nodes = C.nalive + 1;
    pthread_mutex_unlock(&C.mu);
    fprintf(stderr, "\r[weft] %s: %3.0f%% ETA %.1fs, %u node%s",
            L->cl->entry->key, 100 * done, eta, nodes, nodes > 1 ? "s" : "");
}

/* ------------------------------------------------------------------ */
/* The loop                                                           */
/* ------------------------------------------------------------------ */

static void run_local(struct cloop *L, uint64_t lo, uint64_t hi, void *red) {
    int64_t t0 = now_ns();
    L->cl->loop.body(L->cl->loop.data, lo, hi, red);
    int64_t t1 = now_ns();
    atomic_fetch_add_explicit(&L->local_busy_ns, t1 - t0, memory_order_relaxed);
    atomic_fetch_add_explicit(&L->chunks_local, 1, memory_order_relaxed);
    if (atomic_fetch_sub_explicit(&L->remaining, hi - lo,
                                  memory_order_acq_rel) == hi - lo) {
        pthread_mutex_lock(&C.mu);
        pthread_cond_broadcast(&C.cv);
        pthread_mutex_unlock(&C.mu);
    }
}

/* Takes a re-queued chunk for a local thread (claiming it), or 0. */
static int take_requeued(struct cloop *L, uint64_t *lo, uint64_t *hi) {
    uint64_t id;
    int got = 0;
    pthread_mutex_lock(&C.mu);
    while (!got && requeue_pop(L, &id)) {
        uint32_t expect = 0;
        struct chunk *c = &L->chunks[id];
        if (weft__cas(&c->done, &expect, 1, WEFT__ACQ_REL, WEFT__RELAXED)) {
            *lo = c->lo;
            *hi = c->hi;
            got = 1;
        }
    }
    pthread_mutex_unlock(&C.mu);
    return got;
}

/* Region body: every local thread pulls chunks; thread 0 then waits for the
 * workers' results, running re-queued chunks itself. */
static void local_main(void *data, void *red) {
    struct cloop *L = data;
    uint64_t lo, hi;
    struct weft__thr *thr = weft__thr_self();
    for (;;) {
        if (weft__load(&L->nrequeue_hint, WEFT__ACQUIRE) &&
            take_requeued(L, &lo, &hi)) {
            run_local(L, lo, hi, red);
        } else if (take_fresh(L, L->local_chunk, &lo, &hi)) {
            run_local(L, lo, hi, red);
        } else {
            break;
        }
        if (thr->tid == 0)
            progress(L, 0);
    }
    if (thr->tid != 0)
        return;
    main_receive(L);
    /* A remote result often comes back within tens of microseconds: wait
     * for it awake for a short while, yielding the core (which the thread
     * that receives the result may need on a small machine), then sleep.
     * A yield that kept this thread off the core for long means the cores
     * are contended: then a wake-up beats spinning, so it sleeps at once. */
    int64_t t = now_ns(), spin_end = t + WAIT_SPIN_NS;
    while (atomic_load_explicit(&L->remaining, memory_order_acquire) > 0 &&
           !weft__load(&L->nrequeue_hint, WEFT__ACQUIRE) && t < spin_end) {
        sched_yield();
        int64_t t2 = now_ns();
        if (t2 - t > WAIT_SPIN_LOST_NS)
            break;
        t = t2;
    }
    pthread_mutex_lock(&C.mu);
    while (atomic_load_explicit(&L->remaining, memory_order_acquire) > 0) {
        if (L->nrequeue) {
            pthread_mutex_unlock(&C.mu);
            if (take_requeued(L, &lo, &hi))
                run_local(L, lo, hi, red);
            pthread_mutex_lock(&C.mu);
            continue;
        }
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 50 * 1000 * 1000;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&C.cv, &C.mu, &ts);
        pthread_mutex_unlock(&C.mu);
        progress(L, 0);
        pthread_mutex_lock(&C.mu);
    }
    pthread_mutex_unlock(&C.mu);
}

static void wred_init(void *d, void *slot) {
    struct cloop *L = d;
    weft__red_init(L->cl->loop.red, L->cl->loop.data, slot);
}

static void wred_combine(void *d, void *into, const void *from) {
    struct cloop *L = d;
    weft__red_combine(L->cl->loop.red, L->cl->loop.data, into, from);
}

/* The local team's total, then the workers' partial, then fini once. */
static void wred_fini(void *d, void *slot) {
    struct cloop *L = d;
    weft__red_combine(L->cl->loop.red, L->cl->loop.data, slot, L->rpartial);
    if (L->red_out)
        memcpy(L->red_out, slot, L->cl->loop.red->size);
    weft__red_fini(L->cl->loop.red, L->cl->loop.data, slot);
}

/* Whether the descriptor can run remotely; else it runs locally. */
static int remote_ok(const struct weft_cluster_loop *cl) {
    const struct weft_cluster_body *e = cl->entry;
    if (!e || !e->key || !e->body || (e->ncap && !e->caps) ||
        cl->nmap > WEFT__SPEC_MAX_MAPS || e->ncap > WEFT__SPEC_MAX_CAPS ||
        (cl->nmap && !cl->maps) || strlen(e->key) > 65535)
        return 0;
    if (cl->loop.red && (!e->red || !weft__red_usable(e->red) ||
                         cl->loop.red->size > (1u << 30)))
        return 0;
    if (cl->loop.flags & (WEFT_LOOP_ORDERED | WEFT_LOOP_IF_FALSE))
        return 0;
    uint64_t value_bytes = 0, iter_bytes = 0;
    for (unsigned i = 0; i < e->ncap; i++) {
        if (e->caps[i].flags < WEFT_CAP_VALUE ||
            e->caps[i].flags > WEFT_CAP_MAPPED_ARRAY)
            return 0;
        if (e->caps[i].flags == WEFT_CAP_VALUE)
            value_bytes += e->caps[i].size;
    }
    /* Requests and results are single frames: one iteration's slices and
     * the scalars must fit in one chunk's budget. */
    if (value_bytes > MAX_CHUNK_BYTES)
        return 0;
    for (unsigned i = 0; i < cl->nmap; i++) {
        const struct weft_map *m = &cl->maps[i];
        if (m->kind < WEFT_MAP_TO || m->kind > WEFT_MAP_TOFROM ||
            m->cap >= e->ncap || e->caps[m->cap].flags == WEFT_CAP_VALUE ||
            m->elem_size == 0)
            return 0;
        for (unsigned j = 0; j < i; j++)
            if (cl->maps[j].cap == m->cap)
                return 0; /* one slot can point at one copy only */
        int64_t s0, s1;
        if (cl->loop.n && weft__map_span(m, 0, cl->loop.n, &s0, &s1))
            return 0;
        if (m->kind != WEFT_MAP_TO) {
            uint64_t a = m->a < 0 ? (uint64_t)-m->a : (uint64_t)m->a;
            uint64_t per = a > m->len ? a : m->len;
            if (per > MAX_CHUNK_BYTES || m->elem_size > MAX_CHUNK_BYTES ||
                per * m->elem_size > MAX_CHUNK_BYTES)
                return 0;
            iter_bytes += per * m->elem_size;
        }
    }
    return iter_bytes <= MAX_CHUNK_BYTES;
}

/* Sets up L for cl; returns 0 or -1 (then run locally). */
static int loop_setup(struct cloop *L, const struct weft_cluster_loop *cl) {
    const struct weft_cluster_body *e = cl->entry;
    void **cap = cl->loop.data;
    memset(L, 0, sizeof *L);
    L->cl = cl;
    L->n = cl->loop.n;
    L->body_index = weft__cluster_index(e);
    atomic_store(&L->remaining, L->n);
    L->base = calloc(cl->nmap + 1, sizeof *L->base);
    L->to_refs = calloc(cl->nmap + 1, sizeof *L->to_refs);
    L->to_ptr = calloc(cl->nmap + 1, sizeof *L->to_ptr);
    if (!L->base || !L->to_refs || !L->to_ptr)
        return -1;
    for (unsigned i = 0; i < cl->nmap; i++) {
        const struct weft_map *m = &cl->maps[i];
        L->base[i] = e->caps[m->cap].flags == WEFT_CAP_MAPPED_PTR
                         ? *(char **)cap[m->cap]
                         : (char *)cap[m->cap];
        if (m->kind == WEFT_MAP_TO) {
            uint64_t bytes;
            if (__builtin_mul_overflow(m->len, m->elem_size, &bytes))
                return -1;
            const void *p = L->base[i] + m->b * (int64_t)m->elem_size;
            L->to_ptr[L->nto] = p;
            L->to_refs[L->nto].hash = weft__hash_bytes(p, bytes);
            L->to_refs[L->nto].length = bytes;
            L->nto++;
        } else {
            uint64_t a = m->a < 0 ? (uint64_t)-m->a : (uint64_t)m->a;
            L->per_iter_bytes += (a > m->len ? a : m->len) * m->elem_size;
        }
    }
    struct weft__bw b = {0};
    size_t klen = strlen(e->key);
    const struct weft_reduction *red = cl->loop.red;
    weft__bw_u32(&b, WEFT__SPEC_PRESENT);
    weft__bw_u16(&b, (uint16_t)klen);
    weft__bw_put(&b, e->key, klen);
    weft__bw_u64(&b, red ? red->size : 0);
    weft__bw_u64(&b, red ? red->align : 0);
    weft__bw_u32(&b, cl->nmap);
    for (unsigned i = 0; i < cl->nmap; i++) {
        const struct weft_map *m = &cl->maps[i];
        weft__bw_u32(&b, m->kind);
        weft__bw_u32(&b, m->cap);
        weft__bw_u64(&b, m->elem_size);
        weft__bw_u64(&b, (uint64_t)m->a);
        weft__bw_u64(&b, (uint64_t)m->b);
        weft__bw_u64(&b, m->len);
    }
    weft__bw_u32(&b, e->ncap);
    for (unsigned i = 0; i < e->ncap; i++) {
        weft__bw_u32(&b, e->caps[i].flags);
        weft__bw_u64(&b, e->caps[i].size);
        if (e->caps[i].flags == WEFT_CAP_VALUE)
            weft__bw_put(&b, cap[i], e->caps[i].size);
    }
    if (b.err) {
        free(b.p);
        return -1;
    }
    L->spec = b.p;
    L->spec_len = b.len;
    if (red) {
        size_t al = red->align ? red->align : 16;
        L->rpartial =
            weft__aligned_calloc(al < 64 ? 64 : al, red->size ? red->size : 1);
        L->rtmp =
            weft__aligned_calloc(al < 64 ? 64 : al, red->size ? red->size : 1);
        weft__red_init(red, cl->loop.data, L->rpartial);
    }
    return 0;
}

static void loop_free(struct cloop *L) {
    free(L->base);
    free(L->to_refs);
    free(L->to_ptr);
    free(L->spec);
    weft__free(L->chunks);
    weft__free(L->requeue);
    weft__free(L->rpartial);
    weft__free(L->rtmp);
}

/* WEFT_MIN_WORKERS: the first cluster loop waits (bounded) for k workers. */
static void wait_min_workers(void) {
    if (C.waited_min)
        return;
    C.waited_min = 1;
    int k = weft__ccfg.min_workers;
    if (k <= 0 || !C.listening)
        return;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += weft__ccfg.min_workers_timeout_s;
    while ((int)C.nalive < k)
        if (pthread_cond_timedwait(&C.cv, &C.mu, &ts) == ETIMEDOUT)
            break;
    if ((int)C.nalive < k)
        weft__warn("WEFT_MIN_WORKERS=%d: only %u worker%s joined within %d s; "
                   "going on",
                   k, C.nalive, C.nalive == 1 ? "" : "s",
                   weft__ccfg.min_workers_timeout_s);
}

/* Whether cl may go to the workers now. Under C.mu. */
static int remote_now(const struct weft_cluster_loop *cl,
                      const struct weft__thr *thr) {
    return C.listening && C.nalive > 0 && !C.cur && !thr->team &&
           cl->loop.n > 0 && cl->loop.body && remote_ok(cl);
}

/* One cluster loop on the coordinator. spmd: rank 0 of an MPI program,
 * which decided (remote_now) to distribute it; then red_out receives the
 * folded reduction total. Returns 0, or -1 when an SPMD loop could not be
 * set up (red_out unfilled). */
static int cluster_loop(const struct weft_cluster_loop *cl, int spmd,
                        void *red_out) {
    struct weft__thr *thr = weft__thr_self();
    int64_t t0 = now_ns();
    pthread_mutex_lock(&C.mu);
    wait_min_workers();
    int remote = spmd || remote_now(cl, thr);
    pthread_mutex_unlock(&C.mu);
    if (!remote) {
        WEFT_parallel_for(&cl->loop);
        if (weft__ccfg.stats && !thr->team) {
            pthread_mutex_lock(&C.mu);
            record_loop(cl, 0, 0, 0, 0, (now_ns() - t0) / 1e9);
            pthread_mutex_unlock(&C.mu);
        }
        return 0;
    }
    struct cloop L;
    if (loop_setup(&L, cl)) {
        loop_free(&L);
        if (spmd)
            return -1;
        WEFT_parallel_for(&cl->loop);
        return 0;
    }
    L.red_out = red_out;
    unsigned T = (unsigned)weft_max_threads();
    if (cl->loop.num_threads > 0)
        T = (unsigned)cl->loop.num_threads;
    L.local_threads = T ? T : 1;
    uint64_t lc = cl->loop.chunk > 0 ? (uint64_t)cl->loop.chunk
                                     : L.n / (64ull * L.local_threads);
    L.local_chunk = lc ? lc : 1;
    L.t0 = t0;
    pthread_mutex_lock(&C.mu);
    L.id = ++C.loop_seq;
    if (L.id == 0)
        L.id = ++C.loop_seq;
    C.cur = &L;
    struct wconn *ws[256];
    unsigned nw = 0;
    for (struct wconn *w = C.conns; w && nw < 256; w = w->next)
        if (w->alive)
            ws[nw++] = w;
    unsigned workers = nw;
    pthread_mutex_unlock(&C.mu);
    for (unsigned i = 0; i < nw; i++)
        feed(ws[i]);

    struct weft_reduction wred;
    if (cl->loop.red)
        wred = (struct weft_reduction){cl->loop.red->size,
                                       cl->loop.red->align,
                                       wred_init,
                                       wred_combine,
                                       wred_fini,
                                       NULL,
                                       0,
                                       0};
    struct weft_region reg = {cl->loop.loc,
                              local_main,
                              &L,
                              cl->loop.num_threads,
                              cl->loop.proc_bind,
                              0,
                              cl->loop.red ? &wred : NULL};
    WEFT_parallel(&reg);

    pthread_mutex_lock(&C.mu);
    C.cur = NULL; /* no new feed starts on L */
    while (L.feeding)
        pthread_cond_wait(&C.cv, &C.mu);
    /* Chunks still listed in flight belong to a finished loop now; their
     * late results are ignored by loop id. */
    uint64_t cloc = atomic_load(&L.chunks_local),
             crem = atomic_load(&L.chunks_remote);
    C.local_chunks += cloc;
    C.local_iters += L.n - L.iters_remote;
    int64_t busy = atomic_load(&L.local_busy_ns);
    C.local_busy_ns += busy;
    double secs = (now_ns() - t0) / 1e9;
    record_loop(cl, cloc, crem, L.bytes_sent, workers, secs);
    pthread_mutex_unlock(&C.mu);
    progress(&L, 1);
    loop_free(&L);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Cluster loops of a program that uses MPI itself (SPMD)             */
/* ------------------------------------------------------------------ */

/* Every rank runs main and reaches every cluster loop, so a loop is a
 * collective: rank 0 decides whether it goes remote and broadcasts that
 * with the loop's identity (n, body key hash: ranks that disagree end the
 * job); rank 0 then coordinates with ranks 1..n-1 serving from inside
 * their own call, ends the loop with a BYE(LOOP_END) per rank that each
 * rank acknowledges, and broadcasts every from/tofrom element and the
 * folded reduction total, so every rank leaves with the memory it would
 * have had running the loop alone. Between loops no weft thread touches
 * MPI: rank 0's connection threads live for one loop only. Collectives
 * run only on the loop's calling thread, one loop at a time (a cluster
 * loop nested in a parallel region runs locally on each rank). */

#define SPMD_PIECE ((size_t)16 << 20) /* packing buffer for gappy maps */

/* The first cluster loop: checks the program's MPI, duplicates
 * MPI_COMM_WORLD and connects rank 0 to every other rank. Collective. */
static void spmd_setup(void) {
    static int done;
    if (done)
        return;
    done = 1;
    char err[1024];
    const struct weft__mpi_ops *mo = weft__mpi_load(err, sizeof err);
    if (!mo) {
        fprintf(stderr,
                "weft: fatal: this MPI program's cluster loops need the "
                "MPI plugin libweft-mpi.so, which cannot be loaded: %s\n",
                err);
        exit(1);
    }
    if (!mo->initialized() || mo->finalized()) {
        fprintf(stderr,
                "weft: fatal: this program uses MPI itself, so it must call "
                "MPI_Init_thread(&argc, &argv, MPI_THREAD_MULTIPLE, "
                "&provided) before its first cluster loop and MPI_Finalize "
                "only after its last\n");
        exit(1);
    }
    int level = mo->query_thread();
    if (level < WEFT__MPI_THREAD_MULTIPLE)
        weft__mpi_abort(NULL,
                        "this program initialised MPI with %s; weft's cluster "
                        "loops need MPI_THREAD_MULTIPLE: call "
                        "MPI_Init_thread(&argc, &argv, MPI_THREAD_MULTIPLE, "
                        "&provided) instead of MPI_Init",
                        weft__mpi_level_name(level));
    int rc = mo->comm_dup_world(&weft__mpi.comm);
    if (rc)
        weft__mpi_abort(NULL, "MPI_Comm_dup failed: %s",
                        mo->error_string(rc, err, sizeof err));
    weft__mpi.rank = mo->comm_rank(weft__mpi.comm);
    weft__mpi.size = mo->comm_size(weft__mpi.comm);
    char name[WEFT__WIRE_NAME_MAX + 1], hn[64] = "";
    struct weft__transport *t;
    if (weft__mpi.rank != 0) {
        gethostname(hn, sizeof hn - 1);
        snprintf(name, sizeof name, "rank%d@%.60s", weft__mpi.rank, hn);
        if (weft__transport_mpi_create(weft__mpi.comm, 0, "rank 0", &t))
            weft__mpi_abort(weft__mpi.comm, "out of memory");
        weft__worker_spmd_join(t, name);
        return;
    }
    for (int r = 1; r < weft__mpi.size; r++) {
        snprintf(name, sizeof name, "rank %d", r);
        if (weft__transport_mpi_create(weft__mpi.comm, r, name, &t))
            weft__mpi_abort(weft__mpi.comm, "out of memory");
        conn_admit(t, name, 1);
    }
    pthread_mutex_lock(&C.mu);
    C.listening = 1;
    pthread_mutex_unlock(&C.mu);
}

static void spmd_bcast(void *p, size_t len) {
    char err[256];
    const struct weft__mpi_ops *mo = weft__mpi_get();
    int rc = len ? mo->bcast(weft__mpi.comm, p, len, 0) : 0;
    if (rc)
        weft__mpi_abort(weft__mpi.comm,
                        "MPI_Bcast of cluster loop results "
                        "failed: %s",
                        mo->error_string(rc, err, sizeof err));
}

/* Rank 0 sends, every other rank receives: each from/tofrom element the
 * loop's iterations touch (a map whose slices tile its span in place, a
 * gappy one packed slice by slice in bounded pieces). */
static void spmd_share_maps(const struct weft_cluster_loop *cl) {
    const struct weft_cluster_body *e = cl->entry;
    void **cap = cl->loop.data;
    uint64_t n = cl->loop.n;
    int root = weft__mpi.rank == 0;
    uint8_t *buf = NULL;
    for (unsigned i = 0; i < cl->nmap; i++) {
        const struct weft_map *m = &cl->maps[i];
        if (m->kind == WEFT_MAP_TO)
            continue;
        char *base = e->caps[m->cap].flags == WEFT_CAP_MAPPED_PTR
                         ? *(char **)cap[m->cap]
                         : (char *)cap[m->cap];
        int64_t s0, s1;
        weft__map_span(m, 0, n, &s0, &s1);
        if (m->a == (int64_t)m->len || m->a == -(int64_t)m->len || m->a == 0 ||
            n == 1) {
            spmd_bcast(base + s0 * (int64_t)m->elem_size,
                       (size_t)(s1 - s0) * m->elem_size);
            continue;
        }
        size_t per = (size_t)(m->len * m->elem_size);
        uint64_t batch = per ? SPMD_PIECE / per : n;
        if (batch == 0)
            batch = 1;
        if (!buf)
            buf = weft__malloc(SPMD_PIECE > per ? SPMD_PIECE : per);
        for (uint64_t k0 = 0; k0 < n; k0 += batch) {
            uint64_t k1 = n - k0 < batch ? n : k0 + batch;
            for (uint64_t k = k0; root && k < k1; k++)
                memcpy(buf + (k - k0) * per,
                       base +
                           (m->a * (int64_t)k + m->b) * (int64_t)m->elem_size,
                       per);
            spmd_bcast(buf, (size_t)(k1 - k0) * per);
            for (uint64_t k = k0; !root && k < k1; k++)
                memcpy(base +
                           (m->a * (int64_t)k + m->b) * (int64_t)m->elem_size,
                       buf + (k - k0) * per, per);
        }
    }
    weft__free(buf);
}

static void spmd_loop(const struct weft_cluster_loop *cl) {
    struct weft__thr *thr = weft__thr_self();
    if (thr->team) {
        WEFT_parallel_for(&cl->loop); /* no collectives from a team */
        return;
    }
    spmd_setup();
    const struct weft_cluster_body *e = cl->entry;
    const struct weft_reduction *red = cl->loop.red;
    const char *key = e && e->key ? e->key : "";
    struct weft__hash128 kh = weft__hash_bytes(key, strlen(key));
    uint64_t head[4] = {0, cl->loop.n, kh.lo, kh.hi};
    if (weft__mpi.rank == 0) {
        pthread_mutex_lock(&C.mu);
        head[0] = (uint64_t)remote_now(cl, thr);
        pthread_mutex_unlock(&C.mu);
    }
    uint64_t mine[4];
    memcpy(mine, head, sizeof head);
    spmd_bcast(head, sizeof head);
    if (head[1] != mine[1] || head[2] != mine[2] || head[3] != mine[3])
        weft__mpi_abort(weft__mpi.comm,
                        "MPI rank %d reached the cluster loop '%s' with n = "
                        "%llu while rank 0 runs another loop or another n "
                        "(%llu): every rank must reach the same cluster loops "
                        "in the same order",
                        weft__mpi.rank, key, (unsigned long long)mine[1],
                        (unsigned long long)head[1]);
    if (!head[0]) {
        WEFT_parallel_for(&cl->loop);
        return;
    }
    void *slot = NULL;
    if (red) {
        size_t al = red->align ? red->align : 16;
        slot =
            weft__aligned_calloc(al < 64 ? 64 : al, red->size ? red->size : 1);
    }
    if (weft__mpi.rank == 0) {
        /* A connection thread per rank for this loop only. */
        pthread_mutex_lock(&C.mu);
        struct wconn *list = C.conns;
        pthread_mutex_unlock(&C.mu);
        for (struct wconn *w = list; w; w = w->next) {
            if (!w->mpi)
                continue;
            pthread_t th;
            pthread_attr_t at;
            atomic_store(&w->await_first, 1);
            atomic_store(&w->last_rx, now_ns());
            pthread_mutex_lock(&C.mu);
            C.mpi_threads++;
            pthread_mutex_unlock(&C.mu);
            pthread_attr_init(&at);
            pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
            if (pthread_create(&th, &at, mpi_conn_main, w))
                weft__mpi_abort(weft__mpi.comm, "cannot start a thread");
            pthread_attr_destroy(&at);
        }
        if (cluster_loop(cl, 1, slot))
            weft__mpi_abort(weft__mpi.comm,
                            "out of memory setting up the "
                            "cluster loop '%s'",
                            key);
        for (struct wconn *w = list; w; w = w->next) {
            if (!w->mpi)
                continue;
            struct weft__wbuf b = WEFT__WBUF_INITIALIZER;
            struct weft__msg m;
            memset(&m, 0, sizeof m);
            m.hdr.type = WEFT__MSG_BYE;
            m.u.bye.code = WEFT__MPI_BYE_LOOP_END;
            pthread_mutex_lock(&w->send_mu);
            int rc = weft__wire_encode(&b, &m);
            if (rc == 0)
                rc = weft__transport_send(w->t, b.data, b.len, send_deadline());
            pthread_mutex_unlock(&w->send_mu);
            weft__wbuf_free(&b);
            if (rc)
                weft__mpi_abort(weft__mpi.comm,
                                "cannot end the loop on %s: "
                                "%s",
                                w->name, weft_strerror(rc));
        }
        /* Each thread ends at its rank's acknowledgement (a lost rank
         * ends the job from its thread instead). */
        pthread_mutex_lock(&C.mu);
        while (C.mpi_threads > 0)
            pthread_cond_wait(&C.cv, &C.mu);
        pthread_mutex_unlock(&C.mu);
    } else {
        weft__worker_spmd_serve();
    }
    spmd_share_maps(cl);
    if (red) {
        spmd_bcast(slot, red->size);
        if (weft__mpi.rank != 0)
            weft__red_fini(red, cl->loop.data, slot);
    }
    weft__free(slot);
}

void WEFT_parallel_for_cluster(const struct weft_cluster_loop *cl) {
    weft__init();
    if (!cl)
        weft__fatal(NULL, "cluster loop without a descriptor");
    if (weft__mpi.mode == WEFT__MPI_SPMD)
        spmd_loop(cl);
    else
        cluster_loop(cl, 0, NULL);
}
