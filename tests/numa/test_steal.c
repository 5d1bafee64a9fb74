/* This file handles the tests of the work-stealing schedule: steal orders on
 * synthetic and XML topologies (cache group, then domain, then by distance),
 * the grain and static-block math, single-threaded draining, and a threaded
 * run that checks every iteration is handed out exactly once. */
#include "numa_test.h"
#include "steal.h"

#include <errno.h>
#include <pthread.h>
#include <unistd.h>

/* Steal order for nthreads threads, thread i on place i of `places`. */
static int *order_for(const struct weft__topo *t, const char *places, int n) {
    struct weft__places pl;
    char msg[100];
    CU_ASSERT_FATAL(weft__places_parse(t, places, &pl, msg, sizeof(msg)) == 0);
    int tp[64];
    for (int i = 0; i < n; i++)
        tp[i] = i;
    int *order = calloc((size_t)n * (size_t)(n - 1), sizeof(int));
    NT_EQ(weft__steal_order(t, &pl, tp, n, order), 0);
    weft__places_destroy(&pl);
    return order;
}

static void expect_row(const int *order, int n, int tid, const int *exp) {
    for (int k = 0; k < n - 1; k++)
        NT_EQ(order[tid * (n - 1) + k], exp[k]);
}

static void test_order_ring(void) {
    int order[4 * 3];
    NT_EQ(weft__steal_order(NULL, NULL, NULL, 4, order), 0);
    int r2[] = {3, 0, 1};
    expect_row(order, 4, 2, r2);
    NT_EQ(weft__steal_order(NULL, NULL, NULL, 1, order), 0);
    NT_EQ(weft__steal_order(NULL, NULL, NULL, 0, order), -EINVAL);
}

static void test_order_domains(void) {
    /* No caches: a domain is the cache group. 16 threads, one per core. */
    struct weft__topo *t = nt_synthetic("package:2 numa:2 core:4 pu:1");
    int *o = order_for(t, "cores", 16);
    int r0[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    expect_row(o, 16, 0, r0);
    /* Thread 6 (domain 1, package 0): own domain from the next thread
     * round, then domain 0 (same package), then package 1. */
    int r6[] = {7, 4, 5, 0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 15};
    expect_row(o, 16, 6, r6);
    int r9[] = {10, 11, 8, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7};
    expect_row(o, 16, 9, r9);
    free(o);
    weft__topo_destroy(t);
}

static void test_order_l3(void) {
    struct weft__topo *t = nt_synthetic("package:2 numa:2 l3:2 core:2 pu:1");
    int *o = order_for(t, "cores", 16);
    /* Thread 2: L3 partner 3, then its domain's other L3 (0, 1), then the
     * other domain of package 0, then package 1. */
    int r2[] = {3, 0, 1, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    expect_row(o, 16, 2, r2);
    free(o);
    weft__topo_destroy(t);
}

static void test_order_distances(void) {
    /* Matrix: 0-1 12, 0-2 20, 0-3 30, 1-3 20, 2-3 12, 1-2 30. Domain 3
     * has two cores. */
    struct weft__topo *t = nt_fixture("asym-2pkg-4numa.xml");
    int *o = order_for(t, "cores", 14);
    int r0[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13};
    expect_row(o, 14, 0, r0);
    int r12[] = {13, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3};
    expect_row(o, 14, 12, r12);
    /* Domain 1: 3 (distance 20) before 2 (30) despite thread numbers. */
    int r5[] = {6, 7, 4, 0, 1, 2, 3, 12, 13, 8, 9, 10, 11};
    expect_row(o, 14, 5, r5);
    free(o);

    /* A thread on a place outside the list is refused. */
    struct weft__places pl;
    char msg[100];
    CU_ASSERT_FATAL(weft__places_parse(t, "cores", &pl, msg, sizeof(msg)) == 0);
    int tp[2] = {0, 14}, ord[2];
    NT_EQ(weft__steal_order(t, &pl, tp, 2, ord), -EINVAL);
    weft__places_destroy(&pl);
    weft__topo_destroy(t);
}

static struct weft__steal_slot slots[8];

static void test_init_math(void) {
    struct weft__steal s;
    uint64_t lo, hi;
    /* 103 iterations, chunk 10: 11 grains, blocks 3, 3, 3, 2. */
    weft__steal_init(&s, slots, NULL, 103, 10, 4);
    NT_EQ(s.grain, 10);
    NT_EQ(s.ngrains, 11);
    NT_EQ(weft__steal_next(&s, 1, &lo, &hi), 1);
    NT_EQ(lo, 30);
    NT_EQ(hi, 40);
    NT_EQ(weft__steal_next(&s, 3, &lo, &hi), 1);
    NT_EQ(lo, 90);
    NT_EQ(weft__steal_next(&s, 3, &lo, &hi), 1);
    NT_EQ(lo, 100);
    NT_EQ(hi, 103); /* the last grain is short */

    /* Without a chunk: about 64 grains per thread. */
    weft__steal_init(&s, slots, NULL, 1 << 20, 0, 4);
    NT_EQ(s.grain, (1 << 20) / 256);
    /* Zero-trip and tiny loops. */
    weft__steal_init(&s, slots, NULL, 0, 0, 4);
    for (int t = 0; t < 4; t++)
        NT_EQ(weft__steal_next(&s, t, &lo, &hi), 0);
    weft__steal_init(&s, slots, NULL, 2, 0, 4);
    NT_EQ(weft__steal_next(&s, 3, &lo, &hi), 1); /* stolen from thread 0 */
    NT_EQ(weft__steal_next(&s, 3, &lo, &hi), 1); /* from thread 1 */
    NT_EQ(weft__steal_next(&s, 3, &lo, &hi), 0);
    /* Huge loops coarsen grains so grain numbers fit in 32 bits. */
    uint64_t n = (uint64_t)1 << 40;
    weft__steal_init(&s, slots, NULL, n, 1, 8);
    NT_TRUE(s.grain > 1);
    NT_TRUE((uint64_t)s.ngrains * s.grain >= n);
    NT_TRUE((uint64_t)(s.ngrains - 1) * s.grain < n);
    n = UINT64_MAX;
    weft__steal_init(&s, slots, NULL, n, 0, 3);
    NT_TRUE((uint64_t)(s.ngrains - 1) * s.grain < n);
    NT_TRUE(s.ngrains < UINT32_MAX);
}

/* One thread drains everything: own block, then halves of the others. */
static void test_drain_single(void) {
    struct weft__steal s;
    static unsigned char seen[1000];
    memset(seen, 0, sizeof(seen));
    weft__steal_init(&s, slots, NULL, 1000, 7, 4);
    uint64_t lo, hi, prev_hi = 0;
    int chunks = 0, first_steal_lo = -1;
    while (weft__steal_next(&s, 0, &lo, &hi)) {
        CU_ASSERT_FATAL(lo < hi && hi <= 1000);
        if (chunks > 0 && lo != prev_hi && first_steal_lo < 0)
            first_steal_lo = (int)lo;
        prev_hi = hi;
        for (uint64_t i = lo; i < hi; i++)
            seen[i]++;
        chunks++;
    }
    for (int i = 0; i < 1000; i++)
        CU_ASSERT(seen[i] == 1);
    /* 143 grains: blocks 36, 36, 36, 35. After its block, thread 0 steals
     * the back half (18 grains) of thread 1's block first. */
    NT_EQ(first_steal_lo, (36 + 18) * 7);
}

struct worker {
    struct weft__steal *s;
    _Atomic unsigned char *seen;
    int tid;
    uint64_t iters;
};

static void *run_worker(void *p) {
    struct worker *w = p;
    uint64_t lo, hi;
    if (w->tid == 0)
        usleep(1000);
    while (weft__steal_next(w->s, w->tid, &lo, &hi))
        for (uint64_t i = lo; i < hi; i++) {
            atomic_fetch_add_explicit(&w->seen[i], 1, memory_order_relaxed);
            w->iters++;
        }
    return NULL;
}

/* Threads race for work; thread 0 is slowed so others must steal. Every
 * iteration must be seen exactly once, in every round. */
static void test_threads_exactly_once(void) {
    enum { N = 200000, T = 4, ROUNDS = 20 };
    _Atomic unsigned char *seen = calloc(N, 1);
    CU_ASSERT_FATAL(seen != NULL);
    for (int r = 0; r < ROUNDS; r++) {
        struct weft__steal s;
        weft__steal_init(&s, slots, NULL, N, r % 2 ? 1 : 0, T);
        pthread_t th[T];
        struct worker w[T];
        for (int i = 0; i < N; i++)
            atomic_store_explicit(&seen[i], 0, memory_order_relaxed);
        for (int i = 0; i < T; i++) {
            w[i] = (struct worker){&s, seen, i, 0};
            pthread_create(&th[i], NULL, run_worker, &w[i]);
        }
        uint64_t total = 0;
        for (int i = 0; i < T; i++) {
            pthread_join(th[i], NULL);
            total += w[i].iters;
        }
        NT_EQ(total, N);
        int bad = 0;
        for (int i = 0; i < N; i++)
            bad += atomic_load_explicit(&seen[i], memory_order_relaxed) != 1;
        NT_EQ(bad, 0);
    }
    free((void *)seen);
}

int main(void) {
    static const struct nt_case cases[] = {
        {"order_ring", test_order_ring},
        {"order_domains", test_order_domains},
        {"order_l3", test_order_l3},
        {"order_distances", test_order_distances},
        {"init_math", test_init_math},
        {"drain_single", test_drain_single},
        {"threads_exactly_once", test_threads_exactly_once},
        {NULL, NULL},
    };
    return nt_run("numa_steal", cases);
}
