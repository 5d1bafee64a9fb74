/* This file handles the public NUMA and place API of weft.h: NUMA-aware
 * allocation (weft_alloc, weft_alloc_onnode, weft_free, weft_mem_domain)
 * and the place queries. Every allocation is one mapping whose first
 * page holds a header (magic, length, policy), so weft_free() alone can
 * release it, and whose data starts on the next page boundary, so the data
 * pages are placed by policy and never share a page with the header. */
#include "numa_alloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "affinity.h"
#include "topo.h"
#include "weft-internal.h"

/* "weftNUMA" in ASCII: tells weft_free() that a pointer is ours. */
#define NUMA_MAGIC 0x7765667441554d4eull

/* The header at the start of every mapping; the user pointer is
 * base + page_size. Written once by the allocating thread, read by
 * weft_free(). */
struct numa_hdr {
    uint64_t magic;
    size_t map_len; /* the whole mapping, header page included */
    size_t size;    /* what the caller asked for */
    int policy;     /* weft_mem_policy_t */
    int node;       /* domain for WEFT_MEM_BIND/LOCAL, else -1 */
    int bound;      /* 1 if the OS applied the policy */
};

static size_t page_size(void) {
    long p = sysconf(_SC_PAGESIZE);
    return p > 0 ? (size_t)p : 4096;
}

uint64_t weft__numa_touch_plan(size_t size, size_t page, int nthreads, int tid,
                               uint64_t *first, uint64_t *count) {
    *first = *count = 0;
    if (page == 0 || (page & (page - 1)) != 0 || nthreads < 1 || tid < 0 ||
        tid >= nthreads)
        return 0;
    uint64_t npages = (uint64_t)(size / page) + (size % page != 0);
    uint64_t T = (uint64_t)nthreads, t = (uint64_t)tid;
    uint64_t q = npages / T, r = npages % T;
    *first = t * q + (t < r ? t : r);
    *count = q + (t < r);
    return npages;
}

/* Capture block of the first-touch loop. */
struct touch {
    char *data;
    size_t page;
};

/* Outlined body of "for (p = 0; p < npages; p++) data[p * page] = 0;" run
 * with schedule(static): one write per page is what makes the kernel place
 * it on the writer's domain (the page is already zero). */
static void touch_pages(void *data, uint64_t lo, uint64_t hi, void *red) {
    const struct touch *c = data;
    for (uint64_t p = lo; p < hi; p++)
        ((volatile char *)c->data)[p * c->page] = 0;
}

static void *alloc_common(size_t size, int policy, int node, int *err) {
    int e = 0;
    void *user = NULL;
    const struct weft__topo *t = weft__topo_global();
    size_t page = page_size();
    if (size == 0 || size > SIZE_MAX - 2 * page) {
        e = size == 0 ? WEFT_EINVAL : WEFT_ENOMEM;
        goto out;
    }
    size_t data_len = (size + page - 1) / page * page;
    size_t map_len = data_len + page;
    enum weft__topo_mempol pol = WEFT__MEMPOL_DEFAULT;
    if (policy == WEFT_MEM_INTERLEAVE) {
        pol = WEFT__MEMPOL_INTERLEAVE;
    } else if (policy == WEFT_MEM_BIND || policy == WEFT_MEM_LOCAL) {
        pol = WEFT__MEMPOL_BIND;
        if (policy == WEFT_MEM_LOCAL)
            node = weft__topo_current_numa(t);
    }
    int bound = 0;
    char *base = weft__topo_alloc(t, map_len, pol, node, &bound, &e);
    if (!base)
        goto out;
    struct numa_hdr *h = (struct numa_hdr *)base;
    h->magic = NUMA_MAGIC;
    h->map_len = map_len;
    h->size = size;
    h->policy = policy;
    h->node = pol == WEFT__MEMPOL_BIND ? node : -1;
    h->bound = bound;
    user = base + page;
    if (policy == WEFT_MEM_FIRST_TOUCH_STATIC) {
        static const struct weft_loc loc = {__FILE__, "weft_alloc", __LINE__,
                                            1};
        struct touch cap = {user, page};
        struct weft_loop lp = {&loc,
                               data_len / page,
                               WEFT_SCHED_STATIC,
                               0,
                               0,
                               WEFT_BIND_UNSET,
                               0,
                               touch_pages,
                               &cap,
                               NULL};
        WEFT_parallel_for(&lp);
    }
out:
    if (err)
        *err = e;
    return user;
}

void *weft_alloc(size_t size, weft_mem_policy_t policy, int *err) {
    if (policy != WEFT_MEM_FIRST_TOUCH_STATIC &&
        policy != WEFT_MEM_INTERLEAVE && policy != WEFT_MEM_LOCAL) {
        if (err)
            *err = WEFT_EINVAL;
        return NULL;
    }
    return alloc_common(size, policy, -1, err);
}

void *weft_alloc_onnode(size_t size, int node, int *err) {
    if (node < 0 || node >= weft__topo_global()->nnumas) {
        if (err)
            *err = WEFT_EINVAL;
        return NULL;
    }
    return alloc_common(size, WEFT_MEM_BIND, node, err);
}

void weft_free(void *p) {
    if (!p)
        return;
    struct numa_hdr *h = (struct numa_hdr *)((char *)p - page_size());
    if (((uintptr_t)p & (page_size() - 1)) != 0 || h->magic != NUMA_MAGIC) {
        fprintf(stderr,
                "weft: fatal: weft_free(%p): not memory from "
                "weft_alloc()\n",
                p);
        abort();
    }
    h->magic = 0;
    weft__topo_free(weft__topo_global(), h, h->map_len);
}

int weft_mem_domain(const void *addr) {
    return weft__topo_mem_domain(weft__topo_global(), addr);
}

int weft_num_domains(void) { return weft__topo_global()->nnumas; }

/* The place queries run weft__init() first, so the environment strings
 * reach the affinity layer before its settings are built. */
int weft_num_places(void) {
    weft__init();
    return weft__affinity_global()->places.n;
}

int weft_place_num_procs(int place) {
    weft__init();
    return weft__places_count(&weft__affinity_global()->places, place);
}

void weft_place_proc_ids(int place, int *ids) {
    weft__init();
    const struct weft__places *pl = &weft__affinity_global()->places;
    for (int i = 0; i < weft__places_count(pl, place); i++)
        ids[i] = pl->pus[pl->off[place] + i];
}

int weft_place_num(void) { return weft__affinity_current_place(); }
