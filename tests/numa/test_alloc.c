/* This file handles the tests of NUMA-aware allocation: the pure first-touch
 * plan, then weft_alloc/weft_alloc_onnode/weft_free with every policy on the
 * running machine (zeroed, page-aligned, usable, placed where the OS can
 * tell), through the full runtime (FIRST_TOUCH_STATIC forks a team). */
#include "numa_alloc.h"
#include "numa_test.h"
#include "weft.h"

#include <errno.h>
#include <stdint.h>
#include <unistd.h>

static void test_touch_plan(void) {
    uint64_t first, count;
    /* 10 pages over 4 threads: 3, 3, 2, 2. */
    NT_EQ(weft__numa_touch_plan(10 * 4096, 4096, 4, 0, &first, &count), 10);
    NT_EQ(first, 0);
    NT_EQ(count, 3);
    NT_EQ(weft__numa_touch_plan(10 * 4096, 4096, 4, 2, &first, &count), 10);
    NT_EQ(first, 6);
    NT_EQ(count, 2);
    /* A partial last page counts as a page. */
    NT_EQ(weft__numa_touch_plan(4096 + 1, 4096, 2, 1, &first, &count), 2);
    NT_EQ(first, 1);
    NT_EQ(count, 1);
    /* More threads than pages: the last threads touch nothing. */
    NT_EQ(weft__numa_touch_plan(2 * 4096, 4096, 4, 3, &first, &count), 2);
    NT_EQ(count, 0);
    /* Bad arguments. */
    NT_EQ(weft__numa_touch_plan(4096, 3000, 2, 0, &first, &count), 0);
    NT_EQ(weft__numa_touch_plan(4096, 4096, 0, 0, &first, &count), 0);
    NT_EQ(weft__numa_touch_plan(4096, 4096, 2, 2, &first, &count), 0);
    /* Sweep: blocks tile the pages and differ by at most one. */
    for (int T = 1; T <= 9; T++)
        for (size_t pages = 0; pages <= 40; pages++) {
            uint64_t next = 0, mn = UINT64_MAX, mx = 0;
            for (int t = 0; t < T; t++) {
                weft__numa_touch_plan(pages * 4096, 4096, T, t, &first, &count);
                CU_ASSERT(first == next);
                next = first + count;
                mn = count < mn ? count : mn;
                mx = count > mx ? count : mx;
            }
            CU_ASSERT(next == pages);
            CU_ASSERT(mx - mn <= 1);
        }
}

/* Checks a fresh allocation: aligned, zero, writable, domain sane. */
static void check_block(char *p, size_t size) {
    CU_ASSERT_FATAL(p != NULL);
    long page = sysconf(_SC_PAGESIZE);
    NT_EQ((uintptr_t)p % (uintptr_t)page, 0);
    size_t nonzero = 0;
    for (size_t i = 0; i < size; i++)
        nonzero += p[i] != 0;
    NT_EQ(nonzero, 0);
    memset(p, 0xab, size);
    NT_EQ((unsigned char)p[size - 1], 0xab);
    int d = weft_mem_domain(p);
    /* Real system: a touched page has a domain. HWLOC_SYNTHETIC runs:
     * the query is refused. */
    NT_TRUE((d >= 0 && d < weft_num_domains()) || d == WEFT_ENOTSUP);
}

static void test_policies(void) {
    size_t size = 64 * 4096 + 123;
    int err = 1;
    char *p = weft_alloc(size, WEFT_MEM_FIRST_TOUCH_STATIC, &err);
    NT_EQ(err, 0);
    CU_ASSERT_FATAL(p != NULL);
    /* The team touched every page: each is backed before the caller
     * reads any (untouched pages report WEFT_ENOENT, see test_errors). */
    int unbacked = 0;
    for (size_t off = 0; off < size; off += 4096) {
        int d = weft_mem_domain(p + off);
        unbacked += !(d >= 0 || d == WEFT_ENOTSUP);
    }
    NT_EQ(unbacked, 0);
    check_block(p, size);
    weft_free(p);

    p = weft_alloc(size, WEFT_MEM_INTERLEAVE, &err);
    NT_EQ(err, 0);
    check_block(p, size);
    weft_free(p);

    p = weft_alloc(100, WEFT_MEM_LOCAL, &err);
    NT_EQ(err, 0);
    check_block(p, 100);
    weft_free(p);

    for (int node = 0; node < weft_num_domains(); node++) {
        p = weft_alloc_onnode(size, node, &err);
        NT_EQ(err, 0);
        check_block(p, size);
        int d = weft_mem_domain(p);
        NT_TRUE(d == node || d == WEFT_ENOTSUP);
        weft_free(p);
    }
    weft_free(NULL);
}

static void test_errors(void) {
    int err = 0;
    NT_TRUE(weft_alloc(0, WEFT_MEM_INTERLEAVE, &err) == NULL);
    NT_EQ(err, WEFT_EINVAL);
    NT_TRUE(weft_alloc(4096, WEFT_MEM_BIND, &err) == NULL);
    NT_EQ(err, WEFT_EINVAL);
    NT_TRUE(weft_alloc(4096, (weft_mem_policy_t)42, NULL) == NULL);
    NT_TRUE(weft_alloc_onnode(4096, weft_num_domains(), &err) == NULL);
    NT_EQ(err, WEFT_EINVAL);
    NT_TRUE(weft_alloc_onnode(4096, -1, &err) == NULL);
    NT_EQ(err, WEFT_EINVAL);
    NT_TRUE(weft_alloc(SIZE_MAX - 10, WEFT_MEM_INTERLEAVE, &err) == NULL);
    NT_EQ(err, WEFT_ENOMEM);
    /* An untouched page has no domain yet (real system), or the query is
     * refused (synthetic topology). */
    char *p = weft_alloc(4 * 4096, WEFT_MEM_INTERLEAVE, &err);
    CU_ASSERT_FATAL(p != NULL);
    int d = weft_mem_domain(p + 3 * 4096);
    NT_TRUE(d == WEFT_ENOENT || d == WEFT_ENOTSUP);
    p[3 * 4096] = 1;
    d = weft_mem_domain(p + 3 * 4096);
    NT_TRUE((d >= 0 && d < weft_num_domains()) || d == WEFT_ENOTSUP);
    weft_free(p);
}

/* The public place queries see the same list as the runtime. */
static void test_place_queries(void) {
    int n = weft_num_places();
    NT_TRUE(n >= 1);
    int total = 0, ids[1024];
    for (int p = 0; p < n; p++) {
        int k = weft_place_num_procs(p);
        NT_TRUE(k >= 1 && k <= 1024);
        weft_place_proc_ids(p, ids);
        for (int i = 1; i < k; i++)
            NT_TRUE(ids[i] > ids[i - 1]);
        total += k;
    }
    /* Default places (cores) cover every PU of the topology once. */
    NT_EQ(total, weft__topo_global()->npus);
    NT_EQ(weft_place_num_procs(-1), 0);
    NT_EQ(weft_place_num_procs(n), 0);
    NT_EQ(weft_place_num(), -1); /* no team has bound this thread */
}

int main(void) {
    static const struct nt_case cases[] = {
        {"touch_plan", test_touch_plan},
        {"policies", test_policies},
        {"errors", test_errors},
        {"place_queries", test_place_queries},
        {NULL, NULL},
    };
    return nt_run("numa_alloc", cases);
}
