/* This file handles the worker role: a process started with WEFT_JOIN
 * connects to the coordinator, proves it runs the same binary and knows the
 * secret, and then serves chunks until the coordinator says BYE or goes
 * away; it never returns to main.
 *
 * Threads: two serving threads (the main thread and one more) share two
 * roles, handed over under W.mu. The reader owns the receiving side of the
 * connection: it stores INPUT parts in the input cache, answers HAVE, takes
 * CHUNK_REQ frames and sends a HEARTBEAT every heartbeat period (so a
 * worker whose threads are stopped falls silent). The runner rebuilds a
 * chunk's capture block, runs the chunk on its own thread team with
 * WEFT_parallel_for and sends the CHUNK_RESULT.
 *
 * When the reader receives a request while no chunk runs or waits, it runs
 * that chunk itself at once and leaves the reader role vacant: a request
 * reaches the body without a thread hand-off. The other thread takes the
 * vacant role within HANDOVER_NS, so a long chunk never silences the
 * heartbeats nor stops the connection being read (the coordinator's next
 * request, which could fill the socket buffers while both sides send); a
 * short chunk's runner finds the role still vacant and reads the next
 * request itself, so the common case wakes no thread at all. For that the
 * idle thread naps HANDOVER_NS at a time while requests keep coming (up to
 * ACTIVE_NS after the last one), and sleeps for good only after that, when
 * the next direct run wakes it. A request that arrives while a chunk runs
 * is queued; the runner takes it when it finishes, so requests run one at
 * a time, in order (the coordinator keeps up to two in flight, so the next
 * chunk waits here while this one runs). Sends from both threads go
 * through the transport, which serialises whole frames. Either thread may
 * master the chunk's team, so the pool may cache one team per serving
 * thread.
 *
 * Over MPI (weft__worker_serve) the same two threads serve a rank link
 * instead of a socket, and the rank finalises MPI before it exits. In a
 * program that uses MPI itself, a rank other than 0 serves each cluster
 * loop from inside its own call instead (weft__worker_spmd_serve: chunks in
 * the calling thread, heartbeats from a thread of their own, until rank 0
 * ends the loop). */
#include "weft-internal.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "net/cache.h"
#include "net/cluster.h"
#include "net/handshake.h"
#include "net/mpi/mpi.h"
#include "net/net.h"
#include "net/transport.h"
#include "net/wire.h"

/* How long the reader role may stay vacant while a chunk runs. Well under
 * the shortest heartbeat period (10 ms). */
#define HANDOVER_NS 1000000
/* How long after a request the idle thread keeps napping, not sleeping. */
#define ACTIVE_NS 200000000

/* A queued chunk request; owns its frame (the message points into it). */
struct job {
    struct weft__frame f;
    struct weft__msg m;
    struct job *next;
};

/* The loop spec of the loop being served. The runner only (the role passes
 * between threads under W.mu, which orders the accesses). */
struct spec {
    int valid;
    uint32_t loop_id;
    const struct weft_cluster_body *e;
    uint64_t red_size, red_align;
    uint32_t nmap, ncap;
    struct weft_map *maps;
    unsigned *capflags;
    void **values; /* VALUE slots: aligned private copies, else NULL */
};

static struct {
    struct weft__transport *t;
    struct weft__icache *cache;
    pthread_mutex_t mu; /* guards head, tail, reading, running */
    pthread_cond_t cv;  /* CLOCK_MONOTONIC; a queued chunk may be free to run */
    struct job *head, *tail;
    int reading;          /* a thread holds the reader role */
    int running;          /* a thread runs a chunk */
    int asleep;           /* the idle thread waits without a timeout */
    int64_t active_until; /* the idle thread naps until then */
    weft__atomic_u32 seq;
    weft__atomic_u32 inflight; /* queued or running requests */
    struct spec spec;
    int hb_ms;
    /* The reader role only: */
    int64_t last_hb;
    int input_warned;
    int mpi;        /* serving over an MPI rank link (read-only once serving) */
    int spmd;       /* ...from inside each cluster loop of an MPI program */
    atomic_int bye; /* MPI: the rank is ending; nothing more is sent */
} W = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};

/* Crash report: an ERROR frame (code EINTR, ref = chunk id, text
 * "signal NN") encoded at start-up, so the fatal-signal handler only
 * patches bytes and calls write(2), both async-signal-safe. */
#define CRASH_TEXT "signal 00"
static uint8_t crash_frame[64];
static size_t crash_len;
static int crash_fd = -1;
static volatile uint64_t crash_chunk; /* chunk the runner runs, + 1; 0 idle */

static void on_crash(int sig) {
    uint64_t c = crash_chunk;
    if (c && crash_fd >= 0 && crash_len) {
        c--;
        for (int i = 0; i < 8; i++)
            crash_frame[WEFT__WIRE_HDR_LEN + 4 + i] = (uint8_t)(c >> (8 * i));
        crash_frame[crash_len - 2] = (uint8_t)('0' + sig / 10 % 10);
        crash_frame[crash_len - 1] = (uint8_t)('0' + sig % 10);
        ssize_t r = write(crash_fd, crash_frame, crash_len);
        (void)r;
    }
    raise(sig); /* SA_RESETHAND: the default action now */
}

static void arm_crash_report(int fd) {
    struct weft__wbuf b = WEFT__WBUF_INITIALIZER;
    struct weft__msg m;
    memset(&m, 0, sizeof m);
    m.hdr.type = WEFT__MSG_ERROR;
    m.u.error.code = EINTR;
    m.u.error.text = CRASH_TEXT;
    m.u.error.text_len = sizeof CRASH_TEXT - 1;
    if (weft__wire_encode(&b, &m) == 0 && b.len <= sizeof crash_frame) {
        memcpy(crash_frame, b.data, b.len);
        crash_len = b.len;
        crash_fd = fd;
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_crash;
        sa.sa_flags = SA_RESETHAND | SA_NODEFER;
        int sigs[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
        for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
            sigaction(sigs[i], &sa, NULL);
    }
    weft__wbuf_free(&b);
}

/* Over MPI the rank must finalise before it exits (else the launcher
 * reports the job failed). The first thread to get here shuts the link,
 * waits until the other serving thread left MPI, and finalises; a thread
 * that comes later waits for the process to end. A refusal or a broken
 * stream (code != 0) aborts the job instead. */
static noreturn void mpi_exit(int code) {
    static atomic_int once;
    if (atomic_fetch_add(&once, 1) != 0)
        for (;;)
            pause();
    atomic_store(&W.bye, 1);
    weft__transport_shutdown(W.t);
    weft__transport_mpi_quiesce(W.t, weft__net_deadline_ms(2000));
    if (code)
        weft__mpi_abort(weft__mpi.comm,
                        "MPI rank %d: its cluster link to rank 0 failed or "
                        "was refused",
                        weft__mpi.rank);
    const struct weft__mpi_ops *o = weft__mpi_get();
    if (o && !o->finalized())
        o->finalize();
    _exit(0);
}

static noreturn void worker_exit(int code) {
    fflush(stdout);
    fflush(stderr);
    if (W.spmd)
        weft__mpi_abort(weft__mpi.comm,
                        "MPI rank %d lost its cluster link to rank 0",
                        weft__mpi.rank);
    if (W.mpi)
        mpi_exit(code);
    _exit(code);
}

static uint32_t next_seq(void) {
    return weft__fetch_add(&W.seq, 1, WEFT__RELAXED);
}

/* Sends the frames in b; a failed send means the coordinator is gone (it
 * ended, or its connection broke): the worker ends quietly. */
static void send_buf(struct weft__wbuf *b) {
    if (atomic_load_explicit(&W.bye, memory_order_relaxed))
        return; /* rank 0 said BYE: nobody receives any more */
    int rc = weft__transport_send(W.t, b->data, b->len,
                                  weft__net_deadline_ms(30000));
    if (rc)
        worker_exit(W.mpi); /* sockets: the coordinator ended or went away;
                               MPI: the link broke (the end is a BYE) */
}

static void send_heartbeat(void) {
    struct weft__wbuf b = WEFT__WBUF_INITIALIZER;
    struct weft__msg m;
    memset(&m, 0, sizeof m);
    m.hdr.type = WEFT__MSG_HEARTBEAT;
    m.hdr.seq = next_seq();
    m.u.heartbeat.time_ns = (uint64_t)weft__net_now_ns();
    m.u.heartbeat.inflight = weft__load(&W.inflight, WEFT__RELAXED);
    if (weft__wire_encode(&b, &m) == 0)
        send_buf(&b);
    weft__wbuf_free(&b);
}

/* Answers a HAVE with the references this worker lacks (maybe none). */
static void answer_have(const struct weft__msg_hashlist *h) {
    struct weft__input_ref *miss =
        calloc(h->count ? h->count : 1, sizeof *miss);
    uint32_t n = 0;
    if (!miss)
        worker_exit(1);
    for (uint32_t i = 0; i < h->count; i++) {
        struct weft__input_ref r;
        weft__hashlist_ref(h, i, &r);
        if (!weft__icache_has(W.cache, r.hash, r.length))
            miss[n++] = r;
    }
    struct weft__wbuf b = WEFT__WBUF_INITIALIZER;
    if (weft__wire_encode_hashlist(&b, WEFT__MSG_NEED, next_seq(), miss, n) ==
        0)
        send_buf(&b);
    weft__wbuf_free(&b);
    free(miss);
}

/* ------------------------------------------------------------------ */
/* Running one chunk                                                  */
/* ------------------------------------------------------------------ */

static void spec_clear(struct spec *s) {
    for (uint32_t i = 0; s->values && i < s->ncap; i++)
        weft__free(s->values[i]);
    free(s->values);
    free(s->maps);
    free(s->capflags);
    memset(s, 0, sizeof *s);
}

/* Parses a loop spec from r into s. Returns 0 or a WEFT_E* code with a
 * message in err. */
static int spec_parse(struct weft__br *r, struct spec *s, char *err,
                      size_t errlen) {
    spec_clear(s);
    uint16_t klen = weft__br_u16(r);
    const uint8_t *key = weft__br_take(r, klen);
    s->red_size = weft__br_u64(r);
    s->red_align = weft__br_u64(r);
    s->nmap = weft__br_u32(r);
    if (r->err || s->nmap > WEFT__SPEC_MAX_MAPS)
        goto proto;
    s->e = weft__cluster_find((const char *)key, klen, UINT32_MAX, NULL);
    if (!s->e) {
        snprintf(err, errlen, "no cluster body '%.*s' in this binary",
                 (int)klen, (const char *)key);
        return WEFT_ENOENT;
    }
    s->maps = calloc(s->nmap ? s->nmap : 1, sizeof *s->maps);
    if (!s->maps)
        return WEFT_ENOMEM;
    for (uint32_t i = 0; i < s->nmap; i++) {
        struct weft_map *m = &s->maps[i];
        m->kind = weft__br_u32(r);
        m->cap = weft__br_u32(r);
        m->elem_size = weft__br_u64(r);
        m->a = (int64_t)weft__br_u64(r);
        m->b = (int64_t)weft__br_u64(r);
        m->len = weft__br_u64(r);
        if (m->kind < WEFT_MAP_TO || m->kind > WEFT_MAP_TOFROM ||
            m->elem_size == 0 || m->elem_size > WEFT__SPEC_MAX_SPAN ||
            m->len > WEFT__SPEC_MAX_SPAN)
            goto proto;
    }
    s->ncap = weft__br_u32(r);
    if (r->err || s->ncap != s->e->ncap || s->ncap > WEFT__SPEC_MAX_CAPS)
        goto proto;
    s->capflags = calloc(s->ncap ? s->ncap : 1, sizeof *s->capflags);
    s->values = calloc(s->ncap ? s->ncap : 1, sizeof *s->values);
    if (!s->capflags || !s->values)
        return WEFT_ENOMEM;
    for (uint32_t i = 0; i < s->ncap; i++) {
        s->capflags[i] = weft__br_u32(r);
        uint64_t size = weft__br_u64(r);
        if (r->err || s->capflags[i] != s->e->caps[i].flags)
            goto proto;
        if (s->capflags[i] == WEFT_CAP_VALUE) {
            const uint8_t *b = weft__br_take(r, size);
            if (!b || size != s->e->caps[i].size)
                goto proto;
            s->values[i] = weft__aligned_calloc(64, size ? size : 1);
            memcpy(s->values[i], b, size);
        }
    }
    for (uint32_t i = 0; i < s->nmap; i++)
        if (s->maps[i].cap >= s->ncap ||
            s->capflags[s->maps[i].cap] == WEFT_CAP_VALUE)
            goto proto;
    if (s->red_size && (!s->e->red || !weft__red_usable(s->e->red) ||
                        s->red_size > (1u << 30)))
        goto proto;
    if (s->red_align == 0)
        s->red_align = 16;
    if (s->red_align & (s->red_align - 1) || s->red_align > 4096)
        goto proto;
    s->valid = 1;
    return 0;
proto:
    snprintf(err, errlen, "malformed loop spec");
    return WEFT_EPROTO;
}

/* What the chunk body wrapper needs. */
struct runctx {
    const struct weft_cluster_body *e;
    void **cap;
    uint64_t base; /* the chunk's first logical iteration */
    void *partial; /* the team's total, written by wrap_fini */
    size_t red_size;
};

static void wrap_body(void *d, uint64_t lo, uint64_t hi, void *red) {
    struct runctx *c = d;
    c->e->body(c->cap, c->base + lo, c->base + hi, red);
}

static void wrap_init(void *d, void *slot) {
    struct runctx *c = d;
    weft__red_init(c->e->red, c->cap, slot);
}

static void wrap_combine(void *d, void *into, const void *from) {
    struct runctx *c = d;
    weft__red_combine(c->e->red, c->cap, into, from);
}

static void wrap_fini(void *d, void *slot) {
    struct runctx *c = d;
    memcpy(c->partial, slot, c->red_size);
}

static void send_result(uint32_t loop_id, uint64_t chunk_id, int status,
                        uint64_t run_ns, const struct weft__section *secs,
                        uint32_t nsecs, const void *red, uint32_t red_len) {
    struct weft__chunk_result_src s;
    memset(&s, 0, sizeof s);
    s.m.loop_id = loop_id;
    s.m.chunk_id = chunk_id;
    s.m.status = status;
    s.m.run_ns = run_ns;
    s.m.red = red;
    s.m.red_len = red_len;
    s.secs = secs;
    s.nsecs = nsecs;
    struct weft__wbuf b = WEFT__WBUF_INITIALIZER;
    int rc = weft__wire_encode_chunk_result(&b, next_seq(), &s);
    if (rc) {
        /* Too big or no memory: report the failure instead. */
        weft__wbuf_reset(&b);
        s.secs = NULL;
        s.nsecs = 0;
        s.m.red = NULL;
        s.m.red_len = 0;
        s.m.status = rc;
        if (weft__wire_encode_chunk_result(&b, next_seq(), &s))
            worker_exit(1);
    }
    send_buf(&b);
    weft__wbuf_free(&b);
}

static void run_job(const struct weft__msg_chunk_req *q) {
    static const struct weft_loc loc = {"<cluster worker>", "run_job", 0, 0};
    struct spec *s = &W.spec;
    char err[256] = "";
    struct weft__br r = {q->data, q->data_len, 0};
    uint32_t flags = weft__br_u32(&r);
    int rc = 0;
    uint32_t nto = 0, acquired = 0;
    struct weft__hash128 *held = NULL;
    uint8_t **bufs = NULL;
    char **bases = NULL;
    void **cap = NULL, **ptrs = NULL, *partial = NULL;
    struct weft__section *secs = NULL;
    uint32_t nsecs = 0;
    int64_t *s0 = NULL;

    if (flags & WEFT__SPEC_PRESENT) {
        rc = spec_parse(&r, s, err, sizeof err);
        if (rc) {
            fprintf(stderr, "weft: worker: %s\n", err);
            goto fail;
        }
        s->loop_id = q->loop_id;
    } else if (!s->valid || s->loop_id != q->loop_id) {
        rc = WEFT_EPROTO;
        goto fail;
    }
    if (q->lo >= q->hi) {
        rc = WEFT_EPROTO;
        goto fail;
    }
    for (uint32_t i = 0; i < s->nmap; i++)
        nto += s->maps[i].kind == WEFT_MAP_TO;
    if (nto != q->ninputs) {
        rc = WEFT_EPROTO;
        goto fail;
    }
    held = calloc(nto + 1, sizeof *held);
    bufs = calloc(s->nmap + 1, sizeof *bufs);
    bases = calloc(s->nmap + 1, sizeof *bases);
    s0 = calloc(s->nmap + 1, sizeof *s0);
    cap = calloc(s->ncap + 1, sizeof *cap);
    ptrs = calloc(s->ncap + 1, sizeof *ptrs);
    if (!held || !bufs || !bases || !s0 || !cap || !ptrs) {
        rc = WEFT_ENOMEM;
        goto fail;
    }
    /* `to` sections from the cache; a miss asks for them again. */
    uint32_t ti = 0;
    struct weft__input_ref *miss = NULL;
    uint32_t nmiss = 0;
    for (uint32_t i = 0; i < s->nmap; i++) {
        const struct weft_map *m = &s->maps[i];
        if (m->kind != WEFT_MAP_TO)
            continue;
        struct weft__input_ref ref;
        weft__chunk_req_input(q, ti++, &ref);
        const uint8_t *data;
        uint64_t len;
        if (weft__icache_acquire(W.cache, ref.hash, &data, &len) != 0) {
            if (!miss)
                miss = calloc(nto, sizeof *miss);
            if (!miss) {
                rc = WEFT_ENOMEM;
                goto fail;
            }
            miss[nmiss++] = ref;
            continue;
        }
        held[acquired++] = ref.hash;
        uint64_t want;
        if (__builtin_mul_overflow(m->len, m->elem_size, &want) ||
            len != want) {
            rc = WEFT_EPROTO;
            free(miss);
            goto fail;
        }
        bases[i] = (char *)((uintptr_t)data - (uintptr_t)m->b * m->elem_size);
    }
    if (nmiss) {
        struct weft__wbuf b = WEFT__WBUF_INITIALIZER;
        if (weft__wire_encode_hashlist(&b, WEFT__MSG_NEED, next_seq(), miss,
                                       nmiss) == 0)
            send_buf(&b);
        weft__wbuf_free(&b);
        free(miss);
        rc = WEFT_ENOENT;
        goto fail;
    }
    /* from/tofrom spans: private buffers; tofrom filled from the request. */
    uint32_t nslices = weft__br_u32(&r);
    uint32_t si = 0;
    for (uint32_t i = 0; i < s->nmap; i++) {
        const struct weft_map *m = &s->maps[i];
        if (m->kind == WEFT_MAP_TO)
            continue;
        int64_t e1;
        uint64_t bytes;
        if (weft__map_span(m, q->lo, q->hi, &s0[i], &e1) ||
            (uint64_t)(e1 - s0[i]) > WEFT__SPEC_MAX_SPAN ||
            __builtin_mul_overflow((uint64_t)(e1 - s0[i]), m->elem_size,
                                   &bytes)) {
            rc = WEFT_ERANGE;
            goto fail;
        }
        bufs[i] = weft__aligned_calloc(64, bytes ? bytes : 1);
        if (m->kind == WEFT_MAP_TOFROM) {
            uint32_t mi = weft__br_u32(&r);
            uint64_t len = weft__br_u64(&r);
            const uint8_t *src = weft__br_take(&r, len);
            if (!src || si++ >= nslices || mi != i || len != bytes) {
                rc = WEFT_EPROTO;
                goto fail;
            }
            memcpy(bufs[i], src, len);
        }
        bases[i] =
            (char *)((uintptr_t)bufs[i] - (uintptr_t)s0[i] * m->elem_size);
    }
    if (r.err || si != nslices || r.left) {
        rc = WEFT_EPROTO;
        goto fail;
    }
    /* The capture block, as the body expects it. */
    for (uint32_t i = 0; i < s->ncap; i++)
        if (s->capflags[i] == WEFT_CAP_VALUE)
            cap[i] = s->values[i];
    for (uint32_t i = 0; i < s->nmap; i++) {
        unsigned c = s->maps[i].cap;
        if (s->capflags[c] == WEFT_CAP_MAPPED_PTR) {
            ptrs[c] = bases[i];
            cap[c] = &ptrs[c];
        } else {
            cap[c] = bases[i];
        }
    }
    if (s->red_size)
        partial = weft__aligned_calloc(s->red_align, s->red_size);
    struct runctx ctx = {s->e, cap, q->lo, partial, s->red_size};
    struct weft_reduction wred = {
        s->red_size, s->red_align, wrap_init, wrap_combine,
        wrap_fini,   NULL,         0,         0};
    uint64_t n = q->hi - q->lo;
    unsigned nt = (unsigned)weft__g.opts.nthreads;
    int64_t piece = (int64_t)(n / (4ull * (nt ? nt : 1)));
    struct weft_loop lp = {
        &loc, n, WEFT_SCHED_DYNAMIC, 0,    piece > 0 ? piece : 1,
        0,    0, wrap_body,          &ctx, s->red_size ? &wred : NULL};
    int64_t t0 = weft__net_now_ns();
    WEFT_parallel_for(&lp);
    int64_t t1 = weft__net_now_ns();
    /* Result sections: one per map when the iterations' slices tile the
     * span; else one per iteration, so gaps are never written back. */
    uint64_t cnt = 0;
    for (uint32_t i = 0; i < s->nmap; i++) {
        const struct weft_map *m = &s->maps[i];
        if (m->kind == WEFT_MAP_TO)
            continue;
        int tiles = m->a == (int64_t)m->len || m->a == -(int64_t)m->len ||
                    m->a == 0 || n == 1;
        cnt += tiles ? 1 : n;
    }
    if (cnt > UINT32_MAX || !(secs = calloc(cnt + 1, sizeof *secs))) {
        rc = WEFT_ENOMEM;
        goto fail;
    }
    for (uint32_t i = 0; i < s->nmap; i++) {
        const struct weft_map *m = &s->maps[i];
        if (m->kind == WEFT_MAP_TO)
            continue;
        int64_t e1;
        weft__map_span(m, q->lo, q->hi, &s0[i], &e1);
        int tiles = m->a == (int64_t)m->len || m->a == -(int64_t)m->len ||
                    m->a == 0 || n == 1;
        if (tiles) {
            secs[nsecs++] = (struct weft__section){
                i, 0, (uint64_t)(e1 - s0[i]) * m->elem_size, bufs[i]};
            continue;
        }
        for (uint64_t k = q->lo; k < q->hi; k++) {
            uint64_t off =
                (uint64_t)(m->a * (int64_t)k + m->b - s0[i]) * m->elem_size;
            secs[nsecs++] = (struct weft__section){
                i, off, m->len * m->elem_size, bufs[i] + off};
        }
    }
    send_result(q->loop_id, q->chunk_id, 0, (uint64_t)(t1 - t0), secs, nsecs,
                partial, (uint32_t)s->red_size);
    goto out;
fail:
    send_result(q->loop_id, q->chunk_id, rc ? rc : WEFT_EIO, 0, NULL, 0, NULL,
                0);
out:
    for (uint32_t i = 0; i < acquired; i++)
        weft__icache_release(W.cache, held[i]);
    for (uint32_t i = 0; bufs && i < s->nmap; i++)
        weft__free(bufs[i]);
    weft__free(partial);
    free(held);
    free(bufs);
    free(bases);
    free(s0);
    free(cap);
    free(ptrs);
    free(secs);
}

/* ------------------------------------------------------------------ */
/* Serving: the reader and runner roles                               */
/* ------------------------------------------------------------------ */

/* Runs the chunk a decoded request names. The runner role. */
static void run_one(const struct weft__msg *m) {
    crash_chunk = m->u.chunk_req.chunk_id + 1;
    run_job(&m->u.chunk_req);
    crash_chunk = 0;
    weft__fetch_sub(&W.inflight, 1, WEFT__RELAXED);
}

/* Receives and handles one frame, or returns after a heartbeat period
 * without one. The reader role, W.mu not held. Returns 1 when it ran a
 * request itself (it gave up the reader role first), else 0 (still the
 * reader). */
static int read_one(void) {
    int64_t hb_ns = (int64_t)W.hb_ms * 1000000;
    struct weft__frame f = {0};
    int rc =
        weft__transport_recv(W.t, &f, WEFT__WIRE_MAX_FRAME, W.last_hb + hb_ns);
    int64_t now = weft__net_now_ns();
    if (now - W.last_hb >= hb_ns) {
        send_heartbeat();
        W.last_hb = now;
    }
    if (rc == WEFT_ETIMEDOUT)
        return 0;
    if (rc)
        worker_exit(W.mpi); /* EOF or a broken stream: the coordinator
                               ended (sockets); a broken link (MPI) */
    struct weft__msg m;
    if (weft__frame_decode(&f, &m)) {
        fprintf(stderr,
                "weft: worker: malformed %s frame from the coordinator\n",
                weft__msg_type_name(f.hdr.type));
        worker_exit(1);
    }
    int ran = 0;
    switch (m.hdr.type) {
    case WEFT__MSG_INPUT:
        rc = weft__icache_put(W.cache, &m.u.input, NULL);
        if (rc && !W.input_warned) {
            /* Chunks that need it answer NEED; say why once. */
            W.input_warned = 1;
            fprintf(stderr, "weft: worker: cannot store an input section: %s\n",
                    weft_strerror(rc));
        }
        break;
    case WEFT__MSG_CHUNK_REQ: {
        weft__fetch_add(&W.inflight, 1, WEFT__RELAXED);
        pthread_mutex_lock(&W.mu);
        W.active_until = weft__net_now_ns() + ACTIVE_NS;
        if (!W.running && !W.head) {
            /* Nothing runs or waits: run it here, now. The other thread
             * takes the vacant reader role if the chunk runs long. */
            W.running = 1;
            W.reading = 0;
            if (W.asleep)
                pthread_cond_signal(&W.cv);
            pthread_mutex_unlock(&W.mu);
            run_one(&m);
            ran = 1;
            pthread_mutex_lock(&W.mu);
            W.running = 0;
            pthread_mutex_unlock(&W.mu);
            break;
        }
        /* A chunk runs (a queued one implies that): its runner takes this
         * one next, without a wake-up. The job owns the frame from here. */
        struct job *j = malloc(sizeof *j);
        if (!j)
            worker_exit(1);
        j->f = f;
        f.payload = NULL;
        weft__frame_decode(&j->f, &j->m);
        j->next = NULL;
        if (W.tail)
            W.tail->next = j;
        else
            W.head = j;
        W.tail = j;
        pthread_mutex_unlock(&W.mu);
        break;
    }
    case WEFT__MSG_HAVE:
        answer_have(&m.u.hashlist);
        break;
    case WEFT__MSG_BYE:
        worker_exit(0);
    case WEFT__MSG_ERROR:
        fprintf(stderr, "weft: worker: coordinator error %u: %.*s\n",
                m.u.error.code, (int)m.u.error.text_len, m.u.error.text);
        break;
    default:
        break; /* HEARTBEAT and anything harmless */
    }
    weft__frame_free(&f);
    return ran;
}

/* A serving thread: runs queued chunks, else reads when nobody does, else
 * naps or sleeps. A vacant reader role is taken only after a nap, which
 * gives a short chunk's runner time to come back for it. Never returns
 * (the process ends with worker_exit). */
static noreturn void serve(void) {
    int napped = 0;
    pthread_mutex_lock(&W.mu);
    for (;;) {
        if (W.head && !W.running) {
            struct job *j = W.head;
            W.head = j->next;
            if (!W.head)
                W.tail = NULL;
            W.running = 1;
            pthread_mutex_unlock(&W.mu);
            run_one(&j->m);
            weft__frame_free(&j->f);
            free(j);
            pthread_mutex_lock(&W.mu);
            W.running = 0;
            continue;
        }
        if (!W.reading && (!W.running || napped)) {
            napped = 0;
            W.reading = 1;
            pthread_mutex_unlock(&W.mu);
            while (!read_one())
                ;
            pthread_mutex_lock(&W.mu);
            continue;
        }
        int64_t now = weft__net_now_ns();
        if (now < W.active_until) {
            struct timespec ts;
            clock_gettime(CLOCK_MONOTONIC, &ts);
            ts.tv_nsec += HANDOVER_NS;
            if (ts.tv_nsec >= 1000000000L) {
                ts.tv_sec++;
                ts.tv_nsec -= 1000000000L;
            }
            napped = pthread_cond_timedwait(&W.cv, &W.mu, &ts) == ETIMEDOUT;
        } else {
            /* The next direct run wakes this thread (to nap again). */
            W.asleep = 1;
            pthread_cond_wait(&W.cv, &W.mu);
            W.asleep = 0;
            napped = 0;
        }
    }
}

static void *serve_main(void *arg) {
    (void)arg;
    serve();
}

/* ------------------------------------------------------------------ */
/* Joining                                                            */
/* ------------------------------------------------------------------ */

static noreturn void serve_link(const char *name, int report_fd);

void weft__worker_main(void) {
    const struct weft__cluster_cfg *c = &weft__ccfg;
    char host[WEFT__NET_HOST_LEN], err[WEFT__NET_ERR_LEN] = "";
    int port, fd = -1;
    if (weft__net_parse_addr(c->join, 0, host, &port, err) || port == 0) {
        fprintf(stderr, "weft: worker: WEFT_JOIN='%s' is not host:port\n",
                c->join);
        worker_exit(1);
    }
    /* The coordinator may start after us (weftrun starts both at once). */
    int64_t give_up = weft__net_deadline_ms(30000);
    for (;;) {
        fd = weft__net_connect(host, port, 1000, err);
        if (fd >= 0)
            break;
        if (weft__net_now_ns() > give_up) {
            fprintf(stderr, "weft: worker: cannot reach %s: %s\n", c->join,
                    err);
            worker_exit(1);
        }
        struct timespec ts = {0, 50 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    if (weft__transport_sock_create(fd, NULL, &W.t)) {
        close(fd);
        worker_exit(1);
    }
    char name[128], hn[64] = "";
    gethostname(hn, sizeof hn - 1);
    if (weft__g.opts.node_name && *weft__g.opts.node_name)
        snprintf(name, sizeof name, "%.40s@%s:%ld", weft__g.opts.node_name, hn,
                 (long)getpid());
    else
        snprintf(name, sizeof name, "%s:%ld", hn, (long)getpid());
    serve_link(name, fd);
}

void weft__worker_serve(struct weft__transport *t, const char *name) {
    W.t = t;
    W.mpi = 1;
    serve_link(name, -1);
}

/* Handshake on W.t as `name`, then the input cache; exits on failure. */
static void link_join(const char *name) {
    const struct weft__cluster_cfg *c = &weft__ccfg;
    int rc;
    struct weft__hs_config hc = {
        .secret = W.mpi ? (const uint8_t *)WEFT__MPI_HS_SECRET : c->secret,
        .secret_len = W.mpi ? sizeof WEFT__MPI_HS_SECRET - 1 : c->secret_len,
        .timeout_ms = W.mpi && c->handshake_timeout_ms < 30000
                          ? 30000
                          : c->handshake_timeout_ms,
        .nthreads = (uint32_t)weft__g.opts.nthreads,
        .name = name,
    };
    struct weft__hs_peer peer;
    rc = weft__hs_join(W.t, &hc, &peer);
    if (rc) {
        fprintf(stderr, "weft: worker: the coordinator at %s refused us: %s\n",
                W.mpi ? "MPI rank 0" : c->join,
                peer.msg[0] ? peer.msg : weft_strerror(rc));
        worker_exit(1);
    }
    W.hb_ms =
        peer.heartbeat_ms >= 10 ? (int)peer.heartbeat_ms : c->heartbeat_ms;
    if (weft__icache_create(c->input_cache, &W.cache))
        worker_exit(1);
}

/* Handshake on W.t, then the two serving threads. report_fd: the socket
 * the crash report is written to, -1 for none (MPI). */
static noreturn void serve_link(const char *name, int report_fd) {
    link_join(name);
    if (report_fd >= 0)
        arm_crash_report(report_fd);
    W.last_hb = weft__net_now_ns();
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_destroy(&W.cv);
    pthread_cond_init(&W.cv, &ca);
    pthread_condattr_destroy(&ca);
    pthread_t th;
    if (pthread_create(&th, NULL, serve_main, NULL)) {
        fprintf(stderr, "weft: worker: cannot start a serving thread\n");
        worker_exit(1);
    }
    serve();
}

/* ------------------------------------------------------------------ */
/* Serving inside the cluster loops of an MPI program (SPMD)          */
/* ------------------------------------------------------------------ */

/* The heartbeat thread of one served loop: the calling thread runs chunks
 * inline, so this thread keeps the coordinator's silence check fed. */
static struct {
    pthread_mutex_t mu;
    pthread_cond_t cv; /* CLOCK_MONOTONIC */
    int stop;
} HB = {.mu = PTHREAD_MUTEX_INITIALIZER};

static void *hb_main(void *arg) {
    (void)arg;
    pthread_mutex_lock(&HB.mu);
    while (!HB.stop) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        int64_t ns = ts.tv_nsec + (int64_t)W.hb_ms * 1000000;
        ts.tv_sec += ns / 1000000000;
        ts.tv_nsec = ns % 1000000000;
        if (pthread_cond_timedwait(&HB.cv, &HB.mu, &ts) == ETIMEDOUT &&
            !HB.stop) {
            pthread_mutex_unlock(&HB.mu);
            send_heartbeat();
            pthread_mutex_lock(&HB.mu);
        }
    }
    pthread_mutex_unlock(&HB.mu);
    return NULL;
}

void weft__worker_spmd_join(struct weft__transport *t, const char *name) {
    W.t = t;
    W.mpi = 1;
    W.spmd = 1;
    link_join(name);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&HB.cv, &ca);
    pthread_condattr_destroy(&ca);
}

void weft__worker_spmd_serve(void) {
    pthread_t hb;
    HB.stop = 0;
    send_heartbeat(); /* "arrived": the coordinator's silence clock starts */
    if (pthread_create(&hb, NULL, hb_main, NULL))
        weft__mpi_abort(weft__mpi.comm, "cannot start a heartbeat thread");
    for (;;) {
        struct weft__frame f = {0};
        int rc = weft__transport_recv(W.t, &f, WEFT__WIRE_MAX_FRAME,
                                      weft__net_deadline_ms(W.hb_ms));
        if (rc == WEFT_ETIMEDOUT)
            continue;
        if (rc)
            worker_exit(1);
        struct weft__msg m;
        if (weft__frame_decode(&f, &m))
            weft__mpi_abort(weft__mpi.comm,
                            "MPI rank %d: malformed %s frame from rank 0",
                            weft__mpi.rank, weft__msg_type_name(f.hdr.type));
        switch (m.hdr.type) {
        case WEFT__MSG_INPUT:
            rc = weft__icache_put(W.cache, &m.u.input, NULL);
            if (rc && !W.input_warned) {
                W.input_warned = 1;
                fprintf(stderr,
                        "weft: worker: cannot store an input section: %s\n",
                        weft_strerror(rc));
            }
            break;
        case WEFT__MSG_CHUNK_REQ:
            weft__fetch_add(&W.inflight, 1, WEFT__RELAXED);
            run_one(&m);
            break;
        case WEFT__MSG_HAVE:
            answer_have(&m.u.hashlist);
            break;
        case WEFT__MSG_BYE: {
            if (m.u.bye.code != WEFT__MPI_BYE_LOOP_END)
                weft__mpi_abort(weft__mpi.comm,
                                "MPI rank %d: rank 0 ended the cluster",
                                weft__mpi.rank);
            weft__frame_free(&f);
            /* No heartbeat may follow the acknowledgement: it is the
             * last message of this loop, so nothing is left in flight. */
            pthread_mutex_lock(&HB.mu);
            HB.stop = 1;
            pthread_cond_signal(&HB.cv);
            pthread_mutex_unlock(&HB.mu);
            pthread_join(hb, NULL);
            struct weft__wbuf b = WEFT__WBUF_INITIALIZER;
            memset(&m, 0, sizeof m);
            m.hdr.type = WEFT__MSG_BYE;
            m.hdr.seq = next_seq();
            m.u.bye.code = WEFT__MPI_BYE_LOOP_END;
            if (weft__wire_encode(&b, &m) == 0)
                send_buf(&b);
            weft__wbuf_free(&b);
            return;
        }
        case WEFT__MSG_ERROR:
            fprintf(stderr, "weft: worker: coordinator error %u: %.*s\n",
                    m.u.error.code, (int)m.u.error.text_len, m.u.error.text);
            break;
        default:
            break;
        }
        weft__frame_free(&f);
    }
}
