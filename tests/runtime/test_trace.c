/* This file handles the CUnit suite for WEFT_TRACE and WEFT_STATS on local
 * loops. Each test forks a child that sets the variables, runs hand-lowered
 * loops (static, dynamic, reduction, a region with `for` loops and nested
 * parallel fors, a loop long enough to fill the trace buffers) and exits;
 * the parent parses the files with a small JSON reader and checks them
 * against what the child ran. The parent itself never calls weft. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cunit_ext.h"
#include "weft-internal.h"

/* ------------------------------------------------------------------ */
/* A small JSON reader (whole document into a tree)                    */
/* ------------------------------------------------------------------ */

enum jt { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct jv {
    enum jt t;
    double num;
    char *str;
    size_t n;
    struct jv **kids; /* J_ARR, J_OBJ */
    char **keys;      /* J_OBJ */
};

struct jp {
    const char *s;
    int bad;
};

static void ws(struct jp *p) {
    while (*p->s == ' ' || *p->s == '\n' || *p->s == '\t' || *p->s == '\r')
        p->s++;
}

static struct jv *jnew(enum jt t) {
    struct jv *v = calloc(1, sizeof *v);
    v->t = t;
    return v;
}

static char *jstring(struct jp *p) {
    if (*p->s != '"') {
        p->bad = 1;
        return NULL;
    }
    p->s++;
    size_t cap = 16, n = 0;
    char *o = malloc(cap);
    while (*p->s && *p->s != '"') {
        char c = *p->s++;
        if ((unsigned char)c < 0x20) {
            p->bad = 1;
            break;
        }
        if (c == '\\') {
            c = *p->s++;
            if (c == 'u') {
                for (int i = 0; i < 4; i++)
                    if (!*p->s++)
                        p->bad = 1;
                c = '?';
            } else if (c == 'n') {
                c = '\n';
            } else if (c != '"' && c != '\\' && c != '/') {
                p->bad = 1;
            }
        }
        if (n + 2 > cap)
            o = realloc(o, cap *= 2);
        o[n++] = c;
    }
    if (*p->s != '"')
        p->bad = 1;
    else
        p->s++;
    o[n] = 0;
    return o;
}

static struct jv *jvalue(struct jp *p, int depth) {
    ws(p);
    if (depth > 64 || p->bad) {
        p->bad = 1;
        return NULL;
    }
    struct jv *v;
    char c = *p->s;
    if (c == '{' || c == '[') {
        v = jnew(c == '{' ? J_OBJ : J_ARR);
        p->s++;
        ws(p);
        char close = c == '{' ? '}' : ']';
        size_t cap = 0;
        if (*p->s == close) {
            p->s++;
            return v;
        }
        for (;;) {
            char *key = NULL;
            if (v->t == J_OBJ) {
                ws(p);
                key = jstring(p);
                ws(p);
                if (*p->s != ':')
                    p->bad = 1;
                else
                    p->s++;
            }
            struct jv *k = jvalue(p, depth + 1);
            if (p->bad) {
                free(key);
                return v;
            }
            if (v->n == cap) {
                cap = cap ? 2 * cap : 8;
                v->kids = realloc(v->kids, cap * sizeof *v->kids);
                v->keys = realloc(v->keys, cap * sizeof *v->keys);
            }
            v->keys[v->n] = key;
            v->kids[v->n++] = k;
            ws(p);
            if (*p->s == ',') {
                p->s++;
                continue;
            }
            if (*p->s == close) {
                p->s++;
                return v;
            }
            p->bad = 1;
            return v;
        }
    }
    if (c == '"') {
        v = jnew(J_STR);
        v->str = jstring(p);
        return v;
    }
    if (!strncmp(p->s, "true", 4) || !strncmp(p->s, "null", 4)) {
        v = jnew(c == 't' ? J_BOOL : J_NULL);
        v->num = c == 't';
        p->s += 4;
        return v;
    }
    if (!strncmp(p->s, "false", 5)) {
        p->s += 5;
        return jnew(J_BOOL);
    }
    char *end;
    double d = strtod(p->s, &end);
    if (end == p->s || (c != '-' && (c < '0' || c > '9'))) {
        p->bad = 1;
        return NULL;
    }
    p->s = end;
    v = jnew(J_NUM);
    v->num = d;
    return v;
}

static void jfree(struct jv *v) {
    if (!v)
        return;
    for (size_t i = 0; i < v->n; i++) {
        jfree(v->kids[i]);
        if (v->keys)
            free(v->keys[i]);
    }
    free(v->kids);
    free(v->keys);
    free(v->str);
    free(v);
}

/* Parses the whole file; NULL if it is missing or not one JSON value. */
static struct jv *jload(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0, r;
    char *buf = malloc(cap);
    while ((r = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += r;
        if (n + 1 == cap)
            buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    buf[n] = 0;
    struct jp p = {buf, 0};
    struct jv *v = jvalue(&p, 0);
    ws(&p);
    if (p.bad || *p.s) {
        fprintf(stderr, "%s: JSON error near offset %ld\n", path, (long)(p.s - buf));
        jfree(v);
        v = NULL;
    }
    free(buf);
    return v;
}

static struct jv *jget(const struct jv *o, const char *key) {
    if (!o || o->t != J_OBJ)
        return NULL;
    for (size_t i = 0; i < o->n; i++)
        if (!strcmp(o->keys[i], key))
            return o->kids[i];
    return NULL;
}

static double jnum(const struct jv *o, const char *key, double dflt) {
    const struct jv *v = jget(o, key);
    return v && v->t == J_NUM ? v->num : dflt;
}

static const char *jstr(const struct jv *o, const char *key) {
    const struct jv *v = jget(o, key);
    return v && v->t == J_STR ? v->str : NULL;
}

/* ------------------------------------------------------------------ */
/* The child's workload                                                */
/* ------------------------------------------------------------------ */

enum { REPS = 2, N_STATIC = 1000, N_DYN = 1000, N_RED = 777, N_FOR = 500, N_NEST = 64,
       N_SFOR = 200, N_MANY = 6000 };
static const struct weft_loc L_STATIC = {"tests/test_trace.c", "work", 101, 1};
static const struct weft_loc L_DYN = {"tests/test_trace.c", "work", 102, 1};
static const struct weft_loc L_RED = {"tests/test_trace.c", "work", 103, 1};
static const struct weft_loc L_FOR = {"tests/test_trace.c", "region", 104, 1};
static const struct weft_loc L_NEST = {"tests/test_trace.c", "region", 105, 1};
static const struct weft_loc L_SFOR = {"tests/test_trace.c", "region", 106, 1};
static const struct weft_loc L_MANY = {"tests/test_trace.c", "work", 107, 1};
static const struct weft_loc L_REGION = {"tests/test_trace.c", "work", 110, 1};

static unsigned char hits[N_MANY];

static void mark_body(void *d, uint64_t lo, uint64_t hi, void *red) {
    unsigned char *h = d;
    (void)red;
    for (uint64_t i = lo; i < hi; i++)
        h[i]++;
}

static void red_init(void *d, void *s) {
    (void)d;
    *(uint64_t *)s = 0;
}
static void red_comb(void *d, void *into, const void *from) {
    (void)d;
    *(uint64_t *)into += *(const uint64_t *)from;
}
static void red_fini(void *d, void *s) {
    *(uint64_t *)d += *(uint64_t *)s;
}
static void red_body(void *d, uint64_t lo, uint64_t hi, void *red) {
    (void)d;
    for (uint64_t i = lo; i < hi; i++)
        *(uint64_t *)red += i;
}

static void nop_body(void *d, uint64_t lo, uint64_t hi, void *red) {
    (void)d, (void)lo, (void)hi, (void)red;
}

static void region(void *d, void *red) {
    (void)d, (void)red;
    struct weft_loop f = {&L_FOR, N_FOR, WEFT_SCHED_GUIDED, 0, 5, 0, 0, nop_body, NULL, NULL};
    WEFT_for(&f);
    struct weft_loop nest = {&L_NEST, N_NEST, 0, 2, 0, 0, 0, nop_body, NULL, NULL};
    WEFT_parallel_for(&nest);
    struct weft_loop sf = {&L_SFOR, N_SFOR, WEFT_SCHED_STATIC, 0, 16, 0, 0, nop_body, NULL,
                           NULL};
    WEFT_for(&sf);
}

/* Runs in the child; returns nonzero if a loop computed a wrong result. */
static int workload(void) {
    int bad = 0;
    for (int rep = 0; rep < REPS; rep++) {
        memset(hits, 0, sizeof hits);
        struct weft_loop s = {&L_STATIC, N_STATIC, WEFT_SCHED_STATIC, 4, 10, 0, 0, mark_body,
                              hits, NULL};
        WEFT_parallel_for(&s);
        struct weft_loop dy = {&L_DYN, N_DYN, WEFT_SCHED_DYNAMIC, 3, 7, 0, 0, mark_body, hits,
                               NULL};
        WEFT_parallel_for(&dy);
        for (int i = 0; i < N_STATIC; i++)
            bad |= hits[i] != 2;
        static const struct weft_reduction R = {sizeof(uint64_t), 0, red_init, red_comb,
                                                red_fini, NULL, 0, 0};
        uint64_t sum = 0;
        struct weft_loop rl = {&L_RED, N_RED, 0, 4, 0, 0, 0, red_body, &sum, &R};
        WEFT_parallel_for(&rl);
        bad |= sum != (uint64_t)N_RED * (N_RED - 1) / 2;
        struct weft_region rg = {&L_REGION, region, NULL, 3, 0, 0, NULL};
        WEFT_parallel(&rg);
        memset(hits, 0, sizeof hits);
        struct weft_loop m = {&L_MANY, N_MANY, WEFT_SCHED_DYNAMIC, 2, 1, 0, 0, mark_body, hits,
                              NULL};
        WEFT_parallel_for(&m);
        for (int i = 0; i < N_MANY; i++)
            bad |= hits[i] != 1;
    }
    return bad;
}

/* Set by a test: the child forks a grandchild after its workload, which
 * runs one more loop and exits through exit() (its atexit writers run). */
static int fork_grandchild;

/* The grandchild: a loop, then exit. Its files are the parent's, so it
 * must write neither (the checks would see its extra call). */
static int grandchild(void) {
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return 1;
    if (pid == 0) {
        memset(hits, 0, sizeof hits);
        /* One thread: TSan cannot start threads after a multithreaded fork. */
        struct weft_loop s = {&L_STATIC, N_STATIC, WEFT_SCHED_STATIC, 1, 10, 0, 0, mark_body,
                              hits, NULL};
        WEFT_parallel_for(&s);
        exit(hits[N_STATIC - 1] == 1 ? 0 : 1);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return 1;
    return !WIFEXITED(st) || WEXITSTATUS(st) != 0;
}

static char dir[64];
static char trace_path[128], stats_path[128];

/* Forks a child that runs the workload in dir with the given variables
 * set (NULL: unset) and exits through exit(), so atexit writers run.
 * Returns the child's exit status, or -1. */
static int run_child(const char *trace, const char *stats) {
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        if (chdir(dir) != 0)
            _exit(3);
        unsetenv("WEFT_TRACE");
        unsetenv("WEFT_STATS");
        if (trace)
            setenv("WEFT_TRACE", trace, 1);
        if (stats)
            setenv("WEFT_STATS", stats, 1);
        setenv("OMP_MAX_ACTIVE_LEVELS", "2", 1);
        int bad = workload();
        if (fork_grandchild && grandchild())
            bad = 1;
        exit(bad ? 2 : 0);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Chunks a guided loop of n iterations with minimum chunk c on t threads
 * hands out (iter.c's rule; each step depends only on what is left). */
static uint64_t guided_chunks(uint64_t n, uint64_t c, unsigned t) {
    uint64_t k = 0;
    for (uint64_t cur = 0; cur < n; k++)
        cur += weft__iter_guided_size(n - cur, c, t);
    return k;
}

/* ------------------------------------------------------------------ */
/* Trace checks                                                        */
/* ------------------------------------------------------------------ */

struct span {
    double ts, dur;
    unsigned tid, team_tid;
    uint64_t lo, hi;
    const char *loop;
};

static int by_lo(const void *a, const void *b) {
    const struct span *x = a, *y = b;
    int c = strcmp(x->loop, y->loop);
    if (c)
        return c;
    return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static const struct weft_loc *const all_locs[] = {&L_STATIC, &L_DYN, &L_RED, &L_FOR,
                                                  &L_NEST, &L_SFOR, &L_MANY};
static const unsigned loc_calls[] = {REPS, REPS, REPS, REPS, 3 * REPS, REPS, REPS};

static void check_trace(const char *path) {
    struct jv *root = jload(path);
    WEFT_ASSERT_TRUE(root != NULL);
    if (!root)
        return;
    WEFT_ASSERT_EQ(root->t, J_ARR);
    size_t nev = root->n, nchunk = 0, nloop = 0, nbar = 0, nidle = 0, nmeta = 0, bad = 0;
    struct span *chunks = calloc(nev + 1, sizeof *chunks);
    const struct jv **loops = calloc(nev + 1, sizeof *loops);
    long depth[64] = {0};
    for (size_t i = 0; i < nev; i++) {
        const struct jv *e = root->kids[i];
        const char *ph = jstr(e, "ph"), *name = jstr(e, "name");
        double ts = jnum(e, "ts", -1), dur = jnum(e, "dur", -1);
        double tid = jnum(e, "tid", -1), pid = jnum(e, "pid", -1);
        if (!ph || !name || ts < 0 || tid < 0 || pid < 0) {
            bad++;
            continue;
        }
        if (!strcmp(ph, "B") || !strcmp(ph, "E")) {
            /* Not emitted today; if they ever are, they must pair up. */
            depth[(unsigned)tid % 64] += *ph == 'B' ? 1 : -1;
            continue;
        }
        if (!strcmp(ph, "M")) {
            nmeta++;
            continue;
        }
        if (strcmp(ph, "X") || dur < 0) {
            bad++;
            continue;
        }
        /* Every weft thread of this process: main + at most 6 workers. */
        if (tid >= 8)
            bad++;
        const struct jv *args = jget(e, "args");
        if (!strcmp(name, "chunk")) {
            struct span *c = &chunks[nchunk++];
            c->ts = ts;
            c->dur = dur;
            c->tid = (unsigned)tid;
            c->lo = (uint64_t)jnum(args, "lo", -1);
            c->hi = (uint64_t)jnum(args, "hi", -1);
            c->team_tid = (unsigned)jnum(args, "team_tid", 1e9);
            c->loop = jstr(args, "loop");
            if (!c->loop || c->hi <= c->lo)
                bad++;
        } else if (!strcmp(name, "barrier")) {
            nbar++;
        } else if (!strcmp(name, "idle")) {
            nidle++;
        } else if (!strncmp(name, "parallel for ", 13) || !strncmp(name, "for ", 4) ||
                   !strncmp(name, "parallel ", 9)) {
            if (strncmp(name, "parallel test_trace.c", 21))
                loops[nloop++] = e;
        } else {
            bad++;
        }
    }
    WEFT_ASSERT_EQ(bad, 0);
    for (int i = 0; i < 64; i++)
        WEFT_ASSERT_EQ(depth[i], 0);
    WEFT_ASSERT_GE(nmeta, 1);
    WEFT_ASSERT_GE(nbar, 1);
    WEFT_ASSERT_GE(nidle, 1);
    /* One span per loop call, named after its pragma's file:line. */
    for (size_t l = 0; l < sizeof all_locs / sizeof all_locs[0]; l++) {
        char want[64];
        unsigned cnt = 0;
        snprintf(want, sizeof want, "test_trace.c:%u", all_locs[l]->line);
        for (size_t i = 0; i < nloop; i++) {
            const char *name = jstr(loops[i], "name");
            size_t ln = strlen(name), lw = strlen(want);
            cnt += ln >= lw && !strcmp(name + ln - lw, want);
        }
        if (cnt != loc_calls[l])
            fprintf(stderr, "loop %s: %u spans\n", want, cnt);
        WEFT_ASSERT_EQ(cnt, loc_calls[l]);
    }
    /* Chunks of each loop cover exactly [0, n), and come from members of
     * its team. */
    qsort(chunks, nchunk, sizeof *chunks, by_lo);
    size_t covered = 0;
    for (size_t i = 0; i < nloop; i++) {
        const struct jv *a = jget(loops[i], "args");
        const char *id = jstr(a, "loop");
        uint64_t n = (uint64_t)jnum(a, "n", -1);
        unsigned threads = (unsigned)jnum(a, "threads", 0);
        WEFT_ASSERT_TRUE(id != NULL && jstr(a, "schedule") != NULL && threads >= 1);
        if (!id)
            continue;
        uint64_t next = 0;
        unsigned bad_tid = 0;
        for (size_t c = 0; c < nchunk; c++) {
            if (strcmp(chunks[c].loop, id))
                continue;
            if (chunks[c].lo != next)
                break;
            next = chunks[c].hi;
            bad_tid += chunks[c].team_tid >= threads;
            covered++;
        }
        if (next != n)
            fprintf(stderr, "loop %s (%s): chunks cover [0, %llu) of %llu\n", id,
                    jstr(loops[i], "name"), (unsigned long long)next, (unsigned long long)n);
        WEFT_ASSERT_UEQ(next, n);
        WEFT_ASSERT_EQ(bad_tid, 0);
    }
    /* ...and no chunk belongs to no loop. */
    WEFT_ASSERT_UEQ(covered, nchunk);
    /* The 4-thread static loop ran on 4 distinct tracks. */
    unsigned seen = 0;
    for (size_t i = 0; i < nloop; i++) {
        const char *name = jstr(loops[i], "name");
        if (strcmp(name, "parallel for test_trace.c:101"))
            continue;
        const char *id = jstr(jget(loops[i], "args"), "loop");
        for (size_t c = 0; c < nchunk; c++)
            if (!strcmp(chunks[c].loop, id))
                seen |= 1u << chunks[c].tid;
        break;
    }
    WEFT_ASSERT_EQ(__builtin_popcount(seen), 4);
    free(chunks);
    free(loops);
    jfree(root);
}

/* ------------------------------------------------------------------ */
/* Stats checks                                                        */
/* ------------------------------------------------------------------ */

static const struct jv *stat_of(const struct jv *arr, unsigned line) {
    char key[64];
    snprintf(key, sizeof key, "test_trace.c:%u", line);
    for (size_t i = 0; arr && i < arr->n; i++) {
        const char *k = jstr(arr->kids[i], "key");
        if (k && !strcmp(k, key))
            return arr->kids[i];
    }
    return NULL;
}

static void check_stats(const char *path) {
    struct jv *root = jload(path);
    WEFT_ASSERT_TRUE(root != NULL);
    if (!root)
        return;
    WEFT_ASSERT_EQ(root->t, J_OBJ);
    const struct jv *arr = jget(root, "local_loops");
    WEFT_ASSERT_TRUE(arr && arr->t == J_ARR);
    WEFT_ASSERT_UEQ(arr ? arr->n : 0, sizeof all_locs / sizeof all_locs[0]);
    const uint64_t want_chunks[] = {
        REPS * (N_STATIC / 10),
        REPS * ((N_DYN + 6) / 7),
        REPS * 4,
        REPS * guided_chunks(N_FOR, 5, 3),
        3 * REPS * 2,
        REPS * ((N_SFOR + 15) / 16),
        REPS * N_MANY};
    const unsigned want_threads[] = {4, 3, 4, 3, 2, 3, 2};
    for (size_t l = 0; l < sizeof all_locs / sizeof all_locs[0]; l++) {
        const struct jv *s = stat_of(arr, all_locs[l]->line);
        WEFT_ASSERT_TRUE(s != NULL);
        if (!s)
            continue;
        WEFT_ASSERT_EQ(jnum(s, "calls", -1), loc_calls[l]);
        WEFT_ASSERT_EQ(jnum(s, "chunks", -1), want_chunks[l]);
        WEFT_ASSERT_EQ(jnum(s, "line", -1), all_locs[l]->line);
        WEFT_ASSERT_TRUE(jnum(s, "seconds", -1) > 0);
        WEFT_ASSERT_TRUE(jnum(s, "imbalance", 0) >= 1.0);
        const struct jv *per = jget(s, "chunks_per_thread");
        WEFT_ASSERT_TRUE(per && per->t == J_ARR);
        if (!per)
            continue;
        WEFT_ASSERT_UEQ(per->n, want_threads[l]);
        double sum = 0;
        for (size_t t = 0; t < per->n; t++)
            sum += per->kids[t]->num;
        WEFT_ASSERT_EQ(sum, want_chunks[l]);
        const struct jv *busy = jget(s, "busy_s_per_thread");
        WEFT_ASSERT_UEQ(busy ? busy->n : 0, per->n);
    }
    /* Static chunked: 100 chunks round-robin over 4 threads, 25 each. */
    const struct jv *per = jget(stat_of(arr, 101), "chunks_per_thread");
    for (size_t t = 0; per && t < per->n; t++)
        WEFT_ASSERT_EQ(per->kids[t]->num, REPS * 25);
    jfree(root);
}

/* ------------------------------------------------------------------ */
/* Tests                                                               */
/* ------------------------------------------------------------------ */

static void test_trace_and_stats(void) {
    WEFT_ASSERT_EQ(run_child(trace_path, stats_path), 0);
    check_trace(trace_path);
    check_stats(stats_path);
    unlink(trace_path);
    unlink(stats_path);
}

static void test_trace_only(void) {
    WEFT_ASSERT_EQ(run_child(trace_path, NULL), 0);
    check_trace(trace_path);
    WEFT_ASSERT_NE(access(stats_path, F_OK), 0);
    unlink(trace_path);
}

static void test_stats_only(void) {
    WEFT_ASSERT_EQ(run_child(NULL, stats_path), 0);
    check_stats(stats_path);
    WEFT_ASSERT_NE(access(trace_path, F_OK), 0);
    unlink(stats_path);
}

/* A fork() after the runtime started: the grandchild leaves the files
 * alone, and they still hold exactly the child's loops. */
static void test_fork_child_writes_nothing(void) {
    fork_grandchild = 1;
    WEFT_ASSERT_EQ(run_child(trace_path, stats_path), 0);
    fork_grandchild = 0;
    check_trace(trace_path);
    check_stats(stats_path);
    unlink(trace_path);
    unlink(stats_path);
}

/* Neither variable set: the child creates no file at all. */
static void test_off_creates_nothing(void) {
    WEFT_ASSERT_EQ(run_child(NULL, NULL), 0);
    DIR *d = opendir(dir);
    WEFT_ASSERT_TRUE(d != NULL);
    unsigned files = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        files += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    if (d)
        closedir(d);
    WEFT_ASSERT_EQ(files, 0);
}

int main(void) {
    snprintf(dir, sizeof dir, "/tmp/weft-trace-XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    snprintf(trace_path, sizeof trace_path, "%s/t.json", dir);
    snprintf(stats_path, sizeof stats_path, "%s/s.json", dir);
    static const struct weft_cu_test tests[] = {{"off_creates_nothing", test_off_creates_nothing},
                                                {"trace_and_stats", test_trace_and_stats},
                                                {"trace_only", test_trace_only},
                                                {"stats_only", test_stats_only},
                                                {"fork", test_fork_child_writes_nothing},
                                                {NULL, NULL}};
    int rc = weft_cu_run("trace", tests);
    rmdir(dir);
    return rc;
}
