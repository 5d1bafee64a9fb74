/* This file handles the cold paths of the work-stealing deque (deque.h):
 * creation, growth of the circular buffer and teardown. */
#include "weft-internal.h"
#include "deque.h"

static struct weft__deque_buf *buf_new(int64_t cap) {
    struct weft__deque_buf *a =
        weft__malloc(sizeof *a + (size_t)cap * sizeof(_Atomic(void *)));
    a->mask = cap - 1;
    a->retired = NULL;
    return a;
}

void weft__deque_init(struct weft__deque *d, unsigned log2cap) {
    weft__store(&d->top, 0, WEFT__RELAXED);
    weft__store(&d->bottom, 0, WEFT__RELAXED);
    d->top_seen = 0;
    d->recheck = 0;
    weft__store(&d->cur, buf_new((int64_t)1 << log2cap), WEFT__RELAXED);
}

void weft__deque_destroy(struct weft__deque *d) {
    struct weft__deque_buf *a = weft__load(&d->cur, WEFT__RELAXED);
    while (a) {
        struct weft__deque_buf *old = a->retired;
        weft__free(a);
        a = old;
    }
    weft__store(&d->cur, NULL, WEFT__RELAXED);
}

struct weft__deque_buf *weft__deque_grow(struct weft__deque *d,
                                         struct weft__deque_buf *a, int64_t t,
                                         int64_t b) {
    struct weft__deque_buf *n = buf_new(2 * (a->mask + 1));
    /* Entries keep their indices: a thief that still reads the old buffer
     * at index t finds what the new buffer holds there. */
    for (int64_t i = t; i < b; i++)
        weft__store(&n->buf[i & n->mask],
                    weft__load(&a->buf[i & a->mask], WEFT__RELAXED),
                    WEFT__RELAXED);
    n->retired = a;
    /* release: a thief that loads the new buffer (acquire) sees its
     * copied entries. */
    weft__store(&d->cur, n, WEFT__RELEASE);
    return n;
}
