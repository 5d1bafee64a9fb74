/* This file handles the CUnit suite of explicit tasks (runtime/task.c):
 * recursive fib at 1..4 threads with and without the cut-off and with a
 * bound on live tasks, a flat loop of many tiny tasks, what taskwait and
 * taskgroup wait for, depend ordering checked against a log, taskloop
 * splitting, undeferred and final tasks, and tasks outside any region. */
#include <limits.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#include "cunit_ext.h"
#include "weft-internal.h"

static const struct weft_loc L = {"test_task.c", "test", 1, 1};

/* ------------------------------------------------------------------ */
/* Helpers                                                              */
/* ------------------------------------------------------------------ */

/* Tasks created (counted just before WEFT_task) and not yet finished. */
static atomic_long live, live_max;

static void live_enter(void) {
    long v = atomic_fetch_add(&live, 1) + 1;
    long m = atomic_load(&live_max);
    while (v > m && !atomic_compare_exchange_weak(&live_max, &m, v))
        ;
}

static void live_leave(void) {
    atomic_fetch_sub(&live, 1);
}

static void live_reset(void) {
    atomic_store(&live, 0);
    atomic_store(&live_max, 0);
}

static void sleep_us(long us) {
    struct timespec ts = {us / 1000000, (us % 1000000) * 1000};
    nanosleep(&ts, NULL);
}

static uint64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Runs body(data) in `single` inside a region of nth threads (the usual
 * shape of task programs), then the region's implicit barrier. */
struct single_cap {
    void (*body)(void *);
    void *data;
};

static void single_region(void *d, void *red) {
    (void)red;
    struct single_cap *c = d;
    if (WEFT_single_begin(&L))
        c->body(c->data);
    WEFT_single_end(&L, 0);
}

static void in_region(int nth, void (*body)(void *), void *data) {
    struct single_cap c = {body, data};
    struct weft_region r = {&L, single_region, &c, nth, 0, 0, NULL};
    WEFT_parallel(&r);
}

/* ------------------------------------------------------------------ */
/* fib                                                                  */
/* ------------------------------------------------------------------ */

struct fib_arg {
    int n;
    long *out;
};

static long fib(int n);

static void fib_task(void *p) {
    struct fib_arg *a = p;
    *a->out = fib(a->n);
    live_leave();
}

static long fib(int n) {
    if (n < 2)
        return n;
    long x = 0, y = 0;
    struct fib_arg a = {n - 1, &x};
    live_enter();
    WEFT_task(&L, fib_task, &a, sizeof a, _Alignof(struct fib_arg), 0, NULL, 0);
    struct fib_arg b = {n - 2, &y};
    live_enter();
    WEFT_task(&L, fib_task, &b, sizeof b, _Alignof(struct fib_arg), 0, NULL, 0);
    WEFT_taskwait(&L);
    return x + y;
}

static long fib_serial(int n) {
    return n < 2 ? n : fib_serial(n - 1) + fib_serial(n - 2);
}

struct fib_job {
    int n;
    long result;
};

static void fib_root(void *d) {
    struct fib_job *j = d;
    j->result = fib(j->n);
}

static void fib_sweep(unsigned cutoff) {
    const int n = 25;
    long want = fib_serial(n);
    weft__task_set_cutoff(cutoff);
    for (int nth = 1; nth <= 4; nth++) {
        live_reset();
        struct fib_job j = {n, -1};
        in_region(nth, fib_root, &j);
        WEFT_ASSERT_EQ(j.result, want);
        WEFT_ASSERT_EQ(atomic_load(&live), 0);
        if (cutoff == WEFT_TASK_CUTOFF) {
            /* Queued tasks stay under the cut-off per thread; the rest of
             * the live ones are frames suspended in taskwait, a few per
             * level of the tree per thread. */
            WEFT_ASSERT_LE(atomic_load(&live_max), (long)nth * (WEFT_TASK_CUTOFF + 4 * n));
        }
    }
    weft__task_set_cutoff(WEFT_TASK_CUTOFF);
}

static void test_fib_cutoff(void) {
    fib_sweep(WEFT_TASK_CUTOFF);
}

static void test_fib_no_cutoff(void) {
    fib_sweep(1u << 30);
}

/* ------------------------------------------------------------------ */
/* Flat loop of tiny tasks                                              */
/* ------------------------------------------------------------------ */

#define FLAT_N 100000
static atomic_uchar flat_hits[FLAT_N];

struct flat_arg {
    int i;
};

static void flat_task(void *p) {
    struct flat_arg *a = p;
    atomic_fetch_add(&flat_hits[a->i], 1);
    live_leave();
}

static void flat_root(void *d) {
    (void)d;
    for (int i = 0; i < FLAT_N; i++) {
        struct flat_arg a = {i};
        live_enter();
        WEFT_task(&L, flat_task, &a, sizeof a, _Alignof(struct flat_arg), 0, NULL, 0);
    }
}

static void flat_run(unsigned cutoff, int nth) {
    weft__task_set_cutoff(cutoff);
    memset(flat_hits, 0, sizeof flat_hits);
    live_reset();
    in_region(nth, flat_root, NULL);
    long bad = 0;
    for (int i = 0; i < FLAT_N; i++)
        bad += atomic_load(&flat_hits[i]) != 1;
    WEFT_ASSERT_EQ(bad, 0);
    WEFT_ASSERT_EQ(atomic_load(&live), 0);
    if (cutoff == WEFT_TASK_CUTOFF) {
        /* One producer: its deque holds at most the cut-off, every other
         * live task is running (one per thread, the producer's inline one
         * included). */
        WEFT_ASSERT_LE(atomic_load(&live_max), WEFT_TASK_CUTOFF + nth + 1);
    }
    weft__task_set_cutoff(WEFT_TASK_CUTOFF);
}

static void test_flat(void) {
    flat_run(WEFT_TASK_CUTOFF, 4);
    flat_run(WEFT_TASK_CUTOFF, 2);
    flat_run(1u << 30, 3);
}

/* ------------------------------------------------------------------ */
/* taskwait waits for children only; taskgroup for all descendants       */
/* ------------------------------------------------------------------ */

static atomic_int gc_release, gc_done, gc_saw_release, child_done;

static void grandchild(void *p) {
    (void)p;
    /* Waits (bounded) for the parent to pass its taskwait. */
    uint64_t end = now_ms() + 5000;
    while (!atomic_load(&gc_release) && now_ms() < end)
        WEFT_taskyield(&L);
    atomic_store(&gc_saw_release, atomic_load(&gc_release));
    atomic_store(&gc_done, 1);
}

static void child(void *p) {
    (void)p;
    WEFT_task(&L, grandchild, NULL, 0, 0, 0, NULL, 0);
    atomic_store(&child_done, 1);
}

static void taskwait_root(void *d) {
    int *ok = d;
    WEFT_task(&L, child, NULL, 0, 0, 0, NULL, 0);
    WEFT_taskwait(&L);
    /* The child is done; the grandchild cannot be, it waits for us. */
    ok[0] = atomic_load(&child_done);
    ok[1] = !atomic_load(&gc_done);
    atomic_store(&gc_release, 1);
}

static void test_taskwait_children_only(void) {
    for (int nth = 2; nth <= 4; nth += 2) {
        atomic_store(&gc_release, 0);
        atomic_store(&gc_done, 0);
        atomic_store(&gc_saw_release, 0);
        atomic_store(&child_done, 0);
        int ok[2] = {0, 0};
        in_region(nth, taskwait_root, ok);
        WEFT_ASSERT_EQ(ok[0], 1);
        WEFT_ASSERT_EQ(ok[1], 1);
        /* The region's end waited for the grandchild. */
        WEFT_ASSERT_EQ(atomic_load(&gc_done), 1);
        WEFT_ASSERT_EQ(atomic_load(&gc_saw_release), 1);
    }
}

#define TG_CHILDREN 8
static atomic_int tg_leaves;

static void tg_leaf(void *p) {
    (void)p;
    sleep_us(2000);
    atomic_fetch_add(&tg_leaves, 1);
}

static void tg_child(void *p) {
    (void)p;
    for (int i = 0; i < 3; i++)
        WEFT_task(&L, tg_leaf, NULL, 0, 0, 0, NULL, 0);
}

static void taskgroup_root(void *d) {
    int *seen = d;
    WEFT_taskgroup_begin(&L);
    for (int i = 0; i < TG_CHILDREN; i++)
        WEFT_task(&L, tg_child, NULL, 0, 0, 0, NULL, 0);
    WEFT_taskgroup_end(&L);
    *seen = atomic_load(&tg_leaves);
}

static void test_taskgroup_descendants(void) {
    for (int nth = 1; nth <= 4; nth++) {
        atomic_store(&tg_leaves, 0);
        int seen = -1;
        in_region(nth, taskgroup_root, &seen);
        WEFT_ASSERT_EQ(seen, TG_CHILDREN * 3);
    }
}

/* ------------------------------------------------------------------ */
/* Dependences                                                          */
/* ------------------------------------------------------------------ */

#define LOG_MAX 64
static atomic_int log_len;
static int log_ids[LOG_MAX];

struct dep_arg {
    int id;
    long delay_us;
};

static void dep_task(void *p) {
    struct dep_arg *a = p;
    if (a->delay_us)
        sleep_us(a->delay_us);
    log_ids[atomic_fetch_add(&log_len, 1)] = a->id;
}

static int log_pos(int id) {
    for (int i = 0; i < atomic_load(&log_len); i++)
        if (log_ids[i] == id)
            return i;
    return -1;
}

static int dep_x, dep_y;

static void dep_spawn(int id, long delay, unsigned kind, void *addr) {
    struct dep_arg a = {id, delay};
    struct weft_depend d = {addr, kind};
    WEFT_task(&L, dep_task, &a, sizeof a, _Alignof(struct dep_arg), 0, &d, 1);
}

/* out(x) 1; in(x) 2, 3; inout(x) 4; in(x) 5; out(y) 6 (independent);
 * in(x)+in(y) 7. Early tasks sleep so that violations would show. */
static void dep_root(void *d) {
    (void)d;
    dep_spawn(1, 3000, WEFT_DEP_OUT, &dep_x);
    dep_spawn(2, 1000, WEFT_DEP_IN, &dep_x);
    dep_spawn(3, 2000, WEFT_DEP_IN, &dep_x);
    dep_spawn(4, 1000, WEFT_DEP_INOUT, &dep_x);
    dep_spawn(5, 0, WEFT_DEP_IN, &dep_x);
    dep_spawn(6, 0, WEFT_DEP_OUT, &dep_y);
    struct dep_arg a = {7, 0};
    struct weft_depend two[2] = {{&dep_x, WEFT_DEP_IN}, {&dep_y, WEFT_DEP_IN}};
    WEFT_task(&L, dep_task, &a, sizeof a, _Alignof(struct dep_arg), 0, two, 2);
    WEFT_taskwait(&L);
}

static void test_depend_log(void) {
    for (int nth = 1; nth <= 4; nth++) {
        for (int rep = 0; rep < 3; rep++) {
            atomic_store(&log_len, 0);
            in_region(nth, dep_root, NULL);
            WEFT_ASSERT_EQ(atomic_load(&log_len), 7);
            int p1 = log_pos(1), p2 = log_pos(2), p3 = log_pos(3), p4 = log_pos(4);
            int p5 = log_pos(5), p6 = log_pos(6), p7 = log_pos(7);
            WEFT_ASSERT_LT(p1, p2);
            WEFT_ASSERT_LT(p1, p3);
            WEFT_ASSERT_LT(p2, p4);
            WEFT_ASSERT_LT(p3, p4);
            WEFT_ASSERT_LT(p4, p5);
            WEFT_ASSERT_LT(p4, p7);
            WEFT_ASSERT_LT(p6, p7);
            WEFT_ASSERT_GE(p6, 0);
        }
    }
}

/* A chain of inout tasks on one counter: each must see its predecessor's
 * value (a plain variable: any overlap is also a data race for TSan). */
#define CHAIN 300
static long chain_counter;
static atomic_int chain_bad;

struct chain_arg {
    long want;
};

static void chain_task(void *p) {
    struct chain_arg *a = p;
    if (chain_counter != a->want)
        atomic_fetch_add(&chain_bad, 1);
    chain_counter = a->want + 1;
}

static void chain_root(void *d) {
    (void)d;
    for (long i = 0; i < CHAIN; i++) {
        struct chain_arg a = {i};
        struct weft_depend dep = {&chain_counter, i % 3 ? WEFT_DEP_INOUT : WEFT_DEP_OUT};
        WEFT_task(&L, chain_task, &a, sizeof a, _Alignof(struct chain_arg), 0, &dep, 1);
    }
    WEFT_taskwait(&L);
}

static void test_depend_chain(void) {
    for (int nth = 1; nth <= 4; nth++) {
        chain_counter = 0;
        atomic_store(&chain_bad, 0);
        in_region(nth, chain_root, NULL);
        WEFT_ASSERT_EQ(chain_counter, CHAIN);
        WEFT_ASSERT_EQ(atomic_load(&chain_bad), 0);
    }
}

/* An undeferred task (if(false)) with an in dependence on a slow deferred
 * writer: it runs after the writer and before WEFT_task returns. */
static int undef_x;
static atomic_int undef_ran, undef_saw;

static void undef_writer(void *p) {
    (void)p;
    sleep_us(5000);
    undef_x = 42;
}

static void undef_reader(void *p) {
    (void)p;
    atomic_store(&undef_saw, undef_x);
    atomic_store(&undef_ran, 1);
}

static void undef_root(void *d) {
    int *ran_on_return = d;
    struct weft_depend w = {&undef_x, WEFT_DEP_OUT}, r = {&undef_x, WEFT_DEP_IN};
    WEFT_task(&L, undef_writer, NULL, 0, 0, 0, &w, 1);
    WEFT_task(&L, undef_reader, NULL, 0, 0, WEFT_TASK_IF_FALSE, &r, 1);
    *ran_on_return = atomic_load(&undef_ran);
}

static void test_depend_undeferred(void) {
    for (int nth = 1; nth <= 3; nth++) {
        undef_x = 0;
        atomic_store(&undef_ran, 0);
        atomic_store(&undef_saw, 0);
        int ran = 0;
        in_region(nth, undef_root, &ran);
        WEFT_ASSERT_EQ(ran, 1);
        WEFT_ASSERT_EQ(atomic_load(&undef_saw), 42);
    }
}

/* ------------------------------------------------------------------ */
/* taskloop                                                             */
/* ------------------------------------------------------------------ */

#define TL_MAX 20000
static atomic_uchar tl_hits[TL_MAX];
static atomic_long tl_chunks, tl_min, tl_max;

struct tl_arg {
    int offset; /* firstprivate value each task gets a copy of */
};

static void tl_body(void *p, uint64_t lo, uint64_t hi) {
    struct tl_arg *a = p;
    for (uint64_t i = lo; i < hi; i++)
        atomic_fetch_add(&tl_hits[i + (uint64_t)a->offset], 1);
    long len = (long)(hi - lo);
    atomic_fetch_add(&tl_chunks, 1);
    long m = atomic_load(&tl_min);
    while (len < m && !atomic_compare_exchange_weak(&tl_min, &m, len))
        ;
    m = atomic_load(&tl_max);
    while (len > m && !atomic_compare_exchange_weak(&tl_max, &m, len))
        ;
}

struct tl_case {
    uint64_t n;
    int64_t grain, ntasks;
    unsigned flags;
};

static void tl_root(void *d) {
    struct tl_case *c = d;
    struct tl_arg a = {0};
    WEFT_taskloop(&L, c->n, tl_body, &a, sizeof a, _Alignof(struct tl_arg), c->grain,
                  c->ntasks, c->flags);
    if (c->flags & WEFT_TASKLOOP_NOGROUP)
        WEFT_taskwait(&L); /* the chunks are children of this task */
}

static void test_taskloop(void) {
    static const uint64_t ns[] = {0, 1, 7, 1000, 12345};
    static const int64_t grains[] = {1, 3, 100, 5000};
    static const int64_t counts[] = {1, 5, 64};
    for (int nth = 1; nth <= 4; nth += 3) {
        for (size_t ni = 0; ni < sizeof ns / sizeof *ns; ni++) {
            for (int mode = 0; mode < 2 * 4 + 3 + 1; mode++) {
                struct tl_case c = {ns[ni], 0, 0, 0};
                if (mode < 8) {
                    c.grain = grains[mode % 4];
                    c.flags = mode >= 4 ? WEFT_TASKLOOP_NOGROUP : 0;
                } else if (mode < 11) {
                    c.ntasks = counts[mode - 8];
                }
                memset(tl_hits, 0, sizeof tl_hits);
                atomic_store(&tl_chunks, 0);
                atomic_store(&tl_min, LONG_MAX);
                atomic_store(&tl_max, 0);
                in_region(nth, tl_root, &c);
                long bad = 0;
                for (uint64_t i = 0; i < TL_MAX; i++)
                    bad += atomic_load(&tl_hits[i]) != (i < c.n);
                WEFT_ASSERT_EQ(bad, 0);
                long chunks = atomic_load(&tl_chunks);
                if (c.n == 0) {
                    WEFT_ASSERT_EQ(chunks, 0);
                    continue;
                }
                if (c.grain) {
                    uint64_t want = c.n / (uint64_t)c.grain ? c.n / (uint64_t)c.grain : 1;
                    WEFT_ASSERT_EQ(chunks, (long)want);
                    if (c.n >= (uint64_t)c.grain)
                        WEFT_ASSERT_GE(atomic_load(&tl_min), c.grain);
                    if (want > 1)
                        WEFT_ASSERT_LT(atomic_load(&tl_max), 2 * c.grain);
                } else if (c.ntasks) {
                    WEFT_ASSERT_EQ(chunks, (long)((uint64_t)c.ntasks < c.n ? (uint64_t)c.ntasks : c.n));
                } else {
                    long want = (long)nth * WEFT_TASKLOOP_PER_THREAD;
                    WEFT_ASSERT_EQ(chunks, want < (long)c.n ? want : (long)c.n);
                }
                WEFT_ASSERT_LE(atomic_load(&tl_max) - atomic_load(&tl_min), 1);
            }
        }
    }
}

/* ------------------------------------------------------------------ */
/* Undeferred, final, outside any region                                */
/* ------------------------------------------------------------------ */

struct imm_arg {
    atomic_int *flag;
    int tid;      /* thread that created the task */
    int *same;    /* the task ran on that thread */
    int *final;   /* weft_in_final() inside */
};

static void imm_task(void *p) {
    struct imm_arg *a = p;
    *a->same = weft_thread_num() == a->tid;
    *a->final = weft_in_final();
    atomic_store(a->flag, 1);
}

/* A final task whose child must be included: it runs before WEFT_task
 * returns inside the final task, and is final too. */
struct final_arg {
    int *child_ran_inline, *child_final, *self_final;
};

static void final_child(void *p) {
    int *f = p;
    *f = weft_in_final();
}

static void final_task(void *p) {
    struct final_arg *a = p;
    *a->self_final = weft_in_final();
    int cf = -1;
    WEFT_task(&L, final_child, &cf, 0, 0, 0, NULL, 0);
    /* Size 0: the child gets the template pointer itself, so it wrote cf. */
    *a->child_ran_inline = cf != -1;
    *a->child_final = cf;
}

static void immediate_checks(int in_team) {
    atomic_int flag = 0;
    int same = 0, fin = -1;
    struct imm_arg a = {&flag, weft_thread_num(), &same, &fin};
    WEFT_task(&L, imm_task, &a, sizeof a, _Alignof(struct imm_arg), WEFT_TASK_IF_FALSE, NULL, 0);
    WEFT_ASSERT_EQ(atomic_load(&flag), 1);
    WEFT_ASSERT_EQ(same, 1);
    WEFT_ASSERT_EQ(fin, 0);
    int inl = 0, cfin = 0, sfin = 0;
    struct final_arg f = {&inl, &cfin, &sfin};
    WEFT_task(&L, final_task, &f, sizeof f, _Alignof(struct final_arg), WEFT_TASK_FINAL, NULL, 0);
    /* A final task is undeferred as well: done on return. */
    WEFT_ASSERT_EQ(sfin, 1);
    WEFT_ASSERT_EQ(inl, 1);
    WEFT_ASSERT_EQ(cfin, 1);
    WEFT_ASSERT_EQ(weft_in_final(), 0);
    if (!in_team) {
        /* Outside a region even a plain task runs at once. */
        atomic_store(&flag, 0);
        WEFT_task(&L, imm_task, &a, sizeof a, _Alignof(struct imm_arg), 0, NULL, 0);
        WEFT_ASSERT_EQ(atomic_load(&flag), 1);
        WEFT_taskwait(&L);
        WEFT_taskgroup_begin(&L);
        WEFT_taskgroup_end(&L);
        WEFT_taskyield(&L);
    }
}

static void imm_region(void *d) {
    (void)d;
    immediate_checks(1);
}

static void test_immediate(void) {
    immediate_checks(0);
    in_region(3, imm_region, NULL);
    in_region(1, imm_region, NULL);
}

/* Tasks made by every member of a region (not just in single), with a
 * plain barrier between two rounds: the barrier completes them all. */
static atomic_int all_count;

static void count_task(void *p) {
    (void)p;
    atomic_fetch_add(&all_count, 1);
}

static void all_region(void *d, void *red) {
    (void)red;
    int *after_barrier = d;
    for (int i = 0; i < 500; i++)
        WEFT_task(&L, count_task, NULL, 0, 0, 0, NULL, 0);
    WEFT_barrier(&L);
    if (weft_thread_num() == 0)
        *after_barrier = atomic_load(&all_count);
    WEFT_barrier(&L);
    for (int i = 0; i < 500; i++)
        WEFT_task(&L, count_task, NULL, 0, 0, 0, NULL, 0);
}

static void test_barrier_completes_tasks(void) {
    for (int rep = 0; rep < 3; rep++) {
        atomic_store(&all_count, 0);
        int after = 0;
        struct weft_region r = {&L, all_region, &after, 4, 0, 0, NULL};
        WEFT_parallel(&r);
        WEFT_ASSERT_EQ(after, 4 * 500);
        WEFT_ASSERT_EQ(atomic_load(&all_count), 2 * 4 * 500);
    }
}

int main(void) {
    static const struct weft_cu_test tests[] = {
        {"fib_cutoff", test_fib_cutoff},
        {"fib_no_cutoff", test_fib_no_cutoff},
        {"flat_100k", test_flat},
        {"taskwait_children_only", test_taskwait_children_only},
        {"taskgroup_descendants", test_taskgroup_descendants},
        {"depend_log", test_depend_log},
        {"depend_chain", test_depend_chain},
        {"depend_undeferred", test_depend_undeferred},
        {"taskloop", test_taskloop},
        {"immediate", test_immediate},
        {"barrier_completes_tasks", test_barrier_completes_tasks},
        {NULL, NULL},
    };
    return weft_cu_run("task", tests);
}
