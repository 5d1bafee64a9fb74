/* This file handles the CUnit suite for the OpenMP 5.0 routines that H30
 * added to include/omp.h from the OpenMP Examples sweep: memory allocators
 * (traits, pools, fallbacks, default allocator), place partitions and
 * proc_bind, the affinity format routines, the host-only device and teams
 * queries and ICVs, host-device memory routines, omp_pause_resource and
 * locks with hints. It links the shared
 * library, as user programs do. */
#include <omp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <weft/abi.h>

#include "cunit_ext.h"

static const struct weft_loc L = {"test_omp_api.c", "f", 1, 1};

static void test_alloc_default(void) {
    char *p = omp_alloc(100, omp_default_mem_alloc);
    WEFT_ASSERT_TRUE(p != NULL);
    WEFT_ASSERT_EQ((uintptr_t)p % _Alignof(max_align_t), 0);
    memset(p, 7, 100);
    omp_free(p, omp_default_mem_alloc);
    WEFT_ASSERT_TRUE(omp_alloc(0, omp_default_mem_alloc) == NULL);
    /* Every predefined allocator gives ordinary memory. */
    for (int a = omp_default_mem_alloc; a <= omp_thread_mem_alloc; a++) {
        void *q = omp_aligned_alloc(256, 10, (omp_allocator_handle_t)a);
        WEFT_ASSERT_TRUE(q != NULL);
        WEFT_ASSERT_EQ((uintptr_t)q % 256, 0);
        omp_free(q, (omp_allocator_handle_t)a);
    }
    WEFT_ASSERT_TRUE(omp_aligned_alloc(24, 10, omp_default_mem_alloc) == NULL);
    int *z = omp_calloc(50, sizeof(int), omp_null_allocator);
    WEFT_ASSERT_TRUE(z != NULL);
    int sum = 0;
    for (int i = 0; i < 50; i++)
        sum += z[i];
    WEFT_ASSERT_EQ(sum, 0);
    for (int i = 0; i < 50; i++)
        z[i] = i;
    z = omp_realloc(z, 80 * sizeof(int), omp_default_mem_alloc,
                    omp_default_mem_alloc);
    WEFT_ASSERT_TRUE(z != NULL);
    sum = 0;
    for (int i = 0; i < 50; i++)
        sum += z[i];
    WEFT_ASSERT_EQ(sum, 49 * 50 / 2);
    WEFT_ASSERT_TRUE(omp_realloc(z, 0, omp_default_mem_alloc,
                                 omp_default_mem_alloc) == NULL);
    WEFT_ASSERT_TRUE(omp_calloc(SIZE_MAX / 2, 4, omp_default_mem_alloc) ==
                     NULL);
}

static void test_alloc_traits(void) {
    omp_alloctrait_t al[2] = {{omp_atk_alignment, 128},
                              {omp_atk_access, omp_atv_all}};
    omp_allocator_handle_t a = omp_init_allocator(omp_high_bw_mem_space, 2, al);
    WEFT_ASSERT_TRUE(a != omp_null_allocator);
    for (int i = 0; i < 4; i++) {
        void *p = omp_alloc((size_t)(i * 37 + 1), a);
        WEFT_ASSERT_TRUE(p != NULL);
        WEFT_ASSERT_EQ((uintptr_t)p % 128, 0);
        omp_free(p, a);
    }
    omp_destroy_allocator(a);

    omp_alloctrait_t bad[1] = {{omp_atk_alignment, 48}};
    WEFT_ASSERT_TRUE(omp_init_allocator(omp_default_mem_space, 1, bad) ==
                     omp_null_allocator);
    omp_alloctrait_t badfb[1] = {{omp_atk_fallback, omp_atv_allocator_fb}};
    WEFT_ASSERT_TRUE(omp_init_allocator(omp_default_mem_space, 1, badfb) ==
                     omp_null_allocator);
    WEFT_ASSERT_TRUE(omp_init_allocator((omp_memspace_handle_t)99, 0, NULL) ==
                     omp_null_allocator);

    /* A pool of 1000 bytes with null_fb: the second 600-byte block fails
     * until the first is freed. */
    omp_alloctrait_t pool[2] = {{omp_atk_pool_size, 1000},
                                {omp_atk_fallback, omp_atv_null_fb}};
    omp_allocator_handle_t p =
        omp_init_allocator(omp_default_mem_space, 2, pool);
    WEFT_ASSERT_TRUE(p != omp_null_allocator);
    void *b1 = omp_alloc(600, p);
    WEFT_ASSERT_TRUE(b1 != NULL);
    WEFT_ASSERT_TRUE(omp_alloc(600, p) == NULL);
    omp_free(b1, p);
    void *b2 = omp_alloc(600, p);
    WEFT_ASSERT_TRUE(b2 != NULL);

    /* allocator_fb: the same request goes to the fallback allocator. */
    omp_alloctrait_t chain[3] = {{omp_atk_pool_size, 1000},
                                 {omp_atk_fallback, omp_atv_allocator_fb},
                                 {omp_atk_fb_data, (omp_uintptr_t)p}};
    omp_allocator_handle_t c =
        omp_init_allocator(omp_default_mem_space, 3, chain);
    WEFT_ASSERT_TRUE(c != omp_null_allocator);
    void *c1 = omp_alloc(900, c); /* from c */
    void *c2 = omp_alloc(300, c); /* c is full: from p, which has 400 left */
    void *c3 = omp_alloc(300, c); /* neither: p's null_fb */
    WEFT_ASSERT_TRUE(c1 != NULL);
    WEFT_ASSERT_TRUE(c2 != NULL);
    WEFT_ASSERT_TRUE(c3 == NULL);
    omp_free(c2, c);
    WEFT_ASSERT_TRUE((c3 = omp_alloc(300, p)) != NULL);
    omp_free(c3, p);
    omp_free(c1, c);
    omp_free(b2, p);
    omp_destroy_allocator(c);

    /* default_mem_fb (the default): a full pool falls back to memory. */
    omp_alloctrait_t small[1] = {{omp_atk_pool_size, 10}};
    omp_allocator_handle_t s =
        omp_init_allocator(omp_default_mem_space, 1, small);
    void *big = omp_alloc(1000, s);
    WEFT_ASSERT_TRUE(big != NULL);
    omp_free(big, s);
    omp_destroy_allocator(s);
    omp_destroy_allocator(p);
}

struct defs {
    omp_allocator_handle_t seen[8];
};

static void def_region(void *data, void *red) {
    struct defs *d = data;
    (void)red;
    int me = omp_get_thread_num();
    /* def-allocator-var is per thread: each thread sees its own setting. */
    omp_set_default_allocator(me == 1 ? omp_low_lat_mem_alloc
                                      : omp_default_mem_alloc);
    WEFT_barrier(&L);
    if (me < 8)
        d->seen[me] = omp_get_default_allocator();
    void *p = omp_alloc(16, omp_null_allocator);
    if (p && me < 8 && (uintptr_t)p % _Alignof(max_align_t) != 0)
        d->seen[me] = omp_null_allocator;
    omp_free(p, omp_null_allocator);
}

static void test_alloc_default_var(void) {
    WEFT_ASSERT_EQ(omp_get_default_allocator(), omp_default_mem_alloc);
    struct defs d;
    memset(&d, 0, sizeof d);
    struct weft_region r = {&L, def_region, &d, 2, 0, 0, NULL};
    WEFT_parallel(&r);
    WEFT_ASSERT_EQ(d.seen[0], omp_default_mem_alloc);
    WEFT_ASSERT_EQ(d.seen[1], omp_low_lat_mem_alloc);
}

static void test_places(void) {
    int n = omp_get_num_places();
    WEFT_ASSERT_GE(n, 1);
    /* Unbound (no OMP_PLACES/OMP_PROC_BIND in this test): the partition
     * is the whole place list. */
    WEFT_ASSERT_EQ(omp_get_partition_num_places(), n);
    int *nums = calloc((size_t)n, sizeof *nums);
    omp_get_partition_place_nums(nums);
    for (int i = 0; i < n; i++)
        WEFT_ASSERT_EQ(nums[i], i);
    free(nums);
    WEFT_ASSERT_EQ(omp_get_proc_bind(), omp_proc_bind_false);
}

struct cap {
    char line[8][64];
    size_t len[8];
};

static void cap_region(void *data, void *red) {
    struct cap *c = data;
    (void)red;
    int me = omp_get_thread_num();
    if (me < 8)
        c->len[me] =
            omp_capture_affinity(c->line[me], sizeof c->line[me],
                                 "%0.4n|%.3N|%{nesting_level}|%-|%%|%3L|%T%t");
}

static void test_affinity_format(void) {
    char buf[256];
    size_t n = omp_get_affinity_format(buf, sizeof buf);
    WEFT_ASSERT_EQ(n, strlen(buf));
    WEFT_ASSERT_GE(n, 1);
    omp_set_affinity_format("T%n of %N");
    WEFT_ASSERT_EQ(omp_get_affinity_format(buf, 4), 9);
    WEFT_ASSERT_STREQ(buf, "T%n");
    WEFT_ASSERT_EQ(omp_capture_affinity(buf, sizeof buf, NULL), 7);
    WEFT_ASSERT_STREQ(buf, "T0 of 1");
    struct cap c;
    memset(&c, 0, sizeof c);
    struct weft_region r = {&L, cap_region, &c, 3, 0, 0, NULL};
    WEFT_parallel(&r);
    WEFT_ASSERT_STREQ(c.line[0], "0000|  3|1|%-|%|1  |10");
    WEFT_ASSERT_STREQ(c.line[2], "0002|  3|1|%-|%|1  |10");
    WEFT_ASSERT_EQ(c.len[1], strlen("0001|  3|1|%-|%|1  |10"));
    /* Truncation still reports the full length. */
    char tiny[5];
    WEFT_ASSERT_EQ(omp_capture_affinity(tiny, sizeof tiny, "%P-%H-%i-%A"),
                   omp_capture_affinity(NULL, 0, "%P-%H-%i-%A"));
    WEFT_ASSERT_EQ(strlen(tiny), 4);
}

static void test_host_only(void) {
    WEFT_ASSERT_EQ(omp_get_num_devices(), 0);
    WEFT_ASSERT_EQ(omp_is_initial_device(), 1);
    WEFT_ASSERT_EQ(omp_get_initial_device(), omp_get_num_devices());
    WEFT_ASSERT_EQ(omp_get_device_num(), omp_get_initial_device());
    WEFT_ASSERT_EQ(omp_get_num_teams(), 1);
    WEFT_ASSERT_EQ(omp_get_team_num(), 0);
    WEFT_ASSERT_EQ(omp_pause_resource(omp_pause_soft, omp_get_initial_device()),
                   0);
    WEFT_ASSERT_NE(omp_pause_resource(omp_pause_hard, 5), 0);
    WEFT_ASSERT_EQ(omp_pause_resource_all(omp_pause_hard), 0);
    omp_lock_t l;
    omp_init_lock_with_hint(&l, omp_sync_hint_contended);
    omp_set_lock(&l);
    WEFT_ASSERT_EQ(omp_test_lock(&l), 0);
    omp_unset_lock(&l);
    omp_destroy_lock(&l);
    omp_nest_lock_t nl;
    omp_init_nest_lock_with_hint(&nl, omp_lock_hint_speculative);
    WEFT_ASSERT_EQ(omp_test_nest_lock(&nl), 1);
    WEFT_ASSERT_EQ(omp_test_nest_lock(&nl), 2);
    omp_unset_nest_lock(&nl);
    omp_unset_nest_lock(&nl);
    omp_destroy_nest_lock(&nl);
}

static void test_teams_and_target(void) {
    WEFT_ASSERT_EQ(omp_get_max_teams(), 0);
    omp_set_num_teams(4);
    omp_set_num_teams(-2); /* ignored */
    WEFT_ASSERT_EQ(omp_get_max_teams(), 4);
    omp_set_teams_thread_limit(8);
    WEFT_ASSERT_EQ(omp_get_teams_thread_limit(), 8);

    int host = omp_get_initial_device();
    WEFT_ASSERT_TRUE(omp_target_alloc(64, host + 1) == NULL);
    int *a = omp_target_alloc(12 * sizeof(int), host);
    int b[12];
    WEFT_ASSERT_TRUE(a != NULL);
    WEFT_ASSERT_EQ(omp_target_is_present(a, host), 1);
    WEFT_ASSERT_EQ(omp_target_is_present(a, host + 1), 0);
    for (int i = 0; i < 12; i++)
        b[i] = i * i;
    WEFT_ASSERT_EQ(omp_target_memcpy(a, b, 4 * sizeof(int), sizeof(int),
                                     2 * sizeof(int), host, host),
                   0);
    WEFT_ASSERT_EQ(a[1], 4);
    WEFT_ASSERT_EQ(a[4], 25);
    WEFT_ASSERT_NE(omp_target_memcpy(a, b, 4, 0, 0, host, host + 1), 0);
    /* A 2x3 block at (1,1) of a 3x4 array into (0,1) of another 3x4. */
    size_t vol[2] = {2, 3}, so[2] = {1, 1}, dof[2] = {0, 1}, dims[2] = {3, 4};
    for (int i = 0; i < 12; i++)
        a[i] = -1;
    WEFT_ASSERT_EQ(omp_target_memcpy_rect(a, b, sizeof(int), 2, vol, dof, so,
                                          dims, dims, host, host),
                   0);
    WEFT_ASSERT_EQ(a[0], -1);
    WEFT_ASSERT_EQ(a[1], b[5]);
    WEFT_ASSERT_EQ(a[3], b[7]);
    WEFT_ASSERT_EQ(a[5], b[9]);
    WEFT_ASSERT_EQ(a[7], b[11]);
    WEFT_ASSERT_EQ(a[8], -1);
    WEFT_ASSERT_GE(omp_target_memcpy_rect(NULL, NULL, 0, 0, NULL, NULL, NULL,
                                          NULL, NULL, host, host),
                   3);
    WEFT_ASSERT_NE(omp_target_associate_ptr(b, a, sizeof b, 0, host), 0);
    WEFT_ASSERT_NE(omp_target_disassociate_ptr(b, host), 0);
    omp_target_free(a, host);
}

int main(void) {
    static const struct weft_cu_test tests[] = {
        {"alloc_default", test_alloc_default},
        {"alloc_traits", test_alloc_traits},
        {"alloc_default_var", test_alloc_default_var},
        {"places", test_places},
        {"affinity_format", test_affinity_format},
        {"host_only", test_host_only},
        {"teams_and_target", test_teams_and_target},
        {NULL, NULL}};
    return weft_cu_run("omp_api", tests);
}
