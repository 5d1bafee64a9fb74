/* This file handles the tests of the input cache and the sent set: hits and
 * misses, sections in several parts, parts out of order, corrupted content,
 * LRU eviction order, pinned entries surviving eviction, the byte bound,
 * and the hash table under many insertions and deletions. */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "net/cache.h"
#include "net_test.h"

/* Deterministic pseudo-random bytes (xorshift), different per seed. */
static void fill(uint8_t *p, size_t n, uint64_t seed) {
    uint64_t x = seed * 0x9e3779b97f4a7c15ull + 1;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        p[i] = (uint8_t)x;
    }
}

/* Puts a whole section in one part; returns the put's result. */
static int put_all(struct weft__icache *c, const uint8_t *p, size_t n,
                   struct weft__hash128 *h) {
    struct weft__msg_input in;
    memset(&in, 0, sizeof in);
    in.hash = *h = weft__hash_bytes(p, n);
    in.total_len = n;
    in.len = (uint32_t)n;
    in.bytes = p;
    int complete = 0;
    int rc = weft__icache_put(c, &in, &complete);
    if (rc == 0 && !complete)
        return -1;
    return rc;
}

static void test_hash(void) {
    uint8_t a[100], b[100];
    fill(a, sizeof a, 1);
    memcpy(b, a, sizeof b);
    struct weft__hash128 ha = weft__hash_bytes(a, sizeof a);
    struct weft__hash128 hb = weft__hash_bytes(b, sizeof b);
    NT_TRUE(ha.lo == hb.lo && ha.hi == hb.hi);
    b[99] ^= 1;
    hb = weft__hash_bytes(b, sizeof b);
    NT_TRUE(ha.lo != hb.lo || ha.hi != hb.hi);
    struct weft__hash128 e1 = weft__hash_bytes(NULL, 0);
    struct weft__hash128 e2 = weft__hash_bytes("", 0);
    NT_TRUE(e1.lo == e2.lo && e1.hi == e2.hi);
}

static void test_hit_miss(void) {
    struct weft__icache *c;
    NT_EQ_FATAL(weft__icache_create(1 << 20, &c), 0);
    uint8_t a[1000];
    fill(a, sizeof a, 2);
    struct weft__hash128 h;
    NT_EQ(put_all(c, a, sizeof a, &h), 0);
    const uint8_t *p;
    uint64_t len;
    NT_EQ(weft__icache_acquire(c, h, &p, &len), 0);
    NT_EQ(len, sizeof a);
    NT_EQ(memcmp(p, a, sizeof a), 0);
    weft__icache_release(c, h);
    NT_EQ(weft__icache_has(c, h, sizeof a), 1);
    NT_EQ(weft__icache_has(c, h, sizeof a + 1), 0);
    struct weft__hash128 other = {h.lo ^ 1, h.hi};
    NT_EQ(weft__icache_acquire(c, other, &p, &len), -ENOENT);
    NT_EQ(weft__icache_has(c, other, sizeof a), 0);
    /* Sending the same section again changes nothing. */
    NT_EQ(put_all(c, a, sizeof a, &h), 0);
    /* A zero-length section is a valid input. */
    struct weft__hash128 he;
    NT_EQ(put_all(c, NULL, 0, &he), 0);
    NT_EQ(weft__icache_acquire(c, he, &p, &len), 0);
    NT_EQ(len, 0);
    weft__icache_release(c, he);
    struct weft__icache_stats st;
    weft__icache_get_stats(c, &st);
    NT_EQ(st.hits, 2);
    NT_EQ(st.misses, 1);
    NT_EQ(st.entries, 2);
    NT_EQ(st.bytes, sizeof a);
    NT_EQ(st.evictions, 0);
    weft__icache_destroy(c);
    NT_EQ(weft__icache_create(0, &c), -EINVAL);
}

static void test_parts(void) {
    struct weft__icache *c;
    NT_EQ_FATAL(weft__icache_create(1 << 20, &c), 0);
    uint8_t a[10000];
    fill(a, sizeof a, 3);
    struct weft__msg_input in;
    memset(&in, 0, sizeof in);
    in.hash = weft__hash_bytes(a, sizeof a);
    in.total_len = sizeof a;
    const uint8_t *p;
    uint64_t len;
    int complete = -1;
    /* Parts of 3000, 3000, 3000, 1000 bytes, in order. */
    for (uint64_t off = 0; off < sizeof a; off += 3000) {
        in.offset = off;
        in.len = (uint32_t)(sizeof a - off < 3000 ? sizeof a - off : 3000);
        in.bytes = a + off;
        NT_EQ(weft__icache_put(c, &in, &complete), 0);
        NT_EQ(complete, off + in.len == sizeof a);
        /* Not usable until whole. */
        if (!complete)
            NT_EQ(weft__icache_acquire(c, in.hash, &p, &len), -ENOENT);
    }
    NT_EQ(weft__icache_acquire(c, in.hash, &p, &len), 0);
    NT_EQ(memcmp(p, a, sizeof a), 0);
    weft__icache_release(c, in.hash);

    /* Out of order: the partial entry is dropped, a restart works. */
    uint8_t b[6000];
    fill(b, sizeof b, 4);
    in.hash = weft__hash_bytes(b, sizeof b);
    in.total_len = sizeof b;
    in.offset = 0;
    in.len = 2000;
    in.bytes = b;
    NT_EQ(weft__icache_put(c, &in, NULL), 0);
    in.offset = 4000;
    in.bytes = b + 4000;
    NT_EQ(weft__icache_put(c, &in, NULL), -EPROTO);
    in.offset = 2000; /* the entry is gone, so this is out of order too */
    NT_EQ(weft__icache_put(c, &in, NULL), -EPROTO);
    in.offset = 0;
    in.len = sizeof b;
    in.bytes = b;
    NT_EQ(weft__icache_put(c, &in, &complete), 0);
    NT_EQ(complete, 1);

    /* A part that disagrees about the total length. */
    in.hash.lo ^= 0x55;
    in.len = 100;
    NT_EQ(weft__icache_put(c, &in, NULL), 0);
    in.total_len = sizeof b + 1;
    in.offset = 100;
    NT_EQ(weft__icache_put(c, &in, NULL), -EPROTO);

    /* Content that does not match its hash is refused and not kept. */
    uint8_t bad[500];
    fill(bad, sizeof bad, 5);
    memset(&in, 0, sizeof in);
    in.hash = weft__hash_bytes(bad, sizeof bad);
    bad[250] ^= 0x80;
    in.total_len = sizeof bad;
    in.len = sizeof bad;
    in.bytes = bad;
    NT_EQ(weft__icache_put(c, &in, &complete), -EPROTO);
    NT_EQ(weft__icache_has(c, in.hash, sizeof bad), 0);

    /* Partial entries vanish on drop_partial; whole ones stay. */
    uint8_t d[100];
    fill(d, sizeof d, 6);
    memset(&in, 0, sizeof in);
    in.hash = weft__hash_bytes(d, sizeof d);
    in.total_len = sizeof d;
    in.len = 10;
    in.bytes = d;
    NT_EQ(weft__icache_put(c, &in, NULL), 0);
    struct weft__icache_stats before, after;
    weft__icache_get_stats(c, &before);
    weft__icache_drop_partial(c);
    weft__icache_get_stats(c, &after);
    NT_EQ(after.entries, 2); /* a and b */
    NT_EQ(before.bytes - after.bytes, sizeof d + sizeof b);
    NT_EQ(after.bytes, sizeof a + sizeof b);
    weft__icache_destroy(c);
}

static void test_eviction(void) {
    /* Room for exactly four 1000-byte sections. */
    struct weft__icache *c;
    NT_EQ_FATAL(weft__icache_create(4000, &c), 0);
    uint8_t s[6][1000];
    struct weft__hash128 h[6];
    const uint8_t *p;
    uint64_t len;
    for (int i = 0; i < 6; i++)
        fill(s[i], 1000, 10 + (uint64_t)i);
    for (int i = 0; i < 4; i++)
        NT_EQ(put_all(c, s[i], 1000, &h[i]), 0);
    /* Touch 0 so that 1 becomes least recently used. */
    NT_EQ(weft__icache_acquire(c, h[0], &p, &len), 0);
    weft__icache_release(c, h[0]);
    NT_EQ(put_all(c, s[4], 1000, &h[4]), 0);
    NT_EQ(weft__icache_has(c, h[1], 1000), 0); /* evicted */
    NT_EQ(weft__icache_has(c, h[0], 1000), 1);
    NT_EQ(weft__icache_has(c, h[2], 1000), 1);
    /* Pin 2 (the LRU now): 3 is evicted instead. */
    NT_EQ(weft__icache_acquire(c, h[2], &p, &len), 0);
    NT_EQ(weft__icache_acquire(c, h[0], &p, &len), 0);
    weft__icache_release(c, h[0]);
    NT_EQ(put_all(c, s[5], 1000, &h[5]), 0);
    NT_EQ(weft__icache_has(c, h[2], 1000), 1);
    NT_EQ(weft__icache_has(c, h[3], 1000), 0);
    NT_EQ(memcmp(p, s[0], 1000), 0);
    struct weft__icache_stats st;
    weft__icache_get_stats(c, &st);
    NT_EQ(st.evictions, 2);
    NT_TRUE(st.bytes <= 4000);
    NT_EQ(st.entries, 4);

    /* A section larger than the whole cache. */
    static uint8_t big[5000];
    struct weft__hash128 hb;
    NT_EQ(put_all(c, big, sizeof big, &hb), -EMSGSIZE);
    /* With every entry pinned there is no room. */
    for (int i = 0; i < 6; i++)
        if (weft__icache_has(c, h[i], 1000) && i != 2)
            NT_EQ(weft__icache_acquire(c, h[i], &p, &len), 0);
    uint8_t x[10];
    fill(x, sizeof x, 99);
    struct weft__hash128 hx;
    NT_EQ(put_all(c, x, sizeof x, &hx), -ENOMEM);
    /* Releasing one makes room again. */
    weft__icache_release(c, h[2]);
    NT_EQ(put_all(c, x, sizeof x, &hx), 0);
    NT_EQ(weft__icache_has(c, h[2], 1000), 0);
    weft__icache_destroy(c);
}

static void test_sentset(void) {
    struct weft__sentset *s;
    NT_EQ_FATAL(weft__sentset_create(&s), 0);
    enum { N = 3000 };
    static struct weft__hash128 k[N];
    /* Keys whose low bits collide heavily, to exercise long probe runs
     * and backward-shift deletion across them. */
    for (int i = 0; i < N; i++) {
        k[i].lo = (uint64_t)(i % 7) | ((uint64_t)i << 40);
        k[i].hi = (uint64_t)i * 31;
    }
    for (int i = 0; i < N; i++)
        NT_EQ(weft__sentset_add(s, k[i]), 0);
    NT_EQ(weft__sentset_count(s), N);
    NT_EQ(weft__sentset_add(s, k[5]), 0); /* no duplicate */
    NT_EQ(weft__sentset_count(s), N);
    for (int i = 0; i < N; i += 2)
        weft__sentset_remove(s, k[i]);
    int wrong = 0;
    for (int i = 0; i < N; i++)
        wrong += weft__sentset_test(s, k[i]) != (i % 2);
    NT_EQ(wrong, 0);
    NT_EQ(weft__sentset_count(s), N / 2);
    struct weft__hash128 absent = {12345, 678};
    NT_EQ(weft__sentset_test(s, absent), 0);
    weft__sentset_remove(s, absent); /* removing an absent key is a no-op */
    NT_EQ(weft__sentset_count(s), N / 2);
    weft__sentset_clear(s);
    NT_EQ(weft__sentset_count(s), 0);
    NT_EQ(weft__sentset_test(s, k[1]), 0);
    NT_EQ(weft__sentset_add(s, k[1]), 0);
    NT_EQ(weft__sentset_test(s, k[1]), 1);
    weft__sentset_destroy(s);
}

/* The flow the coordinator and worker follow: a `to` section goes out once
 * per worker while unchanged, and again after it changes or after the
 * worker evicted it and said NEED. */
static void test_send_once_flow(void) {
    struct weft__sentset *sent;
    struct weft__icache *c;
    NT_EQ_FATAL(weft__sentset_create(&sent), 0);
    NT_EQ_FATAL(weft__icache_create(2500, &c), 0);
    uint8_t x[1000], y[1000];
    fill(x, sizeof x, 21);
    fill(y, sizeof y, 22);
    int sends = 0;
    struct weft__hash128 h;
    for (int loop = 0; loop < 5; loop++) {
        if (loop == 3)
            x[0] ^= 1; /* the program changed the array */
        h = weft__hash_bytes(x, sizeof x);
        if (!weft__sentset_test(sent, h)) {
            NT_EQ(put_all(c, x, sizeof x, &h), 0);
            NT_EQ(weft__sentset_add(sent, h), 0);
            sends++;
        }
        NT_EQ(weft__icache_has(c, h, sizeof x), 1);
    }
    NT_EQ(sends, 2);
    /* Other inputs push x out of the worker's cache... */
    struct weft__hash128 hy, hz;
    NT_EQ(put_all(c, y, sizeof y, &hy), 0);
    y[0] ^= 1;
    NT_EQ(put_all(c, y, sizeof y, &hz), 0);
    NT_EQ(weft__icache_has(c, h, sizeof x), 0);
    /* ...the worker answers NEED, and the coordinator sends it again. */
    NT_EQ(weft__sentset_test(sent, h), 1);
    weft__sentset_remove(sent, h);
    NT_EQ(weft__sentset_test(sent, h), 0);
    weft__icache_destroy(c);
    weft__sentset_destroy(sent);
}

struct sender {
    struct weft__transport *t;
    const uint8_t *big;
    size_t big_len;
    int rc_big, rc_empty;
};

static void *send_inputs(void *arg) {
    struct sender *s = arg;
    int64_t dl = weft__net_deadline_ms(10000);
    s->rc_big = weft__input_send(s->t, weft__hash_bytes(s->big, s->big_len),
                                 s->big, s->big_len, 1u << 20, 100, dl);
    s->rc_empty = weft__input_send(s->t, weft__hash_bytes(NULL, 0), NULL, 0,
                                   0, 200, dl);
    return NULL;
}

/* A section bigger than one part crosses a real loopback connection as
 * INPUT frames and lands whole in the worker's cache. */
static void test_input_over_loopback(void) {
    int a, b;
    NT_EQ_FATAL(nt_pair(&a, &b), 0);
    struct weft__transport *ta, *tb;
    NT_EQ_FATAL(weft__transport_sock_create(a, NULL, &ta), 0);
    NT_EQ_FATAL(weft__transport_sock_create(b, NULL, &tb), 0);
    size_t n = (3u << 20) + 100;
    uint8_t *big = malloc(n);
    NT_TRUE_FATAL(big != NULL);
    fill(big, n, 77);
    struct weft__icache *c;
    NT_EQ_FATAL(weft__icache_create(8u << 20, &c), 0);
    struct sender s = {ta, big, n, 1, 1};
    pthread_t th;
    NT_EQ_FATAL(pthread_create(&th, NULL, send_inputs, &s), 0);
    int frames = 0, whole = 0;
    uint32_t last_seq = 0;
    while (whole < 2) {
        struct weft__frame f = {0};
        struct weft__msg m;
        int rc = weft__transport_recv(tb, &f, WEFT__WIRE_MAX_FRAME,
                                      weft__net_deadline_ms(10000));
        NT_EQ(rc, 0);
        if (rc != 0)
            break;
        NT_EQ(weft__frame_decode(&f, &m), 0);
        NT_EQ(m.hdr.type, WEFT__MSG_INPUT);
        last_seq = m.hdr.seq;
        int complete = 0;
        NT_EQ(weft__icache_put(c, &m.u.input, &complete), 0);
        whole += complete;
        frames++;
        weft__frame_free(&f);
    }
    pthread_join(th, NULL);
    NT_EQ(s.rc_big, 0);
    NT_EQ(s.rc_empty, 0);
    NT_EQ(frames, 5); /* 4 parts of the big section, 1 empty part */
    NT_EQ(last_seq, 200);
    const uint8_t *p;
    uint64_t len;
    struct weft__hash128 h = weft__hash_bytes(big, n);
    NT_EQ_FATAL(weft__icache_acquire(c, h, &p, &len), 0);
    NT_EQ(len, n);
    NT_EQ(memcmp(p, big, n), 0);
    weft__icache_release(c, h);
    NT_EQ(weft__icache_has(c, weft__hash_bytes(NULL, 0), 0), 1);
    NT_EQ(weft__input_send(ta, h, NULL, 5, 0, 0, WEFT__NET_NO_DEADLINE),
          -EINVAL);
    NT_EQ(weft__input_send(ta, h, big, n, WEFT__WIRE_MAX_FRAME, 0,
                           WEFT__NET_NO_DEADLINE),
          -EINVAL);
    weft__icache_destroy(c);
    free(big);
    weft__transport_close(ta);
    weft__transport_close(tb);
}

int main(void) {
    static const struct nt_case cases[] = {
        {"hash", test_hash},
        {"hit_miss", test_hit_miss},
        {"parts", test_parts},
        {"eviction", test_eviction},
        {"sentset", test_sentset},
        {"send_once_flow", test_send_once_flow},
        {"input_over_loopback", test_input_over_loopback},
        {NULL, NULL}};
    return nt_run("net_cache", cases);
}
