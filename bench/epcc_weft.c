/* This file handles the weft side of the EPCC-style benchmark: the rows of
 * epcc_omp.c lowered by hand to the translator ABI (include/weft/abi.h), the
 * way weftcc's generated code calls it: one static weft_loc per construct,
 * an outlined chunk or region function, a capture block holding shared
 * variables by address, WEFT_trip_count on the loop header, and a
 * descriptor on the stack. Each row's original OpenMP source is the
 * function of the same name in epcc_omp.c. */
#include "epcc.h"

#include <stdalign.h>

#include "weft.h"
#include "weft/abi.h"

#define LOC(fn)                                                                \
    { __FILE__, fn, __LINE__, 1 }

/* Logical trip count of `for (int i = 0; i < n; i++)`, as the translator
 * lowers that loop header. */
static uint64_t trips(const struct weft_loc *loc, int n) {
    return WEFT_trip_count(loc, 0, (uint64_t)(int64_t)n, 1, WEFT_CMP_LT,
                           32 | WEFT_TYPE_SIGNED);
}

const char *epcc_impl_name(void) { return "weft"; }

void epcc_impl_init(int n) {
    static const struct weft_loc L = LOC("main");
    WEFT_main_enter(&L, WEFT_ABI_VERSION);
    weft_set_num_threads(n);
}

void *epcc_impl_symbol(void) { return (void *)&WEFT_parallel_for; }

/* ---- team size: `#pragma omp parallel { #pragma omp master n = ...; }` */

struct team_cap {
    int *n;
};

static void team_region(void *data, void *red) {
    struct team_cap *c = data;
    if (weft_thread_num() == 0)
        *c->n = weft_num_threads();
}

int epcc_impl_team_size(void) {
    static const struct weft_loc L = LOC("epcc_impl_team_size");
    int n = 0;
    struct team_cap cap = {&n};
    struct weft_region rg = {&L, team_region, &cap, 0, 0, 0, NULL};
    WEFT_parallel(&rg);
    return n;
}

/* ---- PARALLEL FOR: `#pragma omp parallel for` over i in [0, nt) */

struct pf_cap {
    long *len;
};

static void pf_body(void *data, uint64_t lo, uint64_t hi, void *red) {
    struct pf_cap *c = data;
    for (uint64_t k = lo; k < hi; k++) {
        int i = (int)k;
        epcc_delay(*c->len);
        epcc_slots[i].n++;
    }
}

long epcc_row_parallel_for(int innerreps) {
    static const struct weft_loc L = LOC("epcc_row_parallel_for");
    int nt = epcc_cfg.nthreads;
    long len = epcc_cfg.delay_len;
    struct pf_cap cap = {&len};
    for (int j = 0; j < innerreps; j++) {
        struct weft_loop lp = {&L, trips(&L, nt), 0,    0,   0, 0,
                               0,  pf_body,       &cap, NULL};
        WEFT_parallel_for(&lp);
    }
    return epcc_slots_take();
}

/* ---- PARALLEL: `#pragma omp parallel { delay; count; }` */

static void par_region(void *data, void *red) {
    struct pf_cap *c = data;
    epcc_delay(*c->len);
    epcc_slots[weft_thread_num()].n++;
}

long epcc_row_parallel(int innerreps) {
    static const struct weft_loc L = LOC("epcc_row_parallel");
    long len = epcc_cfg.delay_len;
    struct pf_cap cap = {&len};
    for (int j = 0; j < innerreps; j++) {
        struct weft_region rg = {&L, par_region, &cap, 0, 0, 0, NULL};
        WEFT_parallel(&rg);
    }
    return epcc_slots_take();
}

/* ---- BARRIER: innerreps `#pragma omp barrier` inside one region */

struct bar_cap {
    int *innerreps;
    long *len;
};

static void bar_region(void *data, void *red) {
    static const struct weft_loc LB = LOC("epcc_row_barrier");
    struct bar_cap *c = data;
    long done = 0;
    for (int j = 0; j < *c->innerreps; j++) {
        epcc_delay(*c->len);
        done++;
        WEFT_barrier(&LB);
    }
    epcc_slots[weft_thread_num()].n = done;
}

long epcc_row_barrier(int innerreps) {
    static const struct weft_loc L = LOC("epcc_row_barrier");
    long len = epcc_cfg.delay_len;
    struct bar_cap cap = {&innerreps, &len};
    struct weft_region rg = {&L, bar_region, &cap, 0, 0, 0, NULL};
    WEFT_parallel(&rg);
    return epcc_slots_take();
}

/* ---- REDUCTION: `#pragma omp parallel for reduction(+ : sum)` */

struct red_cap {
    long *len;
    long *sum;
};

static void red_init(void *data, void *slot) { *(long *)slot = 0; }

static void red_combine(void *data, void *into, const void *from) {
    *(long *)into += *(const long *)from;
}

static void red_fini(void *data, void *slot) {
    struct red_cap *c = data;
    *c->sum += *(long *)slot;
}

static const struct weft_reduction red_sum = {sizeof(long), alignof(long),
                                              red_init, red_combine, red_fini};

static void red_body(void *data, uint64_t lo, uint64_t hi, void *red) {
    struct red_cap *c = data;
    long *sum = red;
    for (uint64_t k = lo; k < hi; k++) {
        epcc_delay(*c->len);
        *sum += 1;
    }
}

long epcc_row_reduction(int innerreps) {
    static const struct weft_loc L = LOC("epcc_row_reduction");
    int nt = epcc_cfg.nthreads;
    long len = epcc_cfg.delay_len;
    long total = 0;
    for (int j = 0; j < innerreps; j++) {
        long sum = 0;
        struct red_cap cap = {&len, &sum};
        struct weft_loop lp = {&L, trips(&L, nt), 0,    0,       0, 0,
                               0,  red_body,      &cap, &red_sum};
        WEFT_parallel_for(&lp);
        total += sum;
    }
    return total;
}

/* ---- SINGLE: innerreps `#pragma omp single` inside one region */

struct one_cap {
    int *innerreps;
    long *len;
};

static void single_region(void *data, void *red) {
    static const struct weft_loc LS = LOC("epcc_row_single (single)");
    struct one_cap *c = data;
    for (int j = 0; j < *c->innerreps; j++) {
        if (WEFT_single_begin(&LS)) {
            epcc_delay(*c->len);
            epcc_slots[weft_thread_num()].n++;
        }
        WEFT_single_end(&LS, 0u);
    }
}

long epcc_row_single(int innerreps) {
    static const struct weft_loc L = LOC("epcc_row_single");
    long len = epcc_cfg.delay_len;
    struct one_cap cap = {&innerreps, &len};
    struct weft_region rg = {&L, single_region, &cap, 0, 0, 0, NULL};
    WEFT_parallel(&rg);
    return epcc_slots_take();
}

/* This thread's share of innerreps constructs the team takes turns at. */
static int share(int innerreps) {
    int t = weft_thread_num(), nt = weft_num_threads();
    return innerreps / nt + (t < innerreps % nt);
}

/* ---- CRITICAL: the team's share of innerreps `#pragma omp critical` */

static void critical_region(void *data, void *red) {
    static const struct weft_loc LC = LOC("epcc_row_critical (critical)");
    static void *crit = 0; /* the translator's per-name lock cache */
    struct one_cap *c = data;
    int mine = share(*c->innerreps);
    for (int j = 0; j < mine; j++) {
        WEFT_critical_begin(&LC, "", &crit);
        epcc_delay(*c->len);
        epcc_slots[weft_thread_num()].n++;
        WEFT_critical_end(&LC, &crit);
    }
}

long epcc_row_critical(int innerreps) {
    static const struct weft_loc L = LOC("epcc_row_critical");
    long len = epcc_cfg.delay_len;
    struct one_cap cap = {&innerreps, &len};
    struct weft_region rg = {&L, critical_region, &cap, 0, 0, 0, NULL};
    WEFT_parallel(&rg);
    return epcc_slots_take();
}

/* ---- LOCK: as CRITICAL with omp_set_lock / omp_unset_lock, which
 * weft's omp.h maps to weft_lock_set / weft_lock_unset. */

struct lock_cap {
    int *innerreps;
    long *len;
    weft_lock_t *lock;
};

static void lock_region(void *data, void *red) {
    struct lock_cap *c = data;
    int mine = share(*c->innerreps);
    for (int j = 0; j < mine; j++) {
        weft_lock_set(c->lock);
        epcc_delay(*c->len);
        epcc_slots[weft_thread_num()].n++;
        weft_lock_unset(c->lock);
    }
}

long epcc_row_lock(int innerreps) {
    static const struct weft_loc L = LOC("epcc_row_lock");
    long len = epcc_cfg.delay_len;
    weft_lock_t lock;
    weft_lock_init(&lock);
    struct lock_cap cap = {&innerreps, &len, &lock};
    struct weft_region rg = {&L, lock_region, &cap, 0, 0, 0, NULL};
    WEFT_parallel(&rg);
    weft_lock_destroy(&lock);
    return epcc_slots_take();
}

/* ---- ATOMIC: `#pragma omp atomic sum += 1.0;` on a shared double, the
 * compare-and-swap loop weftcc emits for a floating-point update. */

struct atomic_cap {
    int *innerreps;
    long *len;
    double *sum;
};

static void atomic_region(void *data, void *red) {
    struct atomic_cap *c = data;
    for (int j = 0; j < *c->innerreps; j++) {
        epcc_delay(*c->len);
        double *ap = c->sum, ao, an, ae = 1.0;
        __atomic_load(ap, &ao, __ATOMIC_SEQ_CST);
        do {
            an = ao + ae;
        } while (!__atomic_compare_exchange(ap, &ao, &an, 0, __ATOMIC_SEQ_CST,
                                            __ATOMIC_SEQ_CST));
    }
}

long epcc_row_atomic(int innerreps) {
    static const struct weft_loc L = LOC("epcc_row_atomic");
    long len = epcc_cfg.delay_len;
    double sum = 0;
    struct atomic_cap cap = {&innerreps, &len, &sum};
    struct weft_region rg = {&L, atomic_region, &cap, 0, 0, 0, NULL};
    WEFT_parallel(&rg);
    return (long)sum;
}

/* ---- Task rows. A task's argument block holds what weftcc puts there:
 * `len` is shared in the region, so the task gets its address. */

struct delay_task_arg {
    long *len;
};

static void delay_task(void *arg) {
    struct delay_task_arg *a = arg;
    epcc_delay(*a->len);
    epcc_slots[weft_thread_num()].n++;
}

/* ---- TASK PARALLEL: every thread creates innerreps tasks */

static void task_parallel_region(void *data, void *red) {
    static const struct weft_loc LT = LOC("epcc_row_task_parallel (task)");
    struct one_cap *c = data;
    for (int j = 0; j < *c->innerreps; j++) {
        struct delay_task_arg a = {c->len};
        WEFT_task(&LT, delay_task, &a, sizeof a,
                  _Alignof(struct delay_task_arg), 0u, NULL, 0);
    }
}

long epcc_row_task_parallel(int innerreps) {
    static const struct weft_loc L = LOC("epcc_row_task_parallel");
    long len = epcc_cfg.delay_len;
    struct one_cap cap = {&innerreps, &len};
    struct weft_region rg = {&L, task_parallel_region, &cap, 0, 0, 0, NULL};
    WEFT_parallel(&rg);
    return epcc_slots_take();
}

/* ---- TASK FLAT: innerreps * nthreads tasks from one thread in a single,
 * then taskwait */

struct flat_cap {
    long *n;
    long *len;
};

static void task_flat_region(void *data, void *red) {
    static const struct weft_loc LS = LOC("epcc_row_task_flat (single)");
    static const struct weft_loc LT = LOC("epcc_row_task_flat (task)");
    static const struct weft_loc LW = LOC("epcc_row_task_flat (taskwait)");
    struct flat_cap *c = data;
    if (WEFT_single_begin(&LS)) {
        for (long j = 0; j < *c->n; j++) {
            struct delay_task_arg a = {c->len};
            WEFT_task(&LT, delay_task, &a, sizeof a,
                      _Alignof(struct delay_task_arg), 0u, NULL, 0);
        }
        WEFT_taskwait(&LW);
    }
    WEFT_single_end(&LS, 0u);
}

long epcc_row_task_flat(int innerreps) {
    static const struct weft_loc L = LOC("epcc_row_task_flat");
    long len = epcc_cfg.delay_len;
    long n = (long)innerreps * epcc_cfg.nthreads;
    struct flat_cap cap = {&n, &len};
    struct weft_region rg = {&L, task_flat_region, &cap, 0, 0, 0, NULL};
    WEFT_parallel(&rg);
    return epcc_slots_take();
}

/* ---- TASK FIB: fib with two tasks per call down to the cut-off depth;
 * x and y are shared with the tasks (by address), n, depth and cutoff
 * firstprivate (by value). */

static long fib_task(int n, int depth, int cutoff);

struct fib_arg {
    long *p;
    int n;
    int depth;
    int cutoff;
};

static void fib_task_1(void *arg) {
    struct fib_arg *a = arg;
    *a->p = fib_task(a->n - 1, a->depth + 1, a->cutoff);
}

static void fib_task_2(void *arg) {
    struct fib_arg *a = arg;
    *a->p = fib_task(a->n - 2, a->depth + 1, a->cutoff);
}

static long fib_task(int n, int depth, int cutoff) {
    static const struct weft_loc L1 = LOC("fib_task (task x)");
    static const struct weft_loc L2 = LOC("fib_task (task y)");
    static const struct weft_loc LW = LOC("fib_task (taskwait)");
    if (n < 2)
        return n;
    if (depth >= cutoff)
        return epcc_fib_serial(n);
    long x, y;
    struct fib_arg ax = {&x, n, depth, cutoff};
    WEFT_task(&L1, fib_task_1, &ax, sizeof ax, _Alignof(struct fib_arg), 0u,
              NULL, 0);
    struct fib_arg ay = {&y, n, depth, cutoff};
    WEFT_task(&L2, fib_task_2, &ay, sizeof ay, _Alignof(struct fib_arg), 0u,
              NULL, 0);
    WEFT_taskwait(&LW);
    return x + y;
}

struct fib_cap {
    int *innerreps;
    long *sum;
};

static void task_fib_region(void *data, void *red) {
    static const struct weft_loc LS = LOC("epcc_row_task_fib (single)");
    struct fib_cap *c = data;
    if (WEFT_single_begin(&LS)) {
        for (int j = 0; j < *c->innerreps; j++)
            *c->sum += fib_task(epcc_cfg.fib_n, 0, epcc_cfg.fib_cutoff);
    }
    WEFT_single_end(&LS, 0u);
}

long epcc_row_task_fib(int innerreps) {
    static const struct weft_loc L = LOC("epcc_row_task_fib");
    long sum = 0;
    struct fib_cap cap = {&innerreps, &sum};
    struct weft_region rg = {&L, task_fib_region, &cap, 0, 0, 0, NULL};
    WEFT_parallel(&rg);
    return sum;
}

/* ---- SCHED rows: inside `#pragma omp parallel`, innerreps times
 * `#pragma omp for schedule(kind[, chunk])` over [0, n). The region body
 * is shared by every schedule; the schedule travels in the capture block
 * where generated code would have constants in the descriptor, which
 * costs the runtime nothing different. */

struct sched_cap {
    int *innerreps;
    int *n;
    long *len;
    int sched;
    int64_t chunk;
};

/* Capture of the inner loop: `done` is private to each region thread, so
 * each thread passes its own block (its descriptor's data differs). */
struct sched_loop_cap {
    long *len;
    long *done;
};

static void sched_body(void *data, uint64_t lo, uint64_t hi, void *red) {
    struct sched_loop_cap *c = data;
    for (uint64_t k = lo; k < hi; k++) {
        epcc_delay(*c->len);
        (*c->done)++;
    }
}

static void sched_region(void *data, void *red) {
    static const struct weft_loc LF = LOC("sched_row (omp for)");
    struct sched_cap *c = data;
    long done = 0;
    struct sched_loop_cap lc = {c->len, &done};
    for (int j = 0; j < *c->innerreps; j++) {
        struct weft_loop lp = {
            &LF, trips(&LF, *c->n), c->sched, 0,   c->chunk, 0,
            0,   sched_body,        &lc,      NULL};
        WEFT_for(&lp);
    }
    epcc_slots[weft_thread_num()].n = done;
}

static long sched_row(int innerreps, int sched, int64_t chunk) {
    static const struct weft_loc L = LOC("sched_row");
    int n = epcc_cfg.iters_per_thread * epcc_cfg.nthreads;
    long len = epcc_cfg.delay_len;
    struct sched_cap cap = {&innerreps, &n, &len, sched, chunk};
    struct weft_region rg = {&L, sched_region, &cap, 0, 0, 0, NULL};
    WEFT_parallel(&rg);
    return epcc_slots_take();
}

long epcc_row_static(int innerreps) {
    return sched_row(innerreps, WEFT_SCHED_STATIC, 0);
}

long epcc_row_static_1(int innerreps) {
    return sched_row(innerreps, WEFT_SCHED_STATIC, 1);
}

long epcc_row_dynamic_1(int innerreps) {
    return sched_row(innerreps, WEFT_SCHED_DYNAMIC, 1);
}

long epcc_row_dynamic_16(int innerreps) {
    return sched_row(innerreps, WEFT_SCHED_DYNAMIC, 16);
}

long epcc_row_guided(int innerreps) {
    return sched_row(innerreps, WEFT_SCHED_GUIDED, 0);
}
