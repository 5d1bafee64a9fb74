/* This file handles the caching of `to` sections between a coordinator and
 * its workers. Sections are named by a 128-bit content hash (XXH3). The
 * worker keeps an input cache bounded in bytes with LRU eviction; the
 * coordinator keeps, per worker, the set of hashes it has sent, so an
 * unchanged section crosses the network once per worker. The sent set is a
 * hint: when the worker evicted a section, it answers a CHUNK_REQ or HAVE
 * with NEED and the coordinator removes the hash and sends it again. */
#ifndef WEFT_NET_CACHE_H
#define WEFT_NET_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "net/transport.h"
#include "net/wire.h"

/* XXH3_128bits of n bytes at p (p may be NULL when n is 0). Thread: any. */
WEFT_INTERNAL struct weft__hash128 weft__hash_bytes(const void *p, size_t n);

/* Worker-side input cache. Every call takes an internal mutex, so the
 * connection thread (put) and team threads (acquire/release) may share it.
 * Lookups of hostile hashes cost O(1) on average; only an authenticated
 * coordinator can choose them. */
struct weft__icache;

struct weft__icache_stats {
    uint64_t hits;      /* acquire found a complete entry */
    uint64_t misses;    /* acquire found none (or only a partial one) */
    uint64_t evictions; /* entries dropped to make room */
    uint64_t bytes;     /* bytes held, partial entries included */
    uint64_t entries;
};

/* Creates a cache holding at most cap_bytes of section data.
 * Returns 0, WEFT_EINVAL (cap_bytes 0) or WEFT_ENOMEM.
 * Ownership: caller releases *out with weft__icache_destroy(). */
WEFT_INTERNAL int weft__icache_create(uint64_t cap_bytes,
                                      struct weft__icache **out);

/* Frees the cache and every entry. No entry may be acquired any more. */
WEFT_INTERNAL void weft__icache_destroy(struct weft__icache *c);

/* Stores one INPUT part. Parts of a section must arrive in order (offset
 * equal to the bytes received so far); a duplicate part of a complete
 * entry is ignored. The first part allocates total_len bytes, evicting
 * least recently used entries that are complete and not acquired. When the
 * last part arrives the content hash is verified. Sets *complete (may be
 * NULL) to 1 when the section is whole. Returns 0, WEFT_EPROTO (part out
 * of order, total_len disagreeing with the entry, hash mismatch: the
 * entry is dropped), WEFT_EINVAL (the part does not lie inside total_len),
 * WEFT_EMSGSIZE (total_len > capacity) or WEFT_ENOMEM (no room: everything
 * left is in use). Copies the bytes. */
WEFT_INTERNAL int weft__icache_put(struct weft__icache *c,
                                   const struct weft__msg_input *in,
                                   int *complete);

/* Looks up a complete section, marks it most recently used and pins it
 * against eviction. Returns 0 with *data / *len set (a hit) or WEFT_ENOENT
 * (a miss). Ownership: *data belongs to the cache and stays valid until
 * the matching weft__icache_release(). */
WEFT_INTERNAL int weft__icache_acquire(struct weft__icache *c,
                                       struct weft__hash128 h,
                                       const uint8_t **data, uint64_t *len);

/* Unpins a section acquired before (once per successful acquire). */
WEFT_INTERNAL void weft__icache_release(struct weft__icache *c,
                                        struct weft__hash128 h);

/* 1 when a complete section with this hash and length is held, else 0.
 * Does not count as a hit or change the LRU order. For NEED answers. */
WEFT_INTERNAL int weft__icache_has(struct weft__icache *c,
                                   struct weft__hash128 h, uint64_t len);

/* Drops every incomplete section (their sender went away). */
WEFT_INTERNAL void weft__icache_drop_partial(struct weft__icache *c);

/* Copies the counters (a consistent snapshot, taken under the lock). */
WEFT_INTERNAL void weft__icache_get_stats(struct weft__icache *c,
                                          struct weft__icache_stats *st);

/* Default size of one INPUT part: big enough that per-frame costs vanish,
 * small enough that heartbeats and results interleave with a large send. */
#define WEFT__INPUT_PART (8u << 20)

/* Sends `len` bytes at `data` (content hash h, from weft__hash_bytes) as
 * INPUT frames of at most part_len bytes (0: WEFT__INPUT_PART; at most
 * WEFT__WIRE_MAX_FRAME - 64), in order, with sequence numbers from seq.
 * A zero-length section is one empty part. Returns 0, WEFT_EINVAL,
 * WEFT_ENOMEM or a transport error (the section may then be partly sent).
 * Thread: any (the transport serialises each frame; concurrent senders
 * interleave whole frames, and parts of one section stay in order).
 * Ownership: data stays the caller's. */
WEFT_INTERNAL int weft__input_send(struct weft__transport *t,
                                   struct weft__hash128 h, const void *data,
                                   uint64_t len, size_t part_len, uint32_t seq,
                                   int64_t deadline_ns);

/* Coordinator-side record of the sections sent to one worker. Not locked:
 * it belongs to the thread that serves that worker's connection. */
struct weft__sentset;

/* Returns 0 or WEFT_ENOMEM. Ownership: release with
 * weft__sentset_destroy(). */
WEFT_INTERNAL int weft__sentset_create(struct weft__sentset **out);
WEFT_INTERNAL void weft__sentset_destroy(struct weft__sentset *s);
/* 1 if h was recorded as sent, else 0. */
WEFT_INTERNAL int weft__sentset_test(const struct weft__sentset *s,
                                     struct weft__hash128 h);
/* Records h as sent (after its last INPUT part went out). 0 or
 * WEFT_ENOMEM. */
WEFT_INTERNAL int weft__sentset_add(struct weft__sentset *s,
                                    struct weft__hash128 h);
/* Forgets h (the worker said NEED for it). */
WEFT_INTERNAL void weft__sentset_remove(struct weft__sentset *s,
                                        struct weft__hash128 h);
/* Forgets everything (the worker reconnected with an empty cache). */
WEFT_INTERNAL void weft__sentset_clear(struct weft__sentset *s);
/* Number of hashes recorded. */
WEFT_INTERNAL size_t weft__sentset_count(const struct weft__sentset *s);

#endif
