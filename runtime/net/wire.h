/* This file handles the cluster wire format: the frame header, the message
 * types, their decoded forms, and the encoders and decoders. Everything is
 * little-endian and encoded field by field (never a struct copy). Decoders
 * treat every byte as hostile: every length and count is checked against
 * what is left of the frame before use, and a decoded message must consume
 * its payload exactly. Decoded messages are views: their pointers point into
 * the payload buffer the caller passed, which must outlive them. */
#ifndef WEFT_NET_WIRE_H
#define WEFT_NET_WIRE_H

#include <stddef.h>
#include <stdint.h>

#ifndef WEFT_INTERNAL
#define WEFT_INTERNAL __attribute__((visibility("hidden")))
#endif

/* Frame header, 20 bytes, all fields little-endian:
 *   offset 0  u32 magic    WEFT__WIRE_MAGIC (the bytes "WEFT")
 *   offset 4  u16 version  WEFT__WIRE_VERSION
 *   offset 6  u16 type     enum weft__msg_type
 *   offset 8  u32 flags    none defined in version 1: must be 0
 *   offset 12 u32 seq      sender's sequence number (echoed by replies)
 *   offset 16 u32 length   payload bytes that follow the header
 */
#define WEFT__WIRE_MAGIC 0x54464557u
#define WEFT__WIRE_VERSION 1
#define WEFT__WIRE_HDR_LEN 20
/* Largest payload any frame may carry; checked before allocating. Bigger
 * inputs travel as several INPUT frames. */
#define WEFT__WIRE_MAX_FRAME (64u << 20)
/* Largest payload accepted during the handshake (before authentication). */
#define WEFT__WIRE_HS_MAX_FRAME 1024u

#define WEFT__WIRE_NONCE_LEN 32
#define WEFT__WIRE_BUILD_ID_LEN 32
#define WEFT__WIRE_MAC_LEN 32
#define WEFT__WIRE_NAME_MAX 255 /* node names and reason texts */

enum weft__msg_type {
    WEFT__MSG_HELLO = 1,      /* either side: version, role, build id, nonce */
    WEFT__MSG_CHALLENGE = 2,  /* coordinator: its nonce and its proof */
    WEFT__MSG_RESPONSE = 3,   /* worker: its proof */
    WEFT__MSG_WELCOME = 4,    /* coordinator: accepted, node id, heartbeat */
    WEFT__MSG_REJECT = 5,     /* either side: refused, with a reason */
    WEFT__MSG_CHUNK_REQ = 16, /* coordinator: run [lo, hi) of a body */
    WEFT__MSG_CHUNK_RESULT = 17, /* worker: from-sections and reduction */
    WEFT__MSG_INPUT = 18,        /* coordinator: part of a `to` section */
    WEFT__MSG_HAVE = 19,         /* coordinator: which of these do you hold? */
    WEFT__MSG_NEED = 20,         /* worker: these I lack */
    WEFT__MSG_HEARTBEAT = 32,
    WEFT__MSG_BYE = 33,
    WEFT__MSG_ERROR = 34
};

/* Role of a handshake party; also bound into each side's proof. */
enum weft__role { WEFT__ROLE_COORDINATOR = 1, WEFT__ROLE_WORKER = 2 };

/* Why a peer was refused (REJECT reason). */
enum weft__reject {
    WEFT__REJECT_NONE = 0,
    WEFT__REJECT_VERSION = 1,  /* protocol version differs */
    WEFT__REJECT_BUILD_ID = 2, /* the peer runs another binary */
    WEFT__REJECT_AUTH = 3,     /* the proof of the secret failed */
    WEFT__REJECT_PROTOCOL = 4, /* malformed or unexpected message */
    WEFT__REJECT_ROLE = 5,     /* the peer claimed the wrong role */
    WEFT__REJECT_BUSY = 6      /* coordinator accepts no more workers */
};

/* A 128-bit content hash (XXH3_128bits), on the wire as lo then hi. */
struct weft__hash128 {
    uint64_t lo, hi;
};

struct weft__hdr {
    uint16_t version;
    uint16_t type;
    uint32_t flags;
    uint32_t seq;
    uint32_t length;
};

struct weft__msg_hello {
    uint16_t version;  /* protocol version the sender speaks */
    uint16_t role;     /* enum weft__role */
    uint32_t nthreads; /* threads the sender offers (workers), else 0 */
    uint8_t build_id[WEFT__WIRE_BUILD_ID_LEN];
    uint8_t nonce[WEFT__WIRE_NONCE_LEN];
    uint16_t name_len; /* <= WEFT__WIRE_NAME_MAX */
    const char *name;  /* not NUL-terminated */
};

struct weft__msg_challenge {
    uint8_t nonce[WEFT__WIRE_NONCE_LEN];
    uint8_t mac[WEFT__WIRE_MAC_LEN];
};

struct weft__msg_response {
    uint8_t mac[WEFT__WIRE_MAC_LEN];
};

struct weft__msg_welcome {
    uint32_t node_id;
    uint32_t heartbeat_ms;
};

struct weft__msg_reject {
    uint16_t reason; /* enum weft__reject */
    uint16_t text_len;
    const char *text;
};

/* One `to` section a chunk reads, named by content hash. */
struct weft__input_ref {
    struct weft__hash128 hash;
    uint64_t length;
};
#define WEFT__WIRE_INPUT_REF_LEN 24

struct weft__msg_chunk_req {
    uint32_t loop_id;    /* coordinator's id of this loop instance */
    uint32_t body_index; /* index in the registered cluster-body table */
    uint64_t chunk_id;
    uint64_t lo, hi; /* logical iterations [lo, hi), lo <= hi */
    uint32_t ninputs;
    const uint8_t *inputs; /* ninputs encoded refs: weft__chunk_req_input */
    uint32_t data_len;     /* scalar capture bytes */
    const uint8_t *data;
};

/* One from-section slice of a chunk result: `len` bytes at byte `offset`
 * of the loop's map number `map_index`. */
struct weft__section {
    uint32_t map_index;
    uint64_t offset;
    uint64_t len;
    const uint8_t *bytes;
};

struct weft__msg_chunk_result {
    uint32_t loop_id;
    int32_t status; /* 0, or -errno when the chunk failed remotely */
    uint64_t chunk_id;
    uint64_t run_ns; /* time the worker spent running the chunk */
    uint32_t nsections;
    const uint8_t *sections; /* nsections encoded sections, validated */
    size_t sections_len;
    uint32_t red_len; /* reduction partial bytes */
    const uint8_t *red;
};

/* Bytes [offset, offset + len) of a `to` section of total_len bytes. */
struct weft__msg_input {
    struct weft__hash128 hash;
    uint64_t total_len;
    uint64_t offset;
    uint32_t len;
    const uint8_t *bytes;
};

/* HAVE (query) and NEED (answer): a list of input references. */
struct weft__msg_hashlist {
    uint32_t count;
    const uint8_t *refs; /* count encoded refs: weft__hashlist_ref */
};

struct weft__msg_heartbeat {
    uint64_t time_ns;  /* sender's monotonic clock */
    uint32_t inflight; /* chunks the sender holds */
};

struct weft__msg_bye {
    uint32_t code; /* 0: normal end */
};

struct weft__msg_error {
    uint32_t code; /* positive errno value */
    uint64_t ref;  /* chunk id or frame seq the error concerns, or 0 */
    uint16_t text_len;
    const char *text;
};

/* A decoded frame: header plus the body that matches hdr.type. */
struct weft__msg {
    struct weft__hdr hdr;
    union {
        struct weft__msg_hello hello;
        struct weft__msg_challenge challenge;
        struct weft__msg_response response;
        struct weft__msg_welcome welcome;
        struct weft__msg_reject reject;
        struct weft__msg_chunk_req chunk_req;
        struct weft__msg_chunk_result chunk_result;
        struct weft__msg_input input;
        struct weft__msg_hashlist hashlist; /* HAVE and NEED */
        struct weft__msg_heartbeat heartbeat;
        struct weft__msg_bye bye;
        struct weft__msg_error error;
    } u;
};

/* Read cursor over hostile bytes. Every read checks `left`; the first
 * failure sets err (sticky) and later reads return zeros, so a decoder can
 * read all fields and test err once. */
struct weft__rd {
    const uint8_t *p;
    size_t left;
    int err; /* 0 or WEFT_EPROTO */
};

/* Growable write buffer that encoders append whole frames to; a failed
 * encode leaves it as it was. Ownership: data is malloc'd by the buffer;
 * release with weft__wbuf_free(). Thread: one owner at a time. */
struct weft__wbuf {
    uint8_t *data;
    size_t len, cap;
};
#define WEFT__WBUF_INITIALIZER                                                 \
    { NULL, 0, 0 }

/* Empties w but keeps its memory for the next frames. */
WEFT_INTERNAL void weft__wbuf_reset(struct weft__wbuf *w);
/* Releases w's memory; w is then empty and reusable. */
WEFT_INTERNAL void weft__wbuf_free(struct weft__wbuf *w);

/* Decodes and checks the 20-byte header at `buf`: magic (WEFT_EPROTO),
 * flags 0 (WEFT_EPROTO), version (WEFT_ENOTSUP: the other fields are still
 * filled in so a caller can answer with a REJECT), and length <= max_len
 * (WEFT_EMSGSIZE). Returns 0 or the error. Thread: any. */
WEFT_INTERNAL int weft__wire_decode_header(const uint8_t *buf, size_t max_len,
                                           struct weft__hdr *h);

/* Decodes the payload of a frame whose header is *h into m->u (m->hdr is
 * set to *h). Unknown types and malformed bodies give WEFT_EPROTO.
 * m's pointers point into `payload`. Thread: any. */
WEFT_INTERNAL int weft__wire_decode_body(const struct weft__hdr *h,
                                         const uint8_t *payload, size_t len,
                                         struct weft__msg *m);

/* Decodes a whole frame (header, then body) held in buf[0..n): the length
 * in the header must equal n - WEFT__WIRE_HDR_LEN and be at most max_len.
 * This is the entry point the fuzzer drives. */
WEFT_INTERNAL int weft__wire_decode_frame(const uint8_t *buf, size_t n,
                                          size_t max_len, struct weft__msg *m);

/* Appends one complete frame for m (type m->hdr.type, seq m->hdr.seq;
 * version and flags are ignored and written as WEFT__WIRE_VERSION and 0).
 * List fields (CHUNK_REQ inputs, HAVE/NEED refs, CHUNK_RESULT sections) are
 * taken pre-encoded, as a decoded message holds them; to build those
 * messages from structs use the weft__wire_encode_chunk_req/_result and
 * _hashlist encoders below. Re-encoding a decoded message gives back the
 * same bytes. Returns 0, WEFT_EINVAL (unknown type, a NULL pointer with a
 * non-zero length, malformed pre-encoded sections, or a field out of range
 * such as a name over WEFT__WIRE_NAME_MAX or lo > hi), WEFT_EMSGSIZE (payload
 * over WEFT__WIRE_MAX_FRAME) or WEFT_ENOMEM; on failure w->len is unchanged.
 * Thread: whoever owns w. */
WEFT_INTERNAL int weft__wire_encode(struct weft__wbuf *w,
                                    const struct weft__msg *m);

/* Reference i (< m->ninputs) of a decoded CHUNK_REQ. */
WEFT_INTERNAL void weft__chunk_req_input(const struct weft__msg_chunk_req *m,
                                         uint32_t i,
                                         struct weft__input_ref *out);

/* Reference i (< m->count) of a decoded HAVE or NEED. */
WEFT_INTERNAL void weft__hashlist_ref(const struct weft__msg_hashlist *m,
                                      uint32_t i, struct weft__input_ref *out);

/* Iterates the sections of a decoded CHUNK_RESULT: start with *pos = 0;
 * each call stores the next section and returns 1, or returns 0 at the end.
 * Decoding already validated every section, so iteration cannot fail. */
WEFT_INTERNAL int
weft__chunk_result_next(const struct weft__msg_chunk_result *m, size_t *pos,
                        struct weft__section *out);

/* Encoding helpers for messages with lists (the encoder reads the lists
 * through these pointers, so callers need not pre-encode them):
 * CHUNK_REQ inputs, HAVE/NEED refs and CHUNK_RESULT sections. */
struct weft__chunk_req_src {
    struct weft__msg_chunk_req m; /* inputs/ninputs ignored */
    const struct weft__input_ref *refs;
    uint32_t nrefs;
};
WEFT_INTERNAL int
weft__wire_encode_chunk_req(struct weft__wbuf *w, uint32_t seq,
                            const struct weft__chunk_req_src *s);

struct weft__chunk_result_src {
    struct weft__msg_chunk_result m; /* sections fields ignored */
    const struct weft__section *secs;
    uint32_t nsecs;
};
WEFT_INTERNAL int
weft__wire_encode_chunk_result(struct weft__wbuf *w, uint32_t seq,
                               const struct weft__chunk_result_src *s);

WEFT_INTERNAL int weft__wire_encode_hashlist(struct weft__wbuf *w,
                                             uint16_t type, uint32_t seq,
                                             const struct weft__input_ref *refs,
                                             uint32_t n);

/* Name of a message type for diagnostics ("?" when unknown). */
WEFT_INTERNAL const char *weft__msg_type_name(uint16_t type);

#endif
