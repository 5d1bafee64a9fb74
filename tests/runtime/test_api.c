/* This file handles the CUnit suite for the user API as programs see it:
 * the omp_* routines of weft's include/omp.h (and the weft_* functions
 * under them) outside and inside regions, ICV setters and getters, time,
 * simple and nestable locks across threads, and weft_strerror. It links the
 * shared library, as user programs do. */
#include <omp.h>
#include <pthread.h>
#include <string.h>
#include <weft/abi.h>

#include "cunit_ext.h"

static const struct weft_loc L = {"test_api.c", "f", 1, 1};

static void test_outside(void) {
    WEFT_ASSERT_EQ(omp_get_thread_num(), 0);
    WEFT_ASSERT_EQ(omp_get_num_threads(), 1);
    WEFT_ASSERT_EQ(omp_in_parallel(), 0);
    WEFT_ASSERT_EQ(omp_get_level(), 0);
    WEFT_ASSERT_EQ(omp_get_active_level(), 0);
    WEFT_ASSERT_EQ(omp_get_ancestor_thread_num(0), 0);
    WEFT_ASSERT_EQ(omp_get_ancestor_thread_num(1), -1);
    WEFT_ASSERT_EQ(omp_get_ancestor_thread_num(-1), -1);
    WEFT_ASSERT_EQ(omp_get_team_size(0), 1);
    WEFT_ASSERT_EQ(omp_get_team_size(1), -1);
    WEFT_ASSERT_GE(omp_get_num_procs(), 1);
    WEFT_ASSERT_GE(omp_get_thread_limit(), 1);
    WEFT_ASSERT_EQ(omp_in_final(), 0);
    /* The ctest sets OMP_NUM_THREADS=3. */
    WEFT_ASSERT_EQ(omp_get_max_threads(), 3);
}

struct seen {
    int nth[8], tid_ok, level, active, anc0, size1, inpar;
};

static void region(void *data, void *red) {
    struct seen *s = data;
    (void)red;
    int me = omp_get_thread_num();
    if (me >= 0 && me < 8)
        s->nth[me] = omp_get_num_threads();
    if (me == 0) {
        s->level = omp_get_level();
        s->active = omp_get_active_level();
        s->anc0 = omp_get_ancestor_thread_num(0);
        s->size1 = omp_get_team_size(1);
        s->inpar = omp_in_parallel();
    }
    if (omp_get_ancestor_thread_num(1) == me)
        __atomic_fetch_add(&s->tid_ok, 1, __ATOMIC_RELAXED);
}

static void test_inside(void) {
    struct seen s;
    memset(&s, 0, sizeof s);
    struct weft_region r = {&L, region, &s, 0, 0, 0, NULL};
    WEFT_parallel(&r);
    for (int i = 0; i < 3; i++)
        WEFT_ASSERT_EQ(s.nth[i], 3);
    WEFT_ASSERT_EQ(s.tid_ok, 3);
    WEFT_ASSERT_EQ(s.level, 1);
    WEFT_ASSERT_EQ(s.active, 1);
    WEFT_ASSERT_EQ(s.anc0, 0);
    WEFT_ASSERT_EQ(s.size1, 3);
    WEFT_ASSERT_EQ(s.inpar, 1);

    omp_set_num_threads(2);
    WEFT_ASSERT_EQ(omp_get_max_threads(), 2);
    memset(&s, 0, sizeof s);
    WEFT_parallel(&r);
    WEFT_ASSERT_EQ(s.nth[0], 2);
    WEFT_ASSERT_EQ(s.nth[2], 0);
    omp_set_num_threads(3);
}

static void test_icvs(void) {
    omp_sched_t k;
    int c;
    omp_set_schedule(omp_sched_dynamic, 16);
    omp_get_schedule(&k, &c);
    WEFT_ASSERT_EQ(k, omp_sched_dynamic);
    WEFT_ASSERT_EQ(c, 16);
    omp_set_schedule((omp_sched_t)(omp_sched_guided | omp_sched_monotonic), 0);
    omp_get_schedule(&k, &c);
    WEFT_ASSERT_EQ(k, (omp_sched_t)(omp_sched_guided | omp_sched_monotonic));
    WEFT_ASSERT_EQ(c, 1);
    omp_set_schedule((omp_sched_t)99, 4); /* ignored */
    omp_get_schedule(&k, &c);
    WEFT_ASSERT_EQ(k & 0xff, omp_sched_guided);
    omp_set_schedule(omp_sched_static, 0);

    omp_set_dynamic(1);
    WEFT_ASSERT_EQ(omp_get_dynamic(), 1);
    omp_set_dynamic(0);
    WEFT_ASSERT_EQ(omp_get_dynamic(), 0);
    omp_set_max_active_levels(3);
    WEFT_ASSERT_EQ(omp_get_max_active_levels(), 3);
    WEFT_ASSERT_EQ(omp_get_nested(), 1);
    omp_set_nested(0);
    WEFT_ASSERT_EQ(omp_get_nested(), 0);
    WEFT_ASSERT_EQ(omp_get_max_active_levels(), 1);
    omp_set_max_active_levels(-1); /* ignored */
    WEFT_ASSERT_EQ(omp_get_max_active_levels(), 1);
}

static void test_time(void) {
    double t0 = omp_get_wtime(), tick = omp_get_wtick();
    WEFT_ASSERT_TRUE(tick > 0 && tick < 0.01);
    double t1;
    do
        t1 = omp_get_wtime();
    while (t1 == t0);
    WEFT_ASSERT_TRUE(t1 > t0);
}

/* Locks: 4 threads increment plain counters under the locks. */
static omp_lock_t lock;
static omp_nest_lock_t nlock;
static long counter, ncounter; /* under lock / under nlock */

static void lock_body(void *data, uint64_t lo, uint64_t hi, void *red) {
    (void)data;
    (void)red;
    for (uint64_t k = lo; k < hi; k++) {
        if (k % 2) {
            omp_set_lock(&lock);
        } else {
            while (!omp_test_lock(&lock))
                ;
        }
        counter++;
        omp_unset_lock(&lock);
        omp_set_nest_lock(&nlock);
        omp_set_nest_lock(&nlock);
        ncounter++;
        omp_unset_nest_lock(&nlock);
        omp_unset_nest_lock(&nlock);
    }
}

static void *other_thread(void *arg) {
    int *r = arg;
    r[0] = omp_test_lock(&lock);
    r[1] = omp_test_nest_lock(&nlock);
    return NULL;
}

static void test_locks(void) {
    omp_init_lock(&lock);
    omp_init_nest_lock(&nlock);
    struct weft_loop lp = {&L, 20000, WEFT_SCHED_DYNAMIC, 4, 1, 0, 0, lock_body, NULL, NULL};
    WEFT_parallel_for(&lp);
    WEFT_ASSERT_EQ(counter, 20000);
    WEFT_ASSERT_EQ(ncounter, 20000);

    /* Held by this thread: others cannot take either lock. */
    omp_set_lock(&lock);
    WEFT_ASSERT_EQ(omp_test_nest_lock(&nlock), 1);
    WEFT_ASSERT_EQ(omp_test_nest_lock(&nlock), 2);
    omp_set_nest_lock(&nlock);
    WEFT_ASSERT_EQ(omp_test_nest_lock(&nlock), 4);
    int r[2] = {-1, -1};
    pthread_t th;
    pthread_create(&th, NULL, other_thread, r);
    pthread_join(th, NULL);
    WEFT_ASSERT_EQ(r[0], 0);
    WEFT_ASSERT_EQ(r[1], 0);
    for (int i = 0; i < 4; i++)
        omp_unset_nest_lock(&nlock);
    omp_unset_lock(&lock);
    /* Released: now the other thread gets both (and never releases them;
     * the locks are re-initialised below). */
    pthread_create(&th, NULL, other_thread, r);
    pthread_join(th, NULL);
    WEFT_ASSERT_EQ(r[0], 1);
    WEFT_ASSERT_EQ(r[1], 1);
    omp_destroy_lock(&lock);
    omp_destroy_nest_lock(&nlock);
}

static void test_strerror(void) {
    WEFT_ASSERT_STREQ(weft_strerror(WEFT_EINVAL), "invalid argument");
    WEFT_ASSERT_STREQ(weft_strerror(WEFT_ETIMEDOUT), "timed out");
    WEFT_ASSERT_STREQ(weft_strerror(0), "success");
    WEFT_ASSERT_STREQ(weft_strerror(-123456), "unknown error");
    WEFT_ASSERT_EQ(WEFT_ENOMEM, -ENOMEM);
}

int main(void) {
    static const struct weft_cu_test tests[] = {
        {"outside", test_outside}, {"inside", test_inside}, {"icvs", test_icvs},
        {"time", test_time},       {"locks", test_locks},   {"strerror", test_strerror},
        {NULL, NULL}};
    return weft_cu_run("api", tests);
}
