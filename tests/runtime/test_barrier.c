/* This file handles the CUnit suite for the team barrier: the barrier alone
 * on raw pthreads, and WEFT_barrier in regions of 1..4 threads, for many
 * rounds, checking every round that each thread sees every other thread's
 * write from that round and none from the next (plain, non-atomic data, so
 * TSan checks the barrier's happens-before edges too). */
#include <pthread.h>
#include <stdlib.h>

#include "cunit_ext.h"
#include "weft-internal.h"

enum { ROUNDS = 3000, MAXT = 8 };
static const struct weft_loc L = {"test_barrier.c", "f", 1, 1};

struct shared {
    struct weft__barrier bar;
    unsigned n;
    long slot[MAXT];
    int bad;
};

static struct shared raw;

static void *raw_thread(void *arg) {
    unsigned me = (unsigned)(uintptr_t)arg;
    for (long r = 1; r <= ROUNDS; r++) {
        raw.slot[me] = r;
        weft__barrier_wait(&raw.bar, raw.n);
        for (unsigned j = 0; j < raw.n; j++)
            if (raw.slot[j] != r)
                __atomic_fetch_add(&raw.bad, 1, __ATOMIC_RELAXED);
        weft__barrier_wait(&raw.bar, raw.n);
    }
    return NULL;
}

static void test_raw(void) {
    for (unsigned n = 1; n <= 4; n++) {
        pthread_t th[MAXT];
        weft__barrier_init(&raw.bar);
        raw.n = n;
        raw.bad = 0;
        for (unsigned i = 0; i < n; i++)
            raw.slot[i] = 0;
        for (unsigned i = 0; i < n; i++)
            pthread_create(&th[i], NULL, raw_thread, (void *)(uintptr_t)i);
        for (unsigned i = 0; i < n; i++)
            pthread_join(th[i], NULL);
        WEFT_ASSERT_EQ(raw.bad, 0);
        WEFT_ASSERT_EQ(raw.slot[n - 1], ROUNDS);
    }
}

static void region(void *data, void *red) {
    struct shared *s = data;
    (void)red;
    unsigned me = (unsigned)weft_thread_num(), n = (unsigned)weft_num_threads();
    for (long r = 1; r <= ROUNDS; r++) {
        s->slot[me] = r;
        WEFT_barrier(&L);
        for (unsigned j = 0; j < n; j++)
            if (s->slot[j] != r)
                __atomic_fetch_add(&s->bad, 1, __ATOMIC_RELAXED);
        WEFT_barrier(&L);
    }
}

static void test_region(void) {
    for (int n = 1; n <= 4; n++) {
        struct shared s;
        s.bad = 0;
        for (int i = 0; i < MAXT; i++)
            s.slot[i] = 0;
        struct weft_region r = {&L, region, &s, n, 0, 0, NULL};
        WEFT_parallel(&r);
        WEFT_ASSERT_EQ(s.bad, 0);
        for (int i = 0; i < n; i++)
            WEFT_ASSERT_EQ(s.slot[i], ROUNDS);
    }
}

/* A barrier outside any region, or in a team of one, returns at once. */
static void test_trivial(void) {
    WEFT_barrier(&L);
    struct weft__barrier b;
    weft__barrier_init(&b);
    weft__barrier_wait(&b, 1);
    WEFT_ASSERT_EQ(weft__load(&b.gen, WEFT__RELAXED), 0);
}

/* Sleepers: with no spinning, every wait goes through the futex. */
static void test_region_no_spin(void) {
    int64_t old = weft__load(&weft__g.spin_ns, WEFT__RELAXED);
    weft__store(&weft__g.spin_ns, 0, WEFT__RELAXED);
    struct shared s;
    s.bad = 0;
    for (int i = 0; i < MAXT; i++)
        s.slot[i] = 0;
    struct weft_region r = {&L, region, &s, 3, 0, 0, NULL};
    WEFT_parallel(&r);
    WEFT_ASSERT_EQ(s.bad, 0);
    weft__store(&weft__g.spin_ns, old, WEFT__RELAXED);
}

int main(void) {
    static const struct weft_cu_test tests[] = {{"trivial", test_trivial},
                                                {"raw", test_raw},
                                                {"region", test_region},
                                                {"region_no_spin", test_region_no_spin},
                                                {NULL, NULL}};
    return weft_cu_run("barrier", tests);
}
