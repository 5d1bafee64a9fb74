/* This file handles reductions: grow-only buffers of padded per-thread
 * partials, the in-order combine after a construct, and the reduction of a
 * loop run by a team of one. No per-iteration atomics or locks: each
 * thread folds into its own partial, on its own cache lines. */
#include <stdint.h>

#include "weft-internal.h"

/* Alignment unit of partials: the requested alignment, at least a line. */
static size_t red_unit(const struct weft_reduction *r,
                       const struct weft_loc *loc) {
    size_t align = r->align ? r->align : 16;
    if (align & (align - 1))
        weft__fatal(loc, "reduction alignment %zu is not a power of two",
                    align);
    return align > WEFT_CACHE_LINE ? align : WEFT_CACHE_LINE;
}

static size_t red_stride(const struct weft_reduction *r, size_t unit,
                         const struct weft_loc *loc) {
    if (r->size > SIZE_MAX - unit)
        weft__fatal(loc, "reduction partial of %zu bytes is too large",
                    r->size);
    size_t s = (r->size + unit - 1) / unit * unit;
    return s ? s : unit;
}

void weft__redbuf_prepare(struct weft__redbuf *b,
                          const struct weft_reduction *r, unsigned nthreads,
                          const struct weft_loc *loc) {
    if (!weft__red_usable(r))
        weft__fatal(loc, "reduction without init, combine or fini function "
                         "or a valid built-in table");
    size_t unit = red_unit(r, loc);
    size_t stride = red_stride(r, unit, loc);
    if (stride > SIZE_MAX / nthreads)
        weft__fatal(
            loc, "reduction partials of %zu bytes x %u threads are too large",
            stride, nthreads);
    size_t need = stride * nthreads;
    /* Grow-only: the hot path reuses the buffer; it is replaced only when
     * too small or not aligned enough for this reduction. */
    if (need > b->bytes || ((uintptr_t)b->p & (unit - 1)) != 0) {
        weft__free(b->p);
        b->p = weft__aligned_alloc(unit, need);
        b->bytes = need;
    }
    b->stride = stride;
}

void weft__redbuf_release(struct weft__redbuf *b) {
    weft__free(b->p);
    b->p = NULL;
    b->bytes = b->stride = 0;
}

void weft__reduce_finish(const struct weft_reduction *r, void *data,
                         const struct weft__redbuf *b, unsigned nthreads) {
    void *into = weft__redbuf_slot(b, 0);
    /* Thread order, so a given schedule always combines the same way
     * (floating-point results are reproducible run to run). */
    for (unsigned t = 1; t < nthreads; t++)
        weft__red_combine(r, data, into, weft__redbuf_slot(b, t));
    weft__red_fini(r, data, into);
}

void weft__reduce_serial_loop(const struct weft_loop *lp) {
    const struct weft_reduction *r = lp->red;
    if (!weft__red_usable(r))
        weft__fatal(lp->loc, "reduction without init, combine or fini "
                             "function or a valid built-in table");
    size_t unit = red_unit(r, lp->loc);
    size_t stride = red_stride(r, unit, lp->loc);
    alignas(WEFT_CACHE_LINE) unsigned char buf[WEFT_SERIAL_RED_STACK];
    void *slot = stride <= sizeof buf && unit <= WEFT_CACHE_LINE
                     ? (void *)buf
                     : weft__aligned_alloc(unit, stride);
    weft__red_init(r, lp->data, slot);
    if (lp->n)
        lp->body(lp->data, 0, lp->n, slot);
    weft__red_fini(r, lp->data, slot);
    if (slot != (void *)buf)
        weft__free(slot);
}

int weft__red_usable(const struct weft_reduction *r) {
    if (r->init)
        return r->combine && r->fini;
    return !r->combine && !r->fini && weft__red_table_valid(r);
}

void weft__red_init(const struct weft_reduction *r, void *data, void *slot) {
    if (r->init)
        r->init(data, slot);
    else
        weft__red_table_init(r, data, slot);
}

void weft__red_combine(const struct weft_reduction *r, void *data, void *into,
                       const void *from) {
    if (r->combine)
        r->combine(data, into, from);
    else
        weft__red_table_combine(r, data, into, from);
}

void weft__red_fini(const struct weft_reduction *r, void *data, void *slot) {
    if (r->fini) {
        r->fini(data, slot);
        return;
    }
    /* A construct nested in an outlined body may finish while a sibling
     * team finishes into the same originals: the generated fini took this
     * lock itself, the table's takes it here. */
    if (r->flags & WEFT_RED_LOCKED)
        WEFT_atomic_begin();
    weft__red_table_fini(r, data, slot);
    if (r->flags & WEFT_RED_LOCKED)
        WEFT_atomic_end();
}
