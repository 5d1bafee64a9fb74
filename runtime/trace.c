/* This file handles WEFT_TRACE and the profiling hooks the core calls when
 * WEFT_TRACE or WEFT_STATS is set: it times loops, chunks, barriers and
 * idle gaps, keeps the events in per-thread buffers (no lock per event),
 * and writes them as Chrome trace-event JSON when a buffer fills and at
 * exit. Statistics go to stats.c's per-thread tables. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stats.h"
#include "trace.h"
#include "weft-internal.h"

#ifndef WEFT_TRACE_BUF
#define WEFT_TRACE_BUF 2048 /* events per thread buffer (64 bytes each) */
#endif
_Static_assert(WEFT_TRACE_BUF >= 16, "trace buffers must hold a few events");

/* Track numbers of threads that are not weft threads (the coordinator's
 * reader threads) start here; pseudo process ids of remote nodes too. */
#define FOREIGN_TRACK 100000u
#define NODE_PID_BASE 0x40000000u
#define MAX_NODES 256

unsigned weft__prof_mode;

enum ev_type { EV_CHUNK, EV_LOOP, EV_WAIT, EV_IDLE, EV_REMOTE };

/* One recorded event: a complete span [t0, t1] in ns. */
struct ev {
    uint64_t t0, t1;
    uint64_t a, b;              /* CHUNK/REMOTE: lo, hi. LOOP: n, chunk */
    const struct weft_loc *loc; /* LOOP */
    uint64_t r; /* loop id (CHUNK, LOOP), cluster loop (REMOTE) */
    uint32_t k;
    uint16_t type;    /* enum ev_type */
    uint16_t x;       /* CHUNK: team tid. LOOP: what. WAIT: 1 join.
                       * REMOTE: node */
    uint32_t threads; /* LOOP */
    int32_t kind;     /* LOOP: enum weft__sk */
};

/* One thread's profiling state. Only its thread writes it, except that
 * the flusher (holding file_mu) reads ev[0, nev). */
struct prof_thr {
    struct prof_thr *next; /* registry (under reg_mu); immutable once linked */
    unsigned track;        /* trace tid: weft thread id - 1 (main is 0) */
    int foreign;           /* not a weft thread */
    /* ev[0, nev) are complete: the owner fills ev[nev] and then stores nev
     * + 1 with release; the flusher loads it with acquire. Only the owner,
     * holding file_mu, sets it back to 0 after writing the events out. */
    weft__atomic_u32 nev;
    struct ev *ev;              /* NULL unless the trace is on */
    uint64_t r;                 /* region the thread's current job belongs to */
    uint32_t k;                 /* `for` loops met in that job */
    uint64_t idle_since;        /* pool worker: end of its last job, 0: none */
    struct weft__stats_thr *st; /* NULL unless statistics are on */
};

static __thread struct prof_thr *me __attribute__((tls_model("initial-exec")));
static pthread_mutex_t reg_mu = PTHREAD_MUTEX_INITIALIZER;
static struct prof_thr *reg_head; /* under reg_mu */
static unsigned nforeign;         /* under reg_mu */

/* The trace file. Lock order: file_mu before reg_mu. */
static pthread_mutex_t file_mu = PTHREAD_MUTEX_INITIALIZER;
static FILE *trace_f;         /* under file_mu; NULL once finished */
static int trace_first = 1;   /* no event written yet (no comma); file_mu */
static uint64_t trace_origin; /* ns of ts 0; written at init */
static int trace_pid;
static char node_names[MAX_NODES][64];     /* under file_mu */
static unsigned char node_seen[MAX_NODES]; /* under file_mu */
static weft__atomic_u64 next_id;           /* loop and region numbers */
static char *stats_path;
static int forked; /* a child after fork(): write nothing */

static void at_exit(void);

void weft__prof_init(const struct weft_options *o) {
    unsigned mode = 0;
    trace_origin = weft__sys_monotonic_ns();
    trace_pid = (int)getpid();
    /* A cluster worker inherits the coordinator's variables but ends with
     * _exit: it must not truncate the coordinator's files, and the
     * coordinator records its chunks. */
    if ((o->join && *o->join) || (o->worker && *o->worker))
        return;
    if (o->trace && *o->trace) {
        trace_f = fopen(o->trace, "w");
        if (!trace_f)
            weft__warn("cannot write WEFT_TRACE file '%s'; tracing is off",
                       o->trace);
        else {
            setvbuf(trace_f, NULL, _IOFBF, 1 << 20);
            fputs("[\n", trace_f);
            mode |= WEFT__PROF_TRACE;
        }
    }
    if (o->stats && *o->stats) {
        size_t l = strlen(o->stats) + 1;
        stats_path = weft__malloc(l);
        memcpy(stats_path, o->stats, l);
        mode |= WEFT__PROF_STATS;
    }
    if (mode)
        atexit(at_exit);
    weft__prof_mode = mode;
}

/* The calling thread's state, created on first use. */
static struct prof_thr *self(void) {
    struct prof_thr *p = me;
    if (__builtin_expect(p != NULL, 1))
        return p;
    p = weft__calloc(1, sizeof *p);
    if (weft__prof_mode & WEFT__PROF_TRACE)
        p->ev = weft__malloc(WEFT_TRACE_BUF * sizeof *p->ev);
    if (weft__prof_mode & WEFT__PROF_STATS)
        p->st = weft__stats_thr_new();
    struct weft__thr *t = weft__tls_thr;
    pthread_mutex_lock(&reg_mu);
    if (t) {
        p->track = t->id - 1;
    } else {
        p->foreign = 1;
        p->track = FOREIGN_TRACK + nforeign++;
    }
    p->next = reg_head;
    reg_head = p;
    pthread_mutex_unlock(&reg_mu);
    me = p;
    return p;
}

uint64_t weft__prof_now(void) { return weft__sys_monotonic_ns(); }

/* ------------------------------------------------------------------ */
/* Writing events                                                      */
/* ------------------------------------------------------------------ */

/* Events are formatted into a line buffer with integer arithmetic only
 * (printf's %f costs more than the event is worth) and written with one
 * fwrite per event. */
struct line {
    char b[1024];
    size_t n;
};

static void put_n(struct line *l, const char *s, size_t k);

static void put(struct line *l, const char *s) { put_n(l, s, strlen(s)); }

/* A string literal: its length is known at compile time. */
#define PUTL(l, lit) put_n((l), (lit), sizeof(lit) - 1)

static void put_n(struct line *l, const char *s, size_t k) {
    if (k > sizeof l->b - 1 - l->n)
        k = sizeof l->b - 1 - l->n;
    memcpy(l->b + l->n, s, k);
    l->n += k;
}

static void put_u64(struct line *l, uint64_t v) {
    char t[24];
    int i = 23;
    t[i] = 0;
    do {
        t[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    put(l, t + i);
}

/* A time or duration in ns as microseconds with three decimals. */
static void put_us(struct line *l, uint64_t ns) {
    char t[4] = {(char)('0' + ns / 100 % 10), (char)('0' + ns / 10 % 10),
                 (char)('0' + ns % 10), 0};
    put_u64(l, ns / 1000);
    PUTL(l, ".");
    put(l, t);
}

/* A JSON string body (no quotes). */
static void put_str(struct line *l, const char *s) {
    for (; s && *s && l->n < sizeof l->b - 8; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\') {
            l->b[l->n++] = '\\';
            l->b[l->n++] = (char)ch;
        } else if (ch < 0x20) {
            static const char hex[] = "0123456789abcdef";
            PUTL(l, "\\u00");
            l->b[l->n++] = hex[ch >> 4];
            l->b[l->n++] = hex[ch & 15];
        } else {
            l->b[l->n++] = (char)ch;
        }
    }
}

static const char *base_name(const char *file) {
    const char *s = file ? strrchr(file, '/') : NULL;
    return s ? s + 1 : file ? file : "?";
}

static void put_sched(struct line *l, int kind, uint64_t chunk) {
    put(l, kind == WEFT__SK_BLOCK || kind == WEFT__SK_CHUNKED ? "static"
           : kind == WEFT__SK_DYNAMIC                         ? "dynamic"
           : kind == WEFT__SK_GUIDED                          ? "guided"
                                                              : "steal");
    if (kind != WEFT__SK_BLOCK && !(kind == WEFT__SK_STEAL && chunk == 0)) {
        PUTL(l, ",");
        put_u64(l, chunk);
    }
}

/* Starts one event object: separator and common keys. Under file_mu. */
static void head(struct line *l, const char *ph, uint64_t t0, uint64_t t1,
                 unsigned pid, unsigned tid) {
    l->n = 0;
    put(l, trace_first ? "{\"ph\":\"" : ",\n{\"ph\":\"");
    trace_first = 0;
    put(l, ph);
    PUTL(l, "\",\"cat\":\"weft\",\"pid\":");
    put_u64(l, pid);
    PUTL(l, ",\"tid\":");
    put_u64(l, tid);
    PUTL(l, ",\"ts\":");
    t0 = t0 > trace_origin ? t0 - trace_origin : 0;
    t1 = t1 > trace_origin ? t1 - trace_origin : 0;
    put_us(l, t0);
    if (*ph == 'X') {
        PUTL(l, ",\"dur\":");
        put_us(l, t1 > t0 ? t1 - t0 : 0);
    }
}

static void write_ev(FILE *f, const struct prof_thr *p, const struct ev *e) {
    static const char *const what[] = {"?", "parallel for ", "for ",
                                       "parallel ", "for "};
    struct line l;
    unsigned pid = (unsigned)trace_pid;
    switch (e->type) {
    case EV_CHUNK:
    case EV_REMOTE:
        if (e->type == EV_CHUNK)
            head(&l, "X", e->t0, e->t1, pid, p->track);
        else
            head(&l, "X", e->t0, e->t1, NODE_PID_BASE + e->x, 0);
        PUTL(&l, ",\"name\":\"chunk\",\"args\":{\"lo\":");
        put_u64(&l, e->a);
        PUTL(&l, ",\"hi\":");
        put_u64(&l, e->b);
        if (e->type == EV_CHUNK) {
            PUTL(&l, ",\"loop\":\"");
            put_u64(&l, e->r);
            PUTL(&l, ".");
            put_u64(&l, e->k);
            PUTL(&l, "\",\"team_tid\":");
        } else {
            PUTL(&l, ",\"cluster_loop\":");
            put_u64(&l, e->r);
            PUTL(&l, ",\"node\":");
        }
        put_u64(&l, e->x);
        PUTL(&l, "}}");
        break;
    case EV_LOOP:
        head(&l, "X", e->t0, e->t1, pid, p->track);
        PUTL(&l, ",\"name\":\"");
        put(&l, what[e->x < 5 ? e->x : 0]);
        put_str(&l, base_name(e->loc->file));
        PUTL(&l, ":");
        put_u64(&l, e->loc->line);
        PUTL(&l, "\",\"args\":{\"loop\":\"");
        put_u64(&l, e->r);
        PUTL(&l, ".");
        put_u64(&l, e->k);
        PUTL(&l, "\",\"threads\":");
        put_u64(&l, e->threads);
        PUTL(&l, ",\"line\":");
        put_u64(&l, e->loc->line);
        if (e->x != WEFT__PROF_REGION) {
            PUTL(&l, ",\"n\":");
            put_u64(&l, e->a);
            PUTL(&l, ",\"schedule\":\"");
            put_sched(&l, e->kind, e->b);
            PUTL(&l, "\"");
        }
        PUTL(&l, ",\"file\":\"");
        put_str(&l, e->loc->file ? e->loc->file : "?");
        PUTL(&l, "\"}}");
        break;
    case EV_WAIT:
        head(&l, "X", e->t0, e->t1, pid, p->track);
        put(&l, e->x
                    ? ",\"name\":\"barrier\",\"args\":{\"kind\":\"join\"}}"
                    : ",\"name\":\"barrier\",\"args\":{\"kind\":\"barrier\"}}");
        break;
    case EV_IDLE:
        head(&l, "X", e->t0, e->t1, pid, p->track);
        PUTL(&l, ",\"name\":\"idle\"}");
        break;
    default:
        return;
    }
    fwrite(l.b, 1, l.n, f);
}

/* A metadata event naming a thread or process. Under file_mu. */
static void write_meta(FILE *f, const char *what, unsigned pid, unsigned tid,
                       const char *name, unsigned num) {
    struct line l;
    head(&l, "M", trace_origin, trace_origin, pid, tid);
    PUTL(&l, ",\"name\":\"");
    put(&l, what);
    PUTL(&l, "\",\"args\":{\"name\":\"");
    put_str(&l, name);
    put_u64(&l, num);
    PUTL(&l, "\"}}");
    fwrite(l.b, 1, l.n, f);
}

/* Writes p's complete events. Under file_mu; the file is open. */
static void write_buf_locked(struct prof_thr *p) {
    uint32_t n = weft__load(&p->nev, WEFT__ACQUIRE);
    for (uint32_t i = 0; i < n; i++)
        write_ev(trace_f, p, &p->ev[i]);
}

/* Appends e to the calling thread's buffer; a full buffer is written out
 * first (one lock per WEFT_TRACE_BUF events, so memory stays bounded). */
static void emit(struct prof_thr *p, const struct ev *e) {
    uint32_t n = weft__load(&p->nev, WEFT__RELAXED); /* only we store it */
    if (n == WEFT_TRACE_BUF) {
        pthread_mutex_lock(&file_mu);
        if (trace_f)
            write_buf_locked(p);
        weft__store(&p->nev, 0, WEFT__RELAXED);
        pthread_mutex_unlock(&file_mu);
        n = 0;
    }
    p->ev[n] = *e;
    weft__store(&p->nev, n + 1, WEFT__RELEASE);
}

void weft__trace_finish(void) {
    pthread_mutex_lock(&file_mu);
    if (!trace_f) {
        pthread_mutex_unlock(&file_mu);
        return;
    }
    FILE *f = trace_f;
    pthread_mutex_lock(&reg_mu);
    for (struct prof_thr *p = reg_head; p; p = p->next) {
        if (p->ev)
            write_buf_locked(p);
        if (!p->foreign)
            write_meta(f, "thread_name", (unsigned)trace_pid, p->track,
                       "weft thread ", p->track);
    }
    pthread_mutex_unlock(&reg_mu);
    write_meta(f, "process_name", (unsigned)trace_pid, 0, "weft ",
               (unsigned)trace_pid);
    for (unsigned i = 0; i < MAX_NODES; i++) {
        if (!node_seen[i])
            continue;
        /* "cluster node <name> <id>" */
        char nm[80];
        snprintf(nm, sizeof nm, "cluster node %s ", node_names[i]);
        write_meta(f, "process_name", NODE_PID_BASE + i, 0, nm, i);
    }
    fputs("\n]\n", f);
    fclose(f);
    trace_f = NULL;
    pthread_mutex_unlock(&file_mu);
}

static void at_exit(void) {
    if (weft__prof_mode & WEFT__PROF_TRACE)
        weft__trace_finish();
    if ((weft__prof_mode & WEFT__PROF_STATS) && !forked)
        weft__stats_finish(stats_path);
}

void weft__prof_after_fork_child(void) {
    /* Only this thread exists: the locks may have been held by threads
     * that are gone, so they start over. The parent's FILE (and its
     * unwritten buffer) is abandoned, not closed, so nothing of the
     * parent's is written twice. */
    pthread_mutex_init(&file_mu, NULL);
    pthread_mutex_init(&reg_mu, NULL);
    trace_f = NULL;
    forked = 1;
    weft__stats_after_fork_child();
}

/* ------------------------------------------------------------------ */
/* Hooks                                                               */
/* ------------------------------------------------------------------ */

void weft__prof_begin(struct weft__prof_loop *pl, const struct weft_loc *loc,
                      int what) {
    static const struct weft_loc unknown = {"?", "?", 0, 0};
    pl->loc = loc ? loc : &unknown;
    pl->what = what;
    pl->id.r = weft__fetch_add(&next_id, 1, WEFT__RELAXED) + 1;
    pl->id.k = 0;
    pl->t0 = weft__sys_monotonic_ns();
}

void weft__prof_for_begin(struct weft__prof_loop *pl,
                          const struct weft_loc *loc, unsigned tid) {
    struct prof_thr *p = self();
    pl->loc = loc;
    pl->what = WEFT__PROF_FOR;
    pl->id.r = p->r;
    pl->id.k = ++p->k;
    pl->t0 = tid == 0 ? weft__sys_monotonic_ns() : 0;
}

void weft__prof_end(struct weft__prof_loop *pl, const struct weft_loop *lp,
                    unsigned nthreads, int kind, uint64_t chunk) {
    if (pl->what == WEFT__PROF_FOR && pl->t0 == 0)
        return; /* not the reporting member */
    uint64_t t1 = weft__sys_monotonic_ns();
    struct prof_thr *p = self();
    if (p->ev) {
        struct ev e = {.t0 = pl->t0,
                       .t1 = t1,
                       .a = lp ? lp->n : 0,
                       .b = chunk,
                       .loc = pl->loc,
                       .r = pl->id.r,
                       .k = pl->id.k,
                       .type = EV_LOOP,
                       .x = (uint16_t)pl->what,
                       .threads = nthreads,
                       .kind = kind};
        emit(p, &e);
    }
    if (p->st && lp)
        weft__stats_call(p->st, pl->loc, t1 - pl->t0);
}

void weft__prof_alone_end(struct weft__prof_loop *pl,
                          const struct weft_loop *lp) {
    uint64_t t1 = weft__sys_monotonic_ns();
    struct prof_thr *p = self();
    if (p->ev && lp->n) {
        struct ev e = {.t0 = pl->t0,
                       .t1 = t1,
                       .a = 0,
                       .b = lp->n,
                       .r = pl->id.r,
                       .k = pl->id.k,
                       .type = EV_CHUNK,
                       .x = 0};
        emit(p, &e);
    }
    if (p->st)
        weft__stats_share(p->st, pl->loc, 0, lp->n ? 1 : 0, t1 - pl->t0);
    weft__prof_end(pl, lp, 1, WEFT__SK_BLOCK, 0);
}

/* The timed body: runs the real one and records the chunk. */
static void timed_body(void *data, uint64_t lo, uint64_t hi, void *red) {
    struct weft__prof_share *ps = data;
    uint64_t t0 = weft__sys_monotonic_ns();
    ps->orig->body(ps->orig->data, lo, hi, red);
    uint64_t t1 = weft__sys_monotonic_ns();
    ps->chunks++;
    ps->busy_ns += t1 - t0;
    struct prof_thr *p = me; /* created by weft__prof_share_begin */
    if (p->ev) {
        struct ev e = {.t0 = t0,
                       .t1 = t1,
                       .a = lo,
                       .b = hi,
                       .r = ps->id.r,
                       .k = ps->id.k,
                       .type = EV_CHUNK,
                       .x = (uint16_t)ps->tid};
        emit(p, &e);
    }
}

const struct weft_loop *weft__prof_share_begin(struct weft__prof_share *ps,
                                               const struct weft_loop *lp,
                                               struct weft__prof_id id,
                                               unsigned tid) {
    self();
    ps->lp = *lp;
    ps->lp.body = timed_body;
    ps->lp.data = ps;
    ps->orig = lp;
    ps->id = id;
    ps->tid = tid;
    ps->chunks = 0;
    ps->busy_ns = 0;
    return &ps->lp;
}

void weft__prof_share_end(struct weft__prof_share *ps) {
    struct prof_thr *p = me;
    if (p->st)
        weft__stats_share(p->st, ps->orig->loc, ps->tid, ps->chunks,
                          ps->busy_ns);
}

void weft__prof_job_begin(struct weft__prof_job *pj,
                          const struct weft__team *team, uint64_t region,
                          unsigned tid) {
    struct prof_thr *p = self();
    (void)team;
    pj->r = p->r;
    pj->k = p->k;
    pj->worker = tid > 0 && weft__tls_thr && weft__tls_thr->is_worker;
    p->r = region;
    p->k = 0;
    if (pj->worker && p->ev && p->idle_since) {
        struct ev e = {.t0 = p->idle_since,
                       .t1 = weft__sys_monotonic_ns(),
                       .type = EV_IDLE};
        emit(p, &e);
    }
}

void weft__prof_job_end(const struct weft__prof_job *pj) {
    struct prof_thr *p = me;
    p->r = pj->r;
    p->k = pj->k;
    /* The worker parks after this job: its idle time runs from here until
     * its next job begins (recorded then, inside that job). */
    if (pj->worker)
        p->idle_since = weft__sys_monotonic_ns();
}

void weft__prof_wait_end(uint64_t t0, const char *what) {
    struct prof_thr *p = self();
    if (!p->ev)
        return;
    struct ev e = {.t0 = t0,
                   .t1 = weft__sys_monotonic_ns(),
                   .type = EV_WAIT,
                   .x = (uint16_t)(strcmp(what, "join") == 0)};
    emit(p, &e);
}

void weft__prof_remote_chunk(unsigned node, const char *name, uint32_t loop_id,
                             uint64_t lo, uint64_t hi, uint64_t run_ns) {
    if (!(weft__prof_mode & WEFT__PROF_TRACE) || node >= MAX_NODES)
        return;
    struct prof_thr *p = self();
    uint64_t t1 = weft__sys_monotonic_ns();
    struct ev e = {.t0 = t1 > run_ns ? t1 - run_ns : 0,
                   .t1 = t1,
                   .a = lo,
                   .b = hi,
                   .r = loop_id,
                   .type = EV_REMOTE,
                   .x = (uint16_t)node};
    pthread_mutex_lock(&file_mu);
    if (!node_seen[node]) {
        snprintf(node_names[node], sizeof node_names[node], "%s",
                 name ? name : "");
        node_seen[node] = 1;
    }
    pthread_mutex_unlock(&file_mu);
    emit(p, &e);
}
