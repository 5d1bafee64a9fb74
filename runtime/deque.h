/* This file handles the per-thread work-stealing deque of explicit tasks:
 * a Chase-Lev deque (Chase and Lev, SPAA 2005) with the C11 memory orders
 * of Le, Pop, Cohen and Zappa Nardelli (PPoPP 2013). The owner pushes and
 * takes at the bottom (LIFO, cache-warm), thieves steal at the top (FIFO,
 * the oldest and usually biggest tasks). */
#ifndef WEFT_DEQUE_H
#define WEFT_DEQUE_H

#include <stdalign.h>
#include <stdint.h>

#include "arch/atomic.h"
#include "config.h"

#ifndef WEFT_INTERNAL
#define WEFT_INTERNAL __attribute__((visibility("hidden")))
#endif

/* One circular buffer of the deque. Index i lives in buf[i & mask]. A
 * buffer that the owner outgrows is retired, not freed: a thief may still
 * read it (it loaded the pointer before the swap), and every entry it can
 * still claim there is identical in the new buffer. Retired buffers are
 * freed with the deque. */
struct weft__deque_buf {
    int64_t mask;                    /* capacity - 1; capacity is 2^k */
    struct weft__deque_buf *retired; /* older buffer, owner only */
    _Atomic(void *) buf[];           /* relaxed: the top/bottom protocol
                                        orders every access */
};

/* Caller-allocated. top is written by thieves (CAS) and by the owner when
 * it takes the last entry; bottom is written by the owner only. They sit on
 * different lines so that a thief polling top does not steal the line the
 * owner writes on every push. top_seen is the owner's private copy of the
 * last top it loaded: top only grows, so bottom - top_seen bounds the size
 * from above, and the owner reloads top (a line thieves write, a cache
 * miss after every steal) only when that bound is not good enough. */
struct weft__deque {
    alignas(WEFT_CACHE_LINE) _Atomic int64_t top;
    alignas(WEFT_CACHE_LINE) _Atomic int64_t bottom;
    _Atomic(struct weft__deque_buf *) cur;
    int64_t top_seen; /* owner only */
    unsigned recheck; /* owner only: weft__deque_has calls until it looks
                         at top again while the deque looks full */
};

/* Empty deque with room for 2^log2cap entries before it grows. Owner
 * thread (or before any other thread can see the deque). */
WEFT_INTERNAL void weft__deque_init(struct weft__deque *d, unsigned log2cap);
/* Frees the buffers. No thread may use the deque any more. */
WEFT_INTERNAL void weft__deque_destroy(struct weft__deque *d);
/* Owner only: the buffer is full, replace it by one twice as big holding
 * [top, bottom). Returns the new buffer. */
WEFT_INTERNAL struct weft__deque_buf *
weft__deque_grow(struct weft__deque *d, struct weft__deque_buf *a, int64_t t,
                 int64_t b);

/* Owner only: pushes x at the bottom. Everything the owner wrote before
 * the push (the task's contents) is visible to the thread that takes or
 * steals x. */
static inline void weft__deque_push(struct weft__deque *d, void *x) {
    int64_t b = weft__load(&d->bottom, WEFT__RELAXED);
    struct weft__deque_buf *a = weft__load(&d->cur, WEFT__RELAXED);
    /* Slot b is reused from index b - capacity, which is below top_seen
     * unless the buffer looks full: the acquire load that gave top_seen
     * pairs with the thief's CAS past that index (CASes of top form a
     * release sequence), so the thief read the slot before we rewrite it.
     * Only a full-looking buffer needs the current top. */
    if (b - d->top_seen > a->mask) {
        int64_t t = weft__load(&d->top, WEFT__ACQUIRE);
        d->top_seen = t;
        if (b - t > a->mask)
            a = weft__deque_grow(d, a, t, b);
    }
    weft__store(&a->buf[b & a->mask], x, WEFT__RELAXED);
    /* release: publishes the entry and the task's contents to a thief
     * whose load of bottom reads this value (or a later one). The paper
     * uses a release fence and a relaxed store; a release store is the
     * same on x86 and arm64 and is what ThreadSanitizer understands. */
    weft__store(&d->bottom, b + 1, WEFT__RELEASE);
}

/* Owner only: takes the newest entry, NULL when empty. */
static inline void *weft__deque_take(struct weft__deque *d) {
    int64_t b = weft__load(&d->bottom, WEFT__RELAXED) - 1;
    /* Empty for sure (top >= top_seen > b): no fence, no store. */
    if (b < d->top_seen)
        return NULL;
    struct weft__deque_buf *a = weft__load(&d->cur, WEFT__RELAXED);
    /* The store of bottom and the load of top must not be reordered (a
     * store-load pair: only seq_cst forbids it). With the seq_cst loads in
     * steal, either the thief sees the lowered bottom or we see its raised
     * top, so one entry is never handed out twice. The paper puts a seq_cst
     * fence between relaxed accesses; seq_cst accesses are equivalent. */
    weft__store(&d->bottom, b, WEFT__SEQ_CST);
    int64_t t = weft__load(&d->top, WEFT__SEQ_CST);
    d->top_seen = t;
    void *x = NULL;
    if (t <= b) {
        x = weft__load(&a->buf[b & a->mask], WEFT__RELAXED);
        if (t == b) {
            /* Last entry: race the thieves for it through top. */
            if (weft__cas(&d->top, &t, t + 1, WEFT__SEQ_CST, WEFT__RELAXED))
                d->top_seen = t + 1; /* our own move of top */
            else
                x = NULL;
            weft__store(&d->bottom, b + 1, WEFT__RELAXED);
        }
    } else {
        weft__store(&d->bottom, b + 1, WEFT__RELAXED);
    }
    return x;
}

/* Any thread: steals the oldest entry. Returns NULL when the deque looked
 * empty or another thread won the entry (the caller just moves on). */
static inline void *weft__deque_steal(struct weft__deque *d) {
    /* seq_cst load of top before the seq_cst load of bottom: the pair of
     * the owner's store-load in take. The bottom load also acquires the
     * push that wrote the entry. */
    int64_t t = weft__load(&d->top, WEFT__SEQ_CST);
    int64_t b = weft__load(&d->bottom, WEFT__SEQ_CST);
    if (t >= b)
        return NULL;
    struct weft__deque_buf *a = weft__load(&d->cur, WEFT__ACQUIRE);
    void *x = weft__load(&a->buf[t & a->mask], WEFT__RELAXED);
    /* The CAS claims entry t; if it fails someone else (thief or owner)
     * claimed it and x may be stale. */
    if (!weft__cas(&d->top, &t, t + 1, WEFT__SEQ_CST, WEFT__RELAXED))
        return NULL;
    return x;
}

/* Owner only, for the cut-off heuristic: non-zero when the deque held at
 * least n entries when the owner last looked (a thief may be taking one
 * right now). Loads top only when the cached bound says n or more, and
 * then once every n / 2 calls while the deque stays that deep: a thief's
 * CAS moves the line of top, so an owner that reloads it on every call
 * pays a cache miss per task. Looking again after n / 2 calls, each
 * running a task inline, keeps thieves fed: with tasks alike, they need
 * longer than that to empty the n entries the owner saw. */
static inline int weft__deque_has(struct weft__deque *d, int64_t n) {
    int64_t b = weft__load(&d->bottom, WEFT__RELAXED);
    if (b - d->top_seen < n)
        return 0;
    if (d->recheck) {
        d->recheck--;
        return 1;
    }
    d->recheck = (unsigned)(n / 2);
    /* acquire: top_seen must come from an acquire load (see push). */
    d->top_seen = weft__load(&d->top, WEFT__ACQUIRE);
    return b - d->top_seen >= n;
}

/* Any thread, racy: non-zero when the deque may hold an entry. */
static inline int weft__deque_maybe_nonempty(struct weft__deque *d) {
    return weft__load(&d->bottom, WEFT__RELAXED) >
           weft__load(&d->top, WEFT__RELAXED);
}

#endif
