/* This file handles the public user API of weft.h: thread and team
 * queries, ICV getters and setters, time, schedules and weft_strerror,
 * place partitions and the environment display, and the OpenMP memory
 * allocators under omp_alloc(). Queries read the calling thread's state
 * through one TLS pointer. */
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

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

/* ---- H30: places, binding, environment --------------------------------- */

int weft_place_partition(int *place_nums) {
    weft__init();
    struct weft__bind_slot s = weft__affinity_partition();
    int n = weft__affinity_global()->places.n;
    if (place_nums)
        for (int j = 0; j < s.part_len; j++)
            place_nums[j] = n > 0 ? (s.part_off + j) % n : 0;
    return s.part_len;
}

int weft_proc_bind(void) {
    weft__init();
    int p = weft__affinity_policy(weft__affinity_global(), WEFT_BIND_UNSET,
                                  weft_level() + 1);
    return p == WEFT_BIND_UNSET ? WEFT_BIND_FALSE : p;
}

/* nteams-var and teams-thread-limit-var: process-wide (one device); any
 * thread may set them, hence relaxed atomics (no ordering is implied). */
static weft__atomic_u32 nteams_var, teams_thread_limit_var;

void weft_set_num_teams(int n) {
    if (n > 0)
        weft__store(&nteams_var, (uint32_t)n, WEFT__RELAXED);
}

int weft_max_teams(void) { return (int)weft__load(&nteams_var, WEFT__RELAXED); }

void weft_set_teams_thread_limit(int n) {
    if (n > 0)
        weft__store(&teams_thread_limit_var, (uint32_t)n, WEFT__RELAXED);
}

int weft_teams_thread_limit(void) {
    return (int)weft__load(&teams_thread_limit_var, WEFT__RELAXED);
}

void weft_display_env(int verbose) {
    weft__init();
    weft__options_display(&weft__g.opts, stderr, verbose);
}

/* ---- H30: OpenMP memory allocators -------------------------------------- */

/* A custom allocator. Its handle is its address (never 0 .. 8, the null
 * and predefined handles). `used` counts the live bytes against pool_size;
 * any thread may allocate from it, so it is atomic. */
struct weft__allocator {
    size_t alignment; /* power of two, at least alignof(max_align_t) */
    size_t pool_size; /* 0: unlimited */
    int fallback;     /* enum weft_alloc_fallback */
    uintptr_t fb_allocator;
    weft__atomic_u64 used;
};

/* The header just before every block: what free and realloc need. */
struct alloc_hdr {
    void *base;      /* what malloc returned */
    size_t size;     /* the user's size */
    uintptr_t owner; /* allocator charged for it (0: none) */
};

#define WEFT__ALLOC_PREDEFINED_MAX 8u
#define WEFT__ALLOC_DEFAULT 1u

/* def-allocator-var: per thread (a task's data environment in OpenMP;
 * weft keeps it per thread, as libgomp does). 0 means not set yet. */
static __thread uintptr_t default_allocator;

static int is_pow2(size_t a) { return a && (a & (a - 1)) == 0; }

uintptr_t weft_allocator_create(size_t alignment, size_t pool_size,
                                int fallback, uintptr_t fb_allocator) {
    if (alignment && !is_pow2(alignment))
        return 0;
    if (fallback < WEFT_ALLOC_FB_DEFAULT || fallback > WEFT_ALLOC_FB_ALLOCATOR)
        return 0;
    if (fallback == WEFT_ALLOC_FB_ALLOCATOR && fb_allocator == 0)
        return 0;
    /* User-visible memory: plain malloc, whose failure the caller sees. */
    struct weft__allocator *a = malloc(sizeof *a);
    if (!a)
        return 0;
    a->alignment =
        alignment > _Alignof(max_align_t) ? alignment : _Alignof(max_align_t);
    a->pool_size = pool_size;
    a->fallback = fallback;
    a->fb_allocator = fb_allocator;
    weft__store(&a->used, 0, WEFT__RELAXED);
    return (uintptr_t)a;
}

void weft_allocator_destroy(uintptr_t allocator) {
    if (allocator > WEFT__ALLOC_PREDEFINED_MAX)
        free((void *)allocator);
}

void weft_allocator_set_default(uintptr_t allocator) {
    if (allocator != 0)
        default_allocator = allocator;
}

uintptr_t weft_allocator_get_default(void) {
    return default_allocator ? default_allocator : WEFT__ALLOC_DEFAULT;
}

/* One attempt from one allocator, no fallback: NULL when the pool or the
 * system refuses. */
static void *alloc_from(uintptr_t h, size_t align, size_t size, int zero) {
    struct weft__allocator *a =
        h > WEFT__ALLOC_PREDEFINED_MAX ? (struct weft__allocator *)h : NULL;
    size_t al = _Alignof(max_align_t);
    if (a && a->alignment > al)
        al = a->alignment;
    if (align > al)
        al = align;
    size_t extra = al + sizeof(struct alloc_hdr);
    if (size > SIZE_MAX - extra)
        return NULL;
    if (a && a->pool_size) {
        uint64_t now = weft__fetch_add(&a->used, size, WEFT__RELAXED);
        if (now + size > a->pool_size) {
            weft__fetch_sub(&a->used, size, WEFT__RELAXED);
            return NULL;
        }
    }
    char *base = zero ? calloc(1, size + extra) : malloc(size + extra);
    if (!base) {
        if (a && a->pool_size)
            weft__fetch_sub(&a->used, size, WEFT__RELAXED);
        return NULL;
    }
    uintptr_t u = (uintptr_t)base + sizeof(struct alloc_hdr);
    u = (u + al - 1) & ~(uintptr_t)(al - 1);
    struct alloc_hdr *hd = (struct alloc_hdr *)u - 1;
    hd->base = base;
    hd->size = size;
    hd->owner = a && a->pool_size ? h : 0;
    return (void *)u;
}

void *weft_allocator_alloc(size_t alignment, size_t size, uintptr_t allocator,
                           int zero) {
    if (size == 0 || (alignment && !is_pow2(alignment)))
        return NULL;
    uintptr_t h = allocator ? allocator : weft_allocator_get_default();
    /* Fallbacks may chain (allocator_fb); a cycle would loop, so stop
     * after a bounded number of hops. */
    for (int hop = 0; hop < 64; hop++) {
        void *p = alloc_from(h, alignment, size, zero);
        if (p || h <= WEFT__ALLOC_PREDEFINED_MAX)
            return p;
        const struct weft__allocator *a = (const struct weft__allocator *)h;
        switch (a->fallback) {
        case WEFT_ALLOC_FB_NULL:
            return NULL;
        case WEFT_ALLOC_FB_ABORT:
            fprintf(stderr,
                    "weft: fatal: allocator could not provide %zu "
                    "bytes (fallback abort_fb)\n",
                    size);
            abort();
        case WEFT_ALLOC_FB_ALLOCATOR:
            h = a->fb_allocator;
            break;
        default:
            h = WEFT__ALLOC_DEFAULT;
            break;
        }
    }
    return NULL;
}

void weft_allocator_free(void *p) {
    if (!p)
        return;
    struct alloc_hdr *hd = (struct alloc_hdr *)p - 1;
    if (hd->owner) {
        struct weft__allocator *a = (struct weft__allocator *)hd->owner;
        weft__fetch_sub(&a->used, hd->size, WEFT__RELAXED);
    }
    free(hd->base);
}

void *weft_allocator_realloc(void *p, size_t size, uintptr_t allocator,
                             uintptr_t free_allocator) {
    (void)free_allocator; /* the header knows which allocator p came from */
    if (size == 0) {
        weft_allocator_free(p);
        return NULL;
    }
    void *q = weft_allocator_alloc(0, size, allocator, 0);
    if (q && p) {
        size_t old = ((struct alloc_hdr *)p - 1)->size;
        memcpy(q, p, old < size ? old : size);
        weft_allocator_free(p);
    }
    return q;
}

/* ---- H30: affinity format (OpenMP 5.0 omp_*_affinity*) ------------------ */

/* affinity-format-var: one per process; `fmt_lock` guards it (any thread
 * may set it while others capture). Empty until first use, then
 * OMP_AFFINITY_FORMAT or the default below. */
static pthread_mutex_t fmt_lock = PTHREAD_MUTEX_INITIALIZER;
static char *affinity_fmt;

static const char *fmt_locked(void) {
    if (!affinity_fmt) {
        const char *e = weft__g.opts.affinity_format;
        affinity_fmt = strdup(e && *e ? e : "level %L thread %i affinity %A");
    }
    return affinity_fmt ? affinity_fmt : "";
}

size_t weft_affinity_format_get(char *buf, size_t size) {
    weft__init();
    pthread_mutex_lock(&fmt_lock);
    const char *f = fmt_locked();
    size_t n = strlen(f);
    if (buf && size) {
        size_t k = n < size - 1 ? n : size - 1;
        memcpy(buf, f, k);
        buf[k] = '\0';
    }
    pthread_mutex_unlock(&fmt_lock);
    return n;
}

void weft_affinity_format_set(const char *format) {
    if (!format)
        return;
    weft__init();
    char *copy = strdup(format);
    if (!copy)
        return;
    pthread_mutex_lock(&fmt_lock);
    free(affinity_fmt);
    affinity_fmt = copy;
    pthread_mutex_unlock(&fmt_lock);
}

/* A growing output string; `len` counts every byte asked for even when
 * memory ran out, so the caller still learns the full length. */
struct sbuf {
    char *p;
    size_t len, cap;
};

static void sb_put(struct sbuf *b, const char *s, size_t n) {
    if (b->len + n + 1 > b->cap) {
        size_t c = b->cap ? b->cap : 128;
        while (c < b->len + n + 1)
            c *= 2;
        char *q = b->p ? realloc(b->p, c) : malloc(c);
        if (!q) {
            b->len += n;
            return;
        }
        b->p = q;
        b->cap = c;
    }
    if (b->p) {
        memcpy(b->p + b->len, s, n);
        b->p[b->len + n] = '\0';
    }
    b->len += n;
}

/* The CPUs the calling thread may run on, as "0-3,6" ranges. */
static void cpu_list(char *out, size_t cap) {
    cpu_set_t set;
    out[0] = '\0';
    if (sched_getaffinity(0, sizeof set, &set) != 0)
        return;
    size_t len = 0;
    for (int c = 0; c < CPU_SETSIZE; c++) {
        if (!CPU_ISSET(c, &set))
            continue;
        int e = c;
        while (e + 1 < CPU_SETSIZE && CPU_ISSET(e + 1, &set))
            e++;
        int w = e > c
                    ? snprintf(out + len, cap - len, "%s%d-%d", len ? "," : "",
                               c, e)
                    : snprintf(out + len, cap - len, "%s%d", len ? "," : "", c);
        if (w < 0 || (size_t)w >= cap - len) {
            out[len] = '\0';
            return;
        }
        len += (size_t)w;
        c = e;
    }
}

/* The value of one field (short letter or long name), or -1 if unknown. */
static int field_value(char type, char *val, size_t cap) {
    int level = weft_level();
    switch (type) {
    case 't':
        return snprintf(val, cap, "0");
    case 'T':
        return snprintf(val, cap, "1");
    case 'L':
        return snprintf(val, cap, "%d", level);
    case 'n':
        return snprintf(val, cap, "%d", weft_thread_num());
    case 'N':
        return snprintf(val, cap, "%d", weft_num_threads());
    case 'a':
        return snprintf(val, cap, "%d",
                        level > 0 ? weft_ancestor_thread_num(level - 1) : -1);
    case 'H':
        if (gethostname(val, cap) != 0)
            val[0] = '\0';
        val[cap - 1] = '\0';
        return 0;
    case 'P':
        return snprintf(val, cap, "%ld", (long)getpid());
    case 'i':
        return snprintf(val, cap, "%ld", (long)syscall(SYS_gettid));
    case 'A':
        cpu_list(val, cap);
        return 0;
    default:
        return -1;
    }
}

static char long_field(const char *name, size_t n) {
    static const struct {
        const char *name;
        char type;
    } names[] = {{"team_num", 't'},
                 {"num_teams", 'T'},
                 {"nesting_level", 'L'},
                 {"thread_num", 'n'},
                 {"num_threads", 'N'},
                 {"ancestor_tnum", 'a'},
                 {"host", 'H'},
                 {"process_id", 'P'},
                 {"native_thread_id", 'i'},
                 {"thread_affinity", 'A'}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strlen(names[i].name) == n && strncmp(names[i].name, name, n) == 0)
            return names[i].type;
    return 0;
}

/* Expands an OpenMP affinity format for the calling thread:
 * %[0[.]][size]type or %[0[.]][size]{name}; `0` pads with zeros, `.` right
 * justifies, a field is left justified by default; %% is a percent sign.
 * An unknown field is copied as written. */
static void expand(struct sbuf *b, const char *f) {
    while (*f) {
        const char *pct = strchr(f, '%');
        if (!pct) {
            sb_put(b, f, strlen(f));
            return;
        }
        sb_put(b, f, (size_t)(pct - f));
        const char *q = pct + 1;
        if (*q == '%') {
            sb_put(b, "%", 1);
            f = q + 1;
            continue;
        }
        int zero = 0, right = 0;
        if (*q == '0') {
            zero = 1;
            q++;
        }
        if (*q == '.') {
            right = 1;
            q++;
        }
        size_t width = 0;
        while (*q >= '0' && *q <= '9')
            width = width * 10 + (size_t)(*q++ - '0');
        char type = 0;
        const char *end = q + 1;
        if (*q == '{') {
            const char *close = strchr(q, '}');
            if (close) {
                type = long_field(q + 1, (size_t)(close - q - 1));
                end = close + 1;
            }
        } else {
            type = *q;
        }
        char val[1024];
        val[0] = '\0';
        if (!type || field_value(type, val, sizeof val) < 0) {
            size_t n = *q ? (size_t)(end - pct) : (size_t)(q - pct);
            sb_put(b, pct, n);
            f = pct + n;
            continue;
        }
        size_t vl = strlen(val);
        size_t pad = width > vl ? width - vl : 0;
        if (right || zero) {
            for (size_t i = 0; i < pad; i++)
                sb_put(b, zero ? "0" : " ", 1);
            sb_put(b, val, vl);
        } else {
            sb_put(b, val, vl);
            for (size_t i = 0; i < pad; i++)
                sb_put(b, " ", 1);
        }
        f = end;
    }
}

size_t weft_affinity_capture(char *buf, size_t size, const char *format) {
    weft__init();
    struct sbuf b = {0};
    if (format && *format) {
        expand(&b, format);
    } else {
        pthread_mutex_lock(&fmt_lock);
        char *f = strdup(fmt_locked());
        pthread_mutex_unlock(&fmt_lock);
        if (f)
            expand(&b, f);
        free(f);
    }
    if (buf && size) {
        size_t k = b.p ? (b.len < size - 1 ? b.len : size - 1) : 0;
        if (k)
            memcpy(buf, b.p, k);
        buf[k] = '\0';
    }
    free(b.p);
    return b.len;
}

void weft_affinity_display(const char *format) {
    char line[1024];
    size_t n = weft_affinity_capture(line, sizeof line, format);
    char *big = n >= sizeof line ? malloc(n + 1) : NULL;
    if (big)
        weft_affinity_capture(big, n + 1, format);
    /* One fprintf per line: lines of several threads do not interleave. */
    fprintf(stderr, "%s\n", big ? big : line);
    free(big);
}
