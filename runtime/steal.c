/* This file handles the work-stealing schedule: the pure steal order, and
 * the lock-free per-thread ranges. Each range is one 64-bit word holding
 * [lo, hi) in grains; the owner advances lo and thieves lower hi, both with
 * compare-and-swap on the same word, so a grain can leave a range only
 * once. */
#include "steal.h"

#include <errno.h>
#include <stdlib.h>

/* Sort key of one candidate victim for one thief. */
struct victim {
    int cls;            /* 0 same cache group, 1 same domain, 2 other */
    unsigned long dist; /* NUMA distance thief -> victim */
    int other_pkg;      /* 0 same package, 1 another */
    int ring;           /* (v - t) mod nthreads, 1 .. nthreads - 1 */
    int v;
};

static int cmp_victim(const void *pa, const void *pb) {
    const struct victim *a = pa, *b = pb;
    if (a->cls != b->cls)
        return a->cls - b->cls;
    if (a->dist != b->dist)
        return a->dist < b->dist ? -1 : 1;
    if (a->other_pkg != b->other_pkg)
        return a->other_pkg - b->other_pkg;
    return a->ring - b->ring;
}

int weft__steal_order(const struct weft__topo *t, const struct weft__places *pl,
                      const int *thread_place, int nthreads, int *order) {
    if (nthreads < 1)
        return -EINVAL;
    int m = nthreads - 1;
    if (!thread_place) {
        for (int i = 0; i < nthreads; i++)
            for (int k = 0; k < m; k++)
                order[i * m + k] = (i + 1 + k) % nthreads;
        return 0;
    }
    /* Locality of each thread: the PU of its place's first CPU. Small
     * teams (the common case) use the stack; larger ones the heap. */
    int pu_stack[64];
    struct victim vs_stack[64];
    int *pu =
        nthreads <= 64 ? pu_stack : malloc((size_t)nthreads * sizeof(int));
    struct victim *vs = nthreads <= 64
                            ? vs_stack
                            : malloc((size_t)(m > 0 ? m : 1) * sizeof(*vs));
    int rc = 0;
    if (!pu || !vs) {
        rc = -ENOMEM;
        goto out;
    }
    for (int i = 0; i < nthreads; i++) {
        int p = thread_place[i];
        if (p < 0 || p >= pl->n || weft__places_count(pl, p) < 1) {
            rc = -EINVAL;
            goto out;
        }
        pu[i] = weft__topo_pu_of_os(t, pl->pus[pl->off[p]]);
        if (pu[i] < 0) {
            rc = -EINVAL;
            goto out;
        }
    }
    for (int i = 0; i < nthreads; i++) {
        const struct weft__topo_pu *me = &t->pu[pu[i]];
        for (int k = 0; k < m; k++) {
            int v = (i + 1 + k) % nthreads;
            const struct weft__topo_pu *o = &t->pu[pu[v]];
            vs[k].v = v;
            vs[k].ring = k + 1;
            vs[k].cls = o->llc == me->llc ? 0 : o->numa == me->numa ? 1 : 2;
            vs[k].dist = vs[k].cls == 2
                             ? weft__topo_numa_distance(t, me->numa, o->numa)
                             : 0;
            vs[k].other_pkg = vs[k].cls == 2 && o->package != me->package;
        }
        qsort(vs, (size_t)m, sizeof(*vs), cmp_victim);
        for (int k = 0; k < m; k++)
            order[i * m + k] = vs[k].v;
    }
out:
    if (pu != pu_stack)
        free(pu);
    if (vs != vs_stack)
        free(vs);
    return rc;
}

int weft__steal_order_team(const struct weft__bind_slot *plan, int nthreads,
                           int *order) {
    if (!plan || nthreads < 1)
        return weft__steal_order(NULL, NULL, NULL, nthreads, order);
    const struct weft__affinity *a = weft__affinity_global();
    int stack[64];
    int *tp = nthreads <= 64 ? stack : malloc((size_t)nthreads * sizeof(int));
    if (!tp)
        return -ENOMEM;
    for (int i = 0; i < nthreads; i++)
        tp[i] = plan[i].place;
    int rc = weft__steal_order(a->topo, &a->places, tp, nthreads, order);
    if (tp != stack)
        free(tp);
    return rc;
}

int weft__steal_order_update(const struct weft__bind_slot *plan, int nthreads,
                             int *order, uint64_t *sig) {
    uint64_t h = 1469598103934665603ull ^ (uint64_t)(unsigned)nthreads;
    for (int i = 0; plan && i < nthreads; i++)
        h = (h ^ (uint64_t)(unsigned)(plan[i].place + 1)) * 1099511628211ull;
    h |= 1; /* never 0, the "nothing computed" value */
    if (h == *sig)
        return 0;
    *sig = 0;
    int rc = weft__steal_order_team(plan, nthreads, order);
    if (rc == 0)
        *sig = h;
    return rc;
}

static inline uint64_t pack(uint32_t lo, uint32_t hi) {
    return ((uint64_t)lo << 32) | hi;
}

void weft__steal_init(struct weft__steal *s, struct weft__steal_slot *slots,
                      const int *order, uint64_t n, int64_t chunk,
                      int nthreads) {
    uint64_t grain;
    if (chunk > 0) {
        grain = (uint64_t)chunk;
    } else {
        grain = n / ((uint64_t)nthreads * 64u);
        if (grain == 0)
            grain = 1;
    }
    /* Grain numbers live in 32 bits: ngrains must stay below 2^32, so a
     * huge loop uses coarser grains. n / grain < 2^32 - 1 also keeps the
     * round-up below from overflowing. */
    const uint64_t max_grains = UINT32_MAX - 1u;
    if (n / grain >= max_grains)
        grain = n / max_grains + 1;
    s->n = n;
    s->grain = grain;
    s->ngrains = (uint32_t)(n / grain + (n % grain != 0));
    s->nthreads = nthreads;
    s->order = order;
    s->slots = slots;
    /* Static blocks of grains, the first ngrains mod nthreads one longer. */
    uint32_t q = s->ngrains / (uint32_t)nthreads;
    uint32_t r = s->ngrains % (uint32_t)nthreads;
    for (int t = 0; t < nthreads; t++) {
        uint32_t ut = (uint32_t)t;
        uint32_t lo = ut * q + (ut < r ? ut : r);
        uint32_t hi = lo + q + (ut < r);
        /* Relaxed: the fork (or a barrier) that starts the team publishes
         * these stores to the threads. */
        weft__store(&slots[t].range, pack(lo, hi), WEFT__RELAXED);
    }
}

/* Grain g as an iteration range; the last grain may be short. */
static void grain_range(const struct weft__steal *s, uint32_t g, uint64_t *lo,
                        uint64_t *hi) {
    *lo = (uint64_t)g * s->grain;
    *hi = *lo + s->grain < s->n ? *lo + s->grain : s->n;
}

int weft__steal_next(struct weft__steal *s, int tid, uint64_t *lo,
                     uint64_t *hi) {
    weft__atomic_u64 *mine = &s->slots[tid].range;
    /* Own range first. Relaxed ordering suffices throughout: the only shared
     * data is the range word itself, and a CAS on one word is atomic in any
     * order; the loop body's data is published by the end-of-loop barrier. */
    uint64_t v = weft__load(mine, WEFT__RELAXED);
    for (;;) {
        uint32_t a = (uint32_t)(v >> 32), b = (uint32_t)v;
        if (a >= b)
            break;
        if (weft__cas_weak(mine, &v, pack(a + 1, b), WEFT__RELAXED,
                           WEFT__RELAXED)) {
            grain_range(s, a, lo, hi);
            return 1;
        }
    }
    /* Steal: the back half (rounded up) of the first victim with work. The
     * thief runs the first stolen grain now and keeps the rest as its own
     * range. Its own slot is empty here, and thieves never write an empty
     * slot, so a plain store is safe: a thief that read this slot earlier
     * holds a non-empty old value, which cannot equal the new one because
     * every grain is handed out once (no ABA). */
    int m = s->nthreads - 1;
    for (int k = 0; k < m; k++) {
        int victim =
            s->order ? s->order[tid * m + k] : (tid + 1 + k) % s->nthreads;
        weft__atomic_u64 *vr = &s->slots[victim].range;
        uint64_t w = weft__load(vr, WEFT__RELAXED);
        for (;;) {
            uint32_t a = (uint32_t)(w >> 32), b = (uint32_t)w;
            if (a >= b)
                break;
            uint32_t take = (b - a + 1) / 2;
            uint32_t cut = b - take;
            if (weft__cas_weak(vr, &w, pack(a, cut), WEFT__RELAXED,
                               WEFT__RELAXED)) {
                weft__store(mine, pack(cut + 1, b), WEFT__RELAXED);
                grain_range(s, cut, lo, hi);
                return 1;
            }
        }
    }
    return 0;
}
