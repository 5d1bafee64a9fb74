/* This file handles the worker's input cache and the coordinator's per-worker
 * sent set. Both index 128-bit content hashes with one small open-addressing
 * table (linear probing, deletion by backward shift, so no tombstones
 * accumulate). The keys are already uniform hashes, so their low bits pick
 * the slot directly. The input cache threads its entries on an LRU list:
 * most recent at the head, eviction from the tail, skipping entries that
 * are pinned by a running chunk or still being received. */
#include "net/cache.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

struct weft__hash128 weft__hash_bytes(const void *p, size_t n) {
    XXH128_hash_t x = XXH3_128bits(n ? p : "", n);
    struct weft__hash128 h = {x.low64, x.high64};
    return h;
}

static int hash_eq(struct weft__hash128 a, struct weft__hash128 b) {
    return a.lo == b.lo && a.hi == b.hi;
}

/* ------------------------------------------------------------------ */
/* Hash table                                                         */
/* ------------------------------------------------------------------ */

struct slot {
    struct weft__hash128 key;
    void *val;
    int used;
};

/* Invariant: cap is a power of two and count <= cap / 2, so probing
 * always meets an empty slot. */
struct table {
    struct slot *slots;
    size_t cap, count;
};

static int table_init(struct table *t) {
    t->cap = 16;
    t->count = 0;
    t->slots = calloc(t->cap, sizeof *t->slots);
    return t->slots ? 0 : -ENOMEM;
}

static void table_free(struct table *t) {
    free(t->slots);
    t->slots = NULL;
    t->cap = t->count = 0;
}

static size_t table_home(const struct table *t, struct weft__hash128 k) {
    return (size_t)k.lo & (t->cap - 1);
}

/* Index of k's slot, or of the empty slot where it would go. */
static size_t table_probe(const struct table *t, struct weft__hash128 k) {
    size_t i = table_home(t, k);
    while (t->slots[i].used && !hash_eq(t->slots[i].key, k))
        i = (i + 1) & (t->cap - 1);
    return i;
}

static void *table_get(const struct table *t, struct weft__hash128 k,
                       int *found) {
    size_t i = table_probe(t, k);
    *found = t->slots[i].used;
    return t->slots[i].used ? t->slots[i].val : NULL;
}

static int table_grow(struct table *t) {
    struct table n = {calloc(t->cap * 2, sizeof *t->slots), t->cap * 2, 0};
    if (!n.slots)
        return -ENOMEM;
    for (size_t i = 0; i < t->cap; i++) {
        if (!t->slots[i].used)
            continue;
        n.slots[table_probe(&n, t->slots[i].key)] = t->slots[i];
        n.count++;
    }
    free(t->slots);
    *t = n;
    return 0;
}

/* Inserts or replaces k -> v. Returns 0 or WEFT_ENOMEM. */
static int table_put(struct table *t, struct weft__hash128 k, void *v) {
    size_t i = table_probe(t, k);
    if (!t->slots[i].used) {
        if ((t->count + 1) * 2 > t->cap) {
            if (table_grow(t) != 0)
                return -ENOMEM;
            i = table_probe(t, k);
        }
        t->slots[i].used = 1;
        t->slots[i].key = k;
        t->count++;
    }
    t->slots[i].val = v;
    return 0;
}

/* Removes k if present. Backward shift: every later entry of the same
 * probe run whose home does not lie cyclically in (hole, j] moves into the
 * hole, which keeps every remaining key reachable from its home. */
static void table_del(struct table *t, struct weft__hash128 k) {
    size_t mask = t->cap - 1, i = table_probe(t, k);
    if (!t->slots[i].used)
        return;
    t->slots[i].used = 0;
    t->count--;
    for (size_t j = (i + 1) & mask; t->slots[j].used; j = (j + 1) & mask) {
        size_t home = table_home(t, t->slots[j].key);
        /* Distance from home to j versus from hole i to j (cyclic). */
        if (((j - home) & mask) >= ((j - i) & mask)) {
            t->slots[i] = t->slots[j];
            t->slots[j].used = 0;
            i = j;
        }
    }
}

/* ------------------------------------------------------------------ */
/* Input cache                                                        */
/* ------------------------------------------------------------------ */

struct entry {
    struct weft__hash128 hash;
    uint64_t total_len; /* allocated size of data */
    uint64_t received;  /* bytes stored so far (parts arrive in order) */
    uint8_t *data;
    unsigned pins;             /* acquires not yet released */
    struct entry *prev, *next; /* LRU list, head = most recent */
};

struct weft__icache {
    pthread_mutex_t lock; /* guards everything below */
    struct table map;     /* hash -> struct entry * */
    struct entry *head, *tail;
    uint64_t cap, bytes;
    uint64_t hits, misses, evictions;
};

int weft__icache_create(uint64_t cap_bytes, struct weft__icache **out) {
    if (cap_bytes == 0)
        return -EINVAL;
    struct weft__icache *c = calloc(1, sizeof *c);
    if (!c)
        return -ENOMEM;
    if (table_init(&c->map) != 0) {
        free(c);
        return -ENOMEM;
    }
    pthread_mutex_init(&c->lock, NULL);
    c->cap = cap_bytes;
    *out = c;
    return 0;
}

static void lru_unlink(struct weft__icache *c, struct entry *e) {
    if (e->prev)
        e->prev->next = e->next;
    else
        c->head = e->next;
    if (e->next)
        e->next->prev = e->prev;
    else
        c->tail = e->prev;
    e->prev = e->next = NULL;
}

static void lru_push_front(struct weft__icache *c, struct entry *e) {
    e->prev = NULL;
    e->next = c->head;
    if (c->head)
        c->head->prev = e;
    c->head = e;
    if (!c->tail)
        c->tail = e;
}

/* Removes e from the list, the table and the byte count, and frees it.
 * Caller holds the lock. */
static void drop_locked(struct weft__icache *c, struct entry *e) {
    lru_unlink(c, e);
    table_del(&c->map, e->hash);
    c->bytes -= e->total_len;
    free(e->data);
    free(e);
}

void weft__icache_destroy(struct weft__icache *c) {
    if (!c)
        return;
    while (c->head)
        drop_locked(c, c->head);
    table_free(&c->map);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

/* Evicts from the LRU tail until `need` more bytes fit. Entries that are
 * pinned or incomplete are skipped. Returns 0 or WEFT_ENOMEM when the
 * remaining entries are all in use. Caller holds the lock. */
static int make_room_locked(struct weft__icache *c, uint64_t need) {
    struct entry *e = c->tail;
    while (c->cap - c->bytes < need && e) {
        struct entry *prev = e->prev;
        if (e->pins == 0 && e->received == e->total_len) {
            drop_locked(c, e);
            c->evictions++;
        }
        e = prev;
    }
    return c->cap - c->bytes >= need ? 0 : -ENOMEM;
}

int weft__icache_put(struct weft__icache *c, const struct weft__msg_input *in,
                     int *complete) {
    int rc = 0, found;
    if (complete)
        *complete = 0;
    /* Decoded INPUTs satisfy this already; hand-built ones must too. */
    if (in->offset > in->total_len || in->len > in->total_len - in->offset ||
        (in->len && !in->bytes))
        return -EINVAL;
    pthread_mutex_lock(&c->lock);
    struct entry *e = table_get(&c->map, in->hash, &found);
    if (!e) {
        if (in->total_len > c->cap) {
            rc = -EMSGSIZE;
            goto out;
        }
        if (in->offset != 0) {
            rc = -EPROTO;
            goto out;
        }
        if ((rc = make_room_locked(c, in->total_len)) != 0)
            goto out;
        e = calloc(1, sizeof *e);
        if (!e) {
            rc = -ENOMEM;
            goto out;
        }
        /* total_len <= cap, which the caller sized to fit in memory; the
         * cast is exact on 64-bit hosts and checked on others. */
        if (in->total_len > SIZE_MAX ||
            (in->total_len && !(e->data = malloc((size_t)in->total_len)))) {
            free(e);
            rc = -ENOMEM;
            goto out;
        }
        e->hash = in->hash;
        e->total_len = in->total_len;
        if (table_put(&c->map, e->hash, e) != 0) {
            free(e->data);
            free(e);
            rc = -ENOMEM;
            goto out;
        }
        c->bytes += e->total_len;
        lru_push_front(c, e);
    } else if (e->total_len != in->total_len) {
        rc = -EPROTO;
        goto out;
    } else if (e->received == e->total_len) {
        if (complete)
            *complete = 1; /* duplicate of a whole section: nothing to do */
        goto out;
    }
    if (in->offset != e->received) {
        /* Parts out of order: the sender lost its place; start over. */
        drop_locked(c, e);
        rc = -EPROTO;
        goto out;
    }
    /* Checked on entry: offset + len <= total_len. */
    if (in->len)
        memcpy(e->data + e->received, in->bytes, in->len);
    e->received += in->len;
    if (e->received == e->total_len) {
        struct weft__hash128 h = weft__hash_bytes(e->data, e->total_len);
        if (!hash_eq(h, e->hash)) {
            drop_locked(c, e);
            rc = -EPROTO;
            goto out;
        }
        if (complete)
            *complete = 1;
    }
out:
    pthread_mutex_unlock(&c->lock);
    return rc;
}

int weft__icache_acquire(struct weft__icache *c, struct weft__hash128 h,
                         const uint8_t **data, uint64_t *len) {
    int found, rc = -ENOENT;
    pthread_mutex_lock(&c->lock);
    struct entry *e = table_get(&c->map, h, &found);
    if (e && e->received == e->total_len) {
        e->pins++;
        lru_unlink(c, e);
        lru_push_front(c, e);
        *data = e->data;
        *len = e->total_len;
        c->hits++;
        rc = 0;
    } else {
        c->misses++;
    }
    pthread_mutex_unlock(&c->lock);
    return rc;
}

void weft__icache_release(struct weft__icache *c, struct weft__hash128 h) {
    int found;
    pthread_mutex_lock(&c->lock);
    struct entry *e = table_get(&c->map, h, &found);
    if (e && e->pins > 0)
        e->pins--;
    pthread_mutex_unlock(&c->lock);
}

int weft__icache_has(struct weft__icache *c, struct weft__hash128 h,
                     uint64_t len) {
    int found;
    pthread_mutex_lock(&c->lock);
    struct entry *e = table_get(&c->map, h, &found);
    int has = e && e->total_len == len && e->received == e->total_len;
    pthread_mutex_unlock(&c->lock);
    return has;
}

void weft__icache_drop_partial(struct weft__icache *c) {
    pthread_mutex_lock(&c->lock);
    for (struct entry *e = c->head, *next; e; e = next) {
        next = e->next;
        if (e->received != e->total_len)
            drop_locked(c, e);
    }
    pthread_mutex_unlock(&c->lock);
}

void weft__icache_get_stats(struct weft__icache *c,
                            struct weft__icache_stats *st) {
    pthread_mutex_lock(&c->lock);
    st->hits = c->hits;
    st->misses = c->misses;
    st->evictions = c->evictions;
    st->bytes = c->bytes;
    st->entries = c->map.count;
    pthread_mutex_unlock(&c->lock);
}

int weft__input_send(struct weft__transport *t, struct weft__hash128 h,
                     const void *data, uint64_t len, size_t part_len,
                     uint32_t seq, int64_t deadline_ns) {
    struct weft__wbuf w = WEFT__WBUF_INITIALIZER;
    struct weft__msg m;
    const uint8_t *p = data;
    uint64_t off = 0;
    int rc = 0;
    if (part_len == 0)
        part_len = WEFT__INPUT_PART;
    if (part_len > WEFT__WIRE_MAX_FRAME - 64 || (len && !data))
        return -EINVAL;
    memset(&m, 0, sizeof m);
    m.hdr.type = WEFT__MSG_INPUT;
    m.u.input.hash = h;
    m.u.input.total_len = len;
    /* do/while: an empty section still sends its one (empty) part. */
    do {
        uint64_t n = len - off < part_len ? len - off : part_len;
        m.hdr.seq = seq++;
        m.u.input.offset = off;
        m.u.input.len = (uint32_t)n;
        m.u.input.bytes = p ? p + off : NULL;
        weft__wbuf_reset(&w);
        if ((rc = weft__wire_encode(&w, &m)) != 0)
            break;
        if ((rc = weft__transport_send(t, w.data, w.len, deadline_ns)) != 0)
            break;
        off += n;
    } while (off < len);
    weft__wbuf_free(&w);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Sent set                                                           */
/* ------------------------------------------------------------------ */

struct weft__sentset {
    struct table map; /* hash -> unused value */
};

int weft__sentset_create(struct weft__sentset **out) {
    struct weft__sentset *s = calloc(1, sizeof *s);
    if (!s)
        return -ENOMEM;
    if (table_init(&s->map) != 0) {
        free(s);
        return -ENOMEM;
    }
    *out = s;
    return 0;
}

void weft__sentset_destroy(struct weft__sentset *s) {
    if (!s)
        return;
    table_free(&s->map);
    free(s);
}

int weft__sentset_test(const struct weft__sentset *s, struct weft__hash128 h) {
    int found;
    table_get(&s->map, h, &found);
    return found;
}

int weft__sentset_add(struct weft__sentset *s, struct weft__hash128 h) {
    return table_put(&s->map, h, NULL);
}

void weft__sentset_remove(struct weft__sentset *s, struct weft__hash128 h) {
    table_del(&s->map, h);
}

void weft__sentset_clear(struct weft__sentset *s) {
    memset(s->map.slots, 0, s->map.cap * sizeof *s->map.slots);
    s->map.count = 0;
}

size_t weft__sentset_count(const struct weft__sentset *s) {
    return s->map.count;
}
