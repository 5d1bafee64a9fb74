/* This file handles the CUnit suite for synchronisation constructs:
 * unnamed and named critical sections (names shared across lock caches, as
 * across files), single with and without nowait, the ordered sequence under
 * several schedules, and the atomic lock, with plain shared data so TSan
 * checks the happens-before edges. */
#include <stdlib.h>
#include <string.h>

#include "cunit_ext.h"
#include "weft-internal.h"

static const struct weft_loc L = {"test_sync.c", "f", 1, 1};

/* Two caches with the same name, as two files would emit. */
static void *crit_a_file1, *crit_a_file2, *crit_unnamed, *crit_b;

struct crit_data {
    long a, b, unnamed;
};

static void crit_region(void *data, void *red) {
    struct crit_data *d = data;
    (void)red;
    for (int i = 0; i < 2000; i++) {
        WEFT_critical_begin(&L, "a", i % 2 ? &crit_a_file1 : &crit_a_file2);
        d->a++;
        WEFT_critical_end(&L, i % 2 ? &crit_a_file1 : &crit_a_file2);
        WEFT_critical_begin(&L, "", &crit_unnamed);
        d->unnamed += 2;
        WEFT_critical_end(&L, &crit_unnamed);
        WEFT_critical_begin(&L, "b", &crit_b);
        d->b += 3;
        WEFT_critical_end(&L, &crit_b);
    }
}

static void test_critical(void) {
    for (int t = 1; t <= 4; t++) {
        struct crit_data d = {0, 0, 0};
        struct weft_region r = {&L, crit_region, &d, t, 0, 0, NULL};
        WEFT_parallel(&r);
        WEFT_ASSERT_EQ(d.a, 2000L * t);
        WEFT_ASSERT_EQ(d.unnamed, 4000L * t);
        WEFT_ASSERT_EQ(d.b, 6000L * t);
    }
    WEFT_ASSERT_TRUE(crit_a_file1 == crit_a_file2);
    WEFT_ASSERT_TRUE(crit_a_file1 != crit_b && crit_b != crit_unnamed);
}

struct single_data {
    long ran[300];
    long who[4];
};

static void single_region(void *data, void *red) {
    struct single_data *d = data;
    (void)red;
    for (int i = 0; i < 300; i++) {
        unsigned flags = i % 3 == 0 ? WEFT_LOOP_NOWAIT : 0;
        if (WEFT_single_begin(&L)) {
            __atomic_fetch_add(&d->ran[i], 1, __ATOMIC_RELAXED);
            __atomic_fetch_add(&d->who[weft_thread_num()], 1, __ATOMIC_RELAXED);
        }
        WEFT_single_end(&L, flags);
    }
}

static void test_single(void) {
    for (int t = 1; t <= 4; t++)
        for (int rep = 0; rep < 20; rep++) {
            struct single_data d;
            memset(&d, 0, sizeof d);
            struct weft_region r = {&L, single_region, &d, t, 0, 0, NULL};
            WEFT_parallel(&r);
            long total = 0;
            for (int i = 0; i < 300; i++)
                if (d.ran[i] != 1)
                    WEFT_ASSERT_EQ(d.ran[i], 1);
            for (int i = 0; i < t; i++)
                total += d.who[i];
            WEFT_ASSERT_EQ(total, 300);
        }
    /* Outside a region the caller runs every single. */
    WEFT_ASSERT_EQ(WEFT_single_begin(&L), 1);
    WEFT_single_end(&L, 0);
}

enum { ON = 400 };
struct ord_data {
    long seq[ON];
    long pos;
    long work;
};

static void ord_body(void *data, uint64_t lo, uint64_t hi, void *red) {
    struct ord_data *d = data;
    (void)red;
    for (uint64_t k = lo; k < hi; k++) {
        __atomic_fetch_add(&d->work, 1, __ATOMIC_RELAXED); /* unordered part */
        WEFT_ordered_begin(&L, k);
        d->seq[d->pos++] = (long)k; /* plain: ordered serialises it */
        WEFT_ordered_end(&L, k);
    }
}

static void test_ordered(void) {
    const int kinds[] = {0, WEFT_SCHED_STATIC, WEFT_SCHED_DYNAMIC, WEFT_SCHED_GUIDED};
    const int64_t chunks[] = {0, 3, 1, 2};
    for (int t = 1; t <= 4; t++)
        for (int s = 0; s < 4; s++) {
            struct ord_data d;
            memset(&d, 0, sizeof d);
            struct weft_loop lp = {&L, ON, kinds[s], t, chunks[s], 0, WEFT_LOOP_ORDERED,
                                   ord_body, &d, NULL};
            WEFT_parallel_for(&lp);
            WEFT_ASSERT_EQ(d.pos, ON);
            WEFT_ASSERT_EQ(d.work, ON);
            int inorder = 1;
            for (long i = 0; i < ON; i++)
                inorder &= d.seq[i] == i;
            WEFT_ASSERT_TRUE(inorder);
        }
}

/* ordered in a `for` inside a region (work-share ring). */
static void ord_region(void *data, void *red) {
    (void)red;
    struct weft_loop lp = {&L, ON, WEFT_SCHED_DYNAMIC, 0, 2, 0, WEFT_LOOP_ORDERED, ord_body,
                           data, NULL};
    WEFT_for(&lp);
}

static void test_ordered_for(void) {
    struct ord_data d;
    memset(&d, 0, sizeof d);
    struct weft_region r = {&L, ord_region, &d, 3, 0, 0, NULL};
    WEFT_parallel(&r);
    WEFT_ASSERT_EQ(d.pos, ON);
    int inorder = 1;
    for (long i = 0; i < ON; i++)
        inorder &= d.seq[i] == i;
    WEFT_ASSERT_TRUE(inorder);
}

/* H31: orphaned ordered blocks (WEFT_ORDERED_CURRENT, in a function the
 * body calls) on iterations not divisible by 3; the others run none, and
 * every iteration then takes its end-of-iteration turn, as a chunk does. */
static void ord_orphan(struct ord_data *d, long v) {
    WEFT_ordered_begin(&L, WEFT_ORDERED_CURRENT);
    d->seq[d->pos++] = v; /* plain: ordered serialises it */
    WEFT_ordered_end(&L, WEFT_ORDERED_CURRENT);
}

static void ord_orphan_body(void *data, uint64_t lo, uint64_t hi, void *red) {
    struct ord_data *d = data;
    (void)red;
    for (uint64_t k = lo; k < hi; k++) {
        WEFT_ordered_iter(k);
        if (k % 3)
            ord_orphan(d, (long)k);
        __atomic_fetch_add(&d->work, 1, __ATOMIC_RELAXED);
        WEFT_ordered_begin(&L, k);
        WEFT_ordered_end(&L, k);
    }
}

static void test_ordered_orphan(void) {
    /* Outside any loop an orphaned block does not wait. */
    WEFT_ordered_begin(&L, WEFT_ORDERED_CURRENT);
    WEFT_ordered_end(&L, WEFT_ORDERED_CURRENT);
    const int kinds[] = {WEFT_SCHED_STATIC, WEFT_SCHED_DYNAMIC, WEFT_SCHED_GUIDED};
    for (int t = 1; t <= 4; t++)
        for (int s = 0; s < 3; s++) {
            struct ord_data d;
            memset(&d, 0, sizeof d);
            struct weft_loop lp = {&L, ON, kinds[s], t, 1, 0, WEFT_LOOP_ORDERED,
                                   ord_orphan_body, &d, NULL};
            WEFT_parallel_for(&lp);
            WEFT_ASSERT_EQ(d.work, ON);
            WEFT_ASSERT_EQ(d.pos, ON - (ON + 2) / 3);
            int inorder = 1;
            for (long i = 1; i < d.pos; i++)
                inorder &= d.seq[i - 1] < d.seq[i] && d.seq[i] % 3 != 0;
            WEFT_ASSERT_TRUE(inorder);
        }
}

struct atom_data {
    long double x;
};
static void atom_body(void *data, uint64_t lo, uint64_t hi, void *red) {
    struct atom_data *d = data;
    (void)red;
    for (uint64_t k = lo; k < hi; k++) {
        WEFT_atomic_begin();
        d->x += 0.5L;
        WEFT_atomic_end();
    }
}

static void test_atomic(void) {
    struct atom_data d = {0};
    struct weft_loop lp = {&L, 10000, WEFT_SCHED_DYNAMIC, 4, 16, 0, 0, atom_body, &d, NULL};
    WEFT_parallel_for(&lp);
    WEFT_ASSERT_DEQ(d.x, 5000.0L);
}

int main(void) {
    static const struct weft_cu_test tests[] = {{"critical", test_critical},
                                                {"single", test_single},
                                                {"ordered", test_ordered},
                                                {"ordered_for", test_ordered_for},
                                                {"ordered_orphan", test_ordered_orphan},
                                                {"atomic", test_atomic},
                                                {NULL, NULL}};
    return weft_cu_run("sync", tests);
}
