/* This file handles the CUnit suite for the pool and teams: 100,000
 * back-to-back fork/joins without a hang, team sizes changing between
 * regions (workers outside a smaller team stay parked), nested regions
 * with and without nesting enabled, parallel regions started from several
 * user threads at once, and the ICVs a region sees. */
#include <pthread.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cunit_ext.h"
#include "weft-internal.h"

static const struct weft_loc L = {"test_pool.c", "f", 1, 1};

/* Sanitizer builds run 5x fewer repetitions (TSan makes every fork/join
 * tens of times slower); plain builds run the full counts. */
#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
#define SCALE 5
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer) || __has_feature(address_sanitizer)
#define SCALE 5
#endif
#endif
#ifndef SCALE
#define SCALE 1
#endif
/* TSan cannot start threads in a child forked from a threaded process. */
#if defined(__SANITIZE_THREAD__)
#define NO_FORK_TEST 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define NO_FORK_TEST 1
#endif
#endif

struct count {
    long ran[64];
    int nth;
    int bad;
};

static void count_body(void *data, void *red) {
    struct count *c = data;
    (void)red;
    int me = weft_thread_num();
    if (me < 0 || me >= 64 || weft_num_threads() != c->nth ||
        weft_in_parallel() != (c->nth > 1) || weft_level() != 1)
        __atomic_fetch_add(&c->bad, 1, __ATOMIC_RELAXED);
    else
        c->ran[me]++; /* each slot written by one thread; read after join */
}

static void run_region(struct count *c, int nth) {
    c->nth = nth;
    struct weft_region r = {&L, count_body, c, nth, 0, 0, NULL};
    WEFT_parallel(&r);
}

static void test_many_forks(void) {
    struct count c = {{0}, 0, 0};
    const long reps = 100000 / SCALE;
    for (long i = 0; i < reps; i++)
        run_region(&c, 2);
    WEFT_ASSERT_EQ(c.bad, 0);
    WEFT_ASSERT_EQ(c.ran[0], reps);
    WEFT_ASSERT_EQ(c.ran[1], reps);
}

static void test_changing_sizes(void) {
    struct count c = {{0}, 0, 0};
    long expect[64] = {0};
    const int sizes[] = {1, 3, 2, 5, 1, 4, 2, 6, 3};
    for (int rep = 0; rep < 300 / SCALE; rep++)
        for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
            run_region(&c, sizes[i]);
            for (int t = 0; t < sizes[i]; t++)
                expect[t]++;
        }
    WEFT_ASSERT_EQ(c.bad, 0);
    for (int t = 0; t < 8; t++)
        WEFT_ASSERT_EQ(c.ran[t], expect[t]);
}

/* Outer team of 3; each member opens an inner team of 2. */
struct nest {
    int inner_sizes[3];
    int levels_ok;
    int active_level2;
};
static void inner_body(void *data, void *red) {
    struct nest *n = data;
    (void)red;
    int outer = weft_ancestor_thread_num(1);
    if (weft_thread_num() == 0 && outer >= 0 && outer < 3)
        n->inner_sizes[outer] = weft_num_threads();
    if (weft_level() == 2 && weft_team_size(1) == 3)
        __atomic_fetch_add(&n->levels_ok, 1, __ATOMIC_RELAXED);
    if (weft_active_level() == 2)
        __atomic_fetch_add(&n->active_level2, 1, __ATOMIC_RELAXED);
}
static void outer_body(void *data, void *red) {
    (void)red;
    struct weft_region r = {&L, inner_body, data, 2, 0, 0, NULL};
    WEFT_parallel(&r);
}

static void test_nested(void) {
    for (int nesting = 0; nesting < 2; nesting++) {
        weft_set_max_active_levels(nesting ? 2 : 1);
        for (int rep = 0; rep < 500 / SCALE; rep++) {
            struct nest n = {{0}, 0, 0};
            struct weft_region r = {&L, outer_body, &n, 3, 0, 0, NULL};
            WEFT_parallel(&r);
            int want = nesting ? 2 : 1;
            for (int t = 0; t < 3; t++)
                WEFT_ASSERT_EQ(n.inner_sizes[t], want);
            WEFT_ASSERT_EQ(n.levels_ok, 3 * want);
            WEFT_ASSERT_EQ(n.active_level2, nesting ? 6 : 0);
        }
    }
    weft_set_max_active_levels(1);
}

static void test_if_false_and_levels(void) {
    struct count c = {{0}, 0, 0};
    c.nth = 1;
    /* if(false): a team of one, still a (inactive) region at level 1 */
    struct weft_region r = {&L, count_body, &c, 4, 0, WEFT_LOOP_IF_FALSE, NULL};
    WEFT_parallel(&r);
    WEFT_ASSERT_EQ(c.ran[0], 1); /* count_body checks level 1, !in_parallel */
    WEFT_ASSERT_EQ(c.bad, 0);
    WEFT_ASSERT_EQ(weft_level(), 0);
    WEFT_ASSERT_EQ(weft_in_parallel(), 0);
}

/* Several user threads fork their own teams at the same time. */
static void *user_thread(void *arg) {
    struct count *c = arg;
    for (int i = 0; i < 2000 / SCALE; i++)
        run_region(c, 2);
    return NULL;
}

static void test_concurrent_roots(void) {
    pthread_t th[3];
    struct count c[3] = {{{0}, 0, 0}, {{0}, 0, 0}, {{0}, 0, 0}};
    for (int i = 0; i < 3; i++)
        pthread_create(&th[i], NULL, user_thread, &c[i]);
    for (int i = 0; i < 3; i++)
        pthread_join(th[i], NULL);
    for (int i = 0; i < 3; i++) {
        WEFT_ASSERT_EQ(c[i].bad, 0);
        WEFT_ASSERT_EQ(c[i].ran[0], 2000 / SCALE);
        WEFT_ASSERT_EQ(c[i].ran[1], 2000 / SCALE);
    }
}

/* nthreads-var: set inside a region affects only that thread's nested
 * regions; outside, later regions. */
static void icv_body(void *data, void *red) {
    int *max = data;
    (void)red;
    if (weft_thread_num() == 0)
        *max = weft_max_threads();
}
static void test_icvs(void) {
    int old = weft_max_threads();
    weft_set_num_threads(3);
    WEFT_ASSERT_EQ(weft_max_threads(), 3);
    struct count c = {{0}, 0, 0};
    run_region(&c, 0 + 3);
    WEFT_ASSERT_EQ(c.bad, 0);
    int seen = 0;
    struct weft_region r = {&L, icv_body, &seen, 0, 0, 0, NULL};
    WEFT_parallel(&r);
    WEFT_ASSERT_EQ(seen, 3); /* members inherit the master's nthreads-var */
    weft_set_num_threads(old);
    weft_set_num_threads(0); /* ignored */
    WEFT_ASSERT_EQ(weft_max_threads(), old);
}

/* A child forked after the pool exists has none of its threads: it must
 * start a fresh pool and run regions normally. */
static void test_fork_child(void) {
#ifdef NO_FORK_TEST
    CU_PASS("skipped under ThreadSanitizer");
    return;
#endif
    struct count c = {{0}, 0, 0};
    run_region(&c, 2);
    pid_t pid = fork();
    if (pid == 0) {
        struct count cc = {{0}, 0, 0};
        for (int i = 0; i < 100; i++)
            run_region(&cc, 3);
        _exit(cc.bad == 0 && cc.ran[2] == 100 ? 0 : 1);
    }
    int status = -1;
    WEFT_ASSERT_TRUE(pid > 0);
    waitpid(pid, &status, 0);
    WEFT_ASSERT_TRUE(WIFEXITED(status));
    WEFT_ASSERT_EQ(WEXITSTATUS(status), 0);
    run_region(&c, 2);
    WEFT_ASSERT_EQ(c.ran[1], 2);
}

int main(void) {
    static const struct weft_cu_test tests[] = {
        {"many_forks", test_many_forks},
        {"changing_sizes", test_changing_sizes},
        {"nested", test_nested},
        {"if_false_and_levels", test_if_false_and_levels},
        {"concurrent_roots", test_concurrent_roots},
        {"icvs", test_icvs},
        {"fork_child", test_fork_child},
        {NULL, NULL}};
    return weft_cu_run("pool", tests);
}
