/* This file handles WEFT_STATS for local loops: each thread counts, per
 * (pragma, team thread number), the calls it reported, their wall time,
 * the chunks it ran and its busy time inside them; at exit the tables are
 * merged per pragma (file:line) into the "local_loops" JSON array. */
#include <stdlib.h>
#include <string.h>

#include "stats.h"
#include "weft-internal.h"

/* One (pragma, tid) cell of a thread's table. */
struct ent {
    const struct weft_loc *loc; /* NULL: empty cell */
    unsigned tid;
    uint64_t calls, wall_ns;  /* as the reporting thread */
    uint64_t chunks, busy_ns; /* as member tid */
};

/* Open addressing on (loc, tid), capacity a power of two, at most half
 * full. Everything under mu: the owner writes once per loop, the exit
 * writer reads. */
struct weft__stats_thr {
    pthread_mutex_t mu;
    struct ent *cells;
    unsigned cap, used;
    struct weft__stats_thr *next; /* global list, immutable once linked */
};

static pthread_mutex_t list_mu = PTHREAD_MUTEX_INITIALIZER;
static struct weft__stats_thr *list_head; /* under list_mu */
static weft__atomic_u32 written;          /* the document was written */

struct weft__stats_thr *weft__stats_thr_new(void) {
    struct weft__stats_thr *st = weft__calloc(1, sizeof *st);
    pthread_mutex_init(&st->mu, NULL);
    st->cap = 16;
    st->cells = weft__calloc(st->cap, sizeof *st->cells);
    pthread_mutex_lock(&list_mu);
    st->next = list_head;
    list_head = st;
    pthread_mutex_unlock(&list_mu);
    return st;
}

static unsigned slot_of(const struct weft_loc *loc, unsigned tid,
                        unsigned cap) {
    uint64_t h = (uint64_t)(uintptr_t)loc * 0x9e3779b97f4a7c15ull ^
                 (uint64_t)tid * 0xc2b2ae35u;
    return (unsigned)(h >> 32) & (cap - 1);
}

/* The cell of (loc, tid), created if absent. Under st->mu. */
static struct ent *cell_locked(struct weft__stats_thr *st,
                               const struct weft_loc *loc, unsigned tid) {
    if (2 * (st->used + 1) > st->cap) {
        unsigned ncap = 2 * st->cap;
        struct ent *nc = weft__calloc(ncap, sizeof *nc);
        for (unsigned i = 0; i < st->cap; i++) {
            if (!st->cells[i].loc)
                continue;
            unsigned j = slot_of(st->cells[i].loc, st->cells[i].tid, ncap);
            while (nc[j].loc)
                j = (j + 1) & (ncap - 1);
            nc[j] = st->cells[i];
        }
        weft__free(st->cells);
        st->cells = nc;
        st->cap = ncap;
    }
    unsigned j = slot_of(loc, tid, st->cap);
    while (st->cells[j].loc &&
           (st->cells[j].loc != loc || st->cells[j].tid != tid))
        j = (j + 1) & (st->cap - 1);
    struct ent *e = &st->cells[j];
    if (!e->loc) {
        e->loc = loc;
        e->tid = tid;
        st->used++;
    }
    return e;
}

void weft__stats_share(struct weft__stats_thr *st, const struct weft_loc *loc,
                       unsigned tid, uint64_t chunks, uint64_t busy_ns) {
    pthread_mutex_lock(&st->mu);
    struct ent *e = cell_locked(st, loc, tid);
    e->chunks += chunks;
    e->busy_ns += busy_ns;
    pthread_mutex_unlock(&st->mu);
}

void weft__stats_call(struct weft__stats_thr *st, const struct weft_loc *loc,
                      uint64_t wall_ns) {
    pthread_mutex_lock(&st->mu);
    struct ent *e = cell_locked(st, loc, 0);
    e->calls++;
    e->wall_ns += wall_ns;
    pthread_mutex_unlock(&st->mu);
}

/* ------------------------------------------------------------------ */
/* Merging and writing                                                 */
/* ------------------------------------------------------------------ */

/* One pragma in the output: cells of every thread with the same file and
 * line (two weft_loc objects may name one pragma). */
struct agg {
    const struct weft_loc *loc;
    uint64_t calls, wall_ns;
    uint64_t *chunks, *busy_ns; /* per team thread number, ntid long */
    unsigned ntid;
};

static int same_pragma(const struct weft_loc *a, const struct weft_loc *b) {
    if (a == b)
        return 1;
    const char *fa = a->file ? a->file : "?", *fb = b->file ? b->file : "?";
    return a->line == b->line && strcmp(fa, fb) == 0;
}

static void add_cell(struct agg **aggs, size_t *n, size_t *cap,
                     const struct ent *e) {
    struct agg *a = NULL;
    for (size_t i = 0; i < *n && !a; i++)
        if (same_pragma((*aggs)[i].loc, e->loc))
            a = &(*aggs)[i];
    if (!a) {
        if (*n == *cap) {
            *cap = *cap ? 2 * *cap : 16;
            *aggs = weft__realloc(*aggs, *cap * sizeof **aggs);
        }
        a = &(*aggs)[(*n)++];
        memset(a, 0, sizeof *a);
        a->loc = e->loc;
    }
    if (e->tid >= a->ntid) {
        unsigned nt = e->tid + 1;
        a->chunks = weft__realloc(a->chunks, nt * sizeof *a->chunks);
        a->busy_ns = weft__realloc(a->busy_ns, nt * sizeof *a->busy_ns);
        memset(a->chunks + a->ntid, 0, (nt - a->ntid) * sizeof *a->chunks);
        memset(a->busy_ns + a->ntid, 0, (nt - a->ntid) * sizeof *a->busy_ns);
        a->ntid = nt;
    }
    a->calls += e->calls;
    a->wall_ns += e->wall_ns;
    a->chunks[e->tid] += e->chunks;
    a->busy_ns[e->tid] += e->busy_ns;
}

static void json_str(FILE *f, const char *s) {
    fputc('"', f);
    for (; s && *s; s++) {
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

static int by_place(const void *x, const void *y) {
    const struct agg *a = x, *b = y;
    int c = strcmp(a->loc->file ? a->loc->file : "?",
                   b->loc->file ? b->loc->file : "?");
    if (c)
        return c;
    return a->loc->line < b->loc->line ? -1 : a->loc->line > b->loc->line;
}

void weft__stats_write_local(FILE *f) {
    weft__store(&written, 1, WEFT__RELAXED);
    struct agg *aggs = NULL;
    size_t n = 0, cap = 0;
    pthread_mutex_lock(&list_mu);
    for (struct weft__stats_thr *st = list_head; st; st = st->next) {
        pthread_mutex_lock(&st->mu);
        for (unsigned i = 0; i < st->cap; i++)
            if (st->cells[i].loc)
                add_cell(&aggs, &n, &cap, &st->cells[i]);
        pthread_mutex_unlock(&st->mu);
    }
    pthread_mutex_unlock(&list_mu);
    if (n)
        qsort(aggs, n, sizeof *aggs, by_place);
    fprintf(f, "  \"local_loops\": [");
    for (size_t i = 0; i < n; i++) {
        struct agg *a = &aggs[i];
        const char *file = a->loc->file ? a->loc->file : "?";
        const char *base = strrchr(file, '/');
        char key[512];
        snprintf(key, sizeof key, "%s:%u", base ? base + 1 : file,
                 a->loc->line);
        /* Imbalance: the busiest member's busy time over the mean of the
         * members (team thread numbers 0..ntid-1), summed over calls; 1 is
         * perfect balance. */
        uint64_t total = 0, maxb = 0, busy = 0;
        for (unsigned t = 0; t < a->ntid; t++) {
            total += a->chunks[t];
            busy += a->busy_ns[t];
            if (a->busy_ns[t] > maxb)
                maxb = a->busy_ns[t];
        }
        double mean = a->ntid ? (double)busy / a->ntid : 0;
        double imb = mean > 0 ? (double)maxb / mean : 1.0;
        fprintf(f, "%s\n    {\"key\": ", i ? "," : "");
        json_str(f, key);
        fprintf(f, ", \"file\": ");
        json_str(f, file);
        fprintf(f, ", \"line\": %u, \"func\": ", a->loc->line);
        json_str(f, a->loc->func ? a->loc->func : "?");
        fprintf(
            f,
            ", \"calls\": %llu, \"seconds\": %.6f, \"busy_s\": %.6f, "
            "\"imbalance\": %.4f, \"chunks\": %llu, \"chunks_per_thread\": [",
            (unsigned long long)a->calls, a->wall_ns / 1e9, busy / 1e9, imb,
            (unsigned long long)total);
        for (unsigned t = 0; t < a->ntid; t++)
            fprintf(f, "%s%llu", t ? ", " : "",
                    (unsigned long long)a->chunks[t]);
        fprintf(f, "], \"busy_s_per_thread\": [");
        for (unsigned t = 0; t < a->ntid; t++)
            fprintf(f, "%s%.6f", t ? ", " : "", a->busy_ns[t] / 1e9);
        fprintf(f, "]}");
        weft__free(a->chunks);
        weft__free(a->busy_ns);
    }
    fprintf(f, "%s]", n ? "\n  " : "");
    weft__free(aggs);
}

void weft__stats_after_fork_child(void) { pthread_mutex_init(&list_mu, NULL); }

void weft__stats_finish(const char *path) {
    if (weft__load(&written, WEFT__RELAXED))
        return;
    FILE *f = fopen(path, "w");
    if (!f) {
        weft__warn("cannot write WEFT_STATS file '%s'", path);
        return;
    }
    fprintf(f, "{\n");
    weft__stats_write_local(f);
    fprintf(f, "\n}\n");
    fclose(f);
}
