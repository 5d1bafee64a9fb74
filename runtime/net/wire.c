/* This file handles encoding and decoding of cluster frames. Decoding goes
 * through a bounds-checked cursor (struct weft__rd): a short read sets a
 * sticky error instead of reading past the frame, counts are compared with
 * the bytes left before any loop or pointer arithmetic uses them, and a body
 * must end exactly at the end of its frame. Encoding appends a header and a
 * body to a growable buffer and patches the length in last. */
#include "net/wire.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Little-endian scalars                                              */
/* ------------------------------------------------------------------ */

static void put16(uint8_t *p, uint16_t v) {
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v) {
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v) {
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint16_t get16(const uint8_t *p) {
    return (uint16_t)(p[0] | (uint16_t)p[1] << 8);
}

static uint32_t get32(const uint8_t *p) {
    uint32_t v = 0;
    for (int i = 3; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

static uint64_t get64(const uint8_t *p) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

/* ------------------------------------------------------------------ */
/* Read cursor                                                        */
/* ------------------------------------------------------------------ */

/* Returns a pointer to the next n bytes and advances, or NULL (setting the
 * sticky error) when fewer than n are left. */
static const uint8_t *rd_take(struct weft__rd *r, size_t n) {
    if (r->err || n > r->left) {
        r->err = -EPROTO;
        return NULL;
    }
    const uint8_t *p = r->p;
    r->p += n;
    r->left -= n;
    return p;
}

static uint16_t rd_u16(struct weft__rd *r) {
    const uint8_t *p = rd_take(r, 2);
    return p ? get16(p) : 0;
}

static uint32_t rd_u32(struct weft__rd *r) {
    const uint8_t *p = rd_take(r, 4);
    return p ? get32(p) : 0;
}

static uint64_t rd_u64(struct weft__rd *r) {
    const uint8_t *p = rd_take(r, 8);
    return p ? get64(p) : 0;
}

static void rd_copy(struct weft__rd *r, void *dst, size_t n) {
    const uint8_t *p = rd_take(r, n);
    if (p)
        memcpy(dst, p, n);
    else
        memset(dst, 0, n);
}

static struct weft__hash128 rd_hash(struct weft__rd *r) {
    struct weft__hash128 h;
    h.lo = rd_u64(r);
    h.hi = rd_u64(r);
    return h;
}

/* Takes `count` records of `size` bytes each; the product is never formed
 * before checking that it fits in what is left, so it cannot overflow. */
static const uint8_t *rd_array(struct weft__rd *r, uint32_t count,
                               size_t size) {
    if (r->err || count > r->left / size) {
        r->err = -EPROTO;
        return NULL;
    }
    return rd_take(r, (size_t)count * size);
}

/* ------------------------------------------------------------------ */
/* Write buffer                                                       */
/* ------------------------------------------------------------------ */

void weft__wbuf_reset(struct weft__wbuf *w) { w->len = 0; }

void weft__wbuf_free(struct weft__wbuf *w) {
    free(w->data);
    w->data = NULL;
    w->len = w->cap = 0;
}

/* Encoding state of one frame: where its header starts in the buffer. */
struct enc {
    struct weft__wbuf *w;
    size_t start;
    int err;
};

/* Makes room for n more bytes of the current frame and returns where they
 * go, or NULL with e->err set. The payload limit is checked here, before
 * any growth, so an oversized message never allocates its full size. */
static uint8_t *enc_room(struct enc *e, size_t n) {
    struct weft__wbuf *w = e->w;
    if (e->err)
        return NULL;
    size_t body = w->len - e->start - WEFT__WIRE_HDR_LEN;
    if (n > WEFT__WIRE_MAX_FRAME - body) {
        e->err = -EMSGSIZE;
        return NULL;
    }
    if (n > w->cap - w->len) {
        size_t cap = w->cap ? w->cap : 256;
        while (cap - w->len < n)
            cap *= 2; /* bounded: len + n <= start + 20 + 64 MiB */
        uint8_t *d = realloc(w->data, cap);
        if (!d) {
            e->err = -ENOMEM;
            return NULL;
        }
        w->data = d;
        w->cap = cap;
    }
    uint8_t *p = w->data + w->len;
    w->len += n;
    return p;
}

static void enc_u16(struct enc *e, uint16_t v) {
    uint8_t *p = enc_room(e, 2);
    if (p)
        put16(p, v);
}

static void enc_u32(struct enc *e, uint32_t v) {
    uint8_t *p = enc_room(e, 4);
    if (p)
        put32(p, v);
}

static void enc_u64(struct enc *e, uint64_t v) {
    uint8_t *p = enc_room(e, 8);
    if (p)
        put64(p, v);
}

static void enc_bytes(struct enc *e, const void *src, size_t n) {
    if (n == 0)
        return;
    if (!src) {
        e->err = e->err ? e->err : -EINVAL;
        return;
    }
    if (n > WEFT__WIRE_MAX_FRAME) {
        e->err = e->err ? e->err : -EMSGSIZE;
        return;
    }
    uint8_t *p = enc_room(e, n);
    if (p)
        memcpy(p, src, n);
}

static void enc_hash(struct enc *e, struct weft__hash128 h) {
    enc_u64(e, h.lo);
    enc_u64(e, h.hi);
}

static void enc_ref(struct enc *e, const struct weft__input_ref *r) {
    enc_hash(e, r->hash);
    enc_u64(e, r->length);
}

/* Starts a frame: reserves the header (length patched by enc_end). */
static struct enc enc_begin(struct weft__wbuf *w, uint16_t type, uint32_t seq) {
    struct enc e = {w, w->len, 0};
    /* The header is reserved without the payload check (body is empty). */
    if (WEFT__WIRE_HDR_LEN > w->cap - w->len) {
        size_t cap = w->cap ? w->cap : 256;
        while (cap - w->len < WEFT__WIRE_HDR_LEN)
            cap *= 2;
        uint8_t *d = realloc(w->data, cap);
        if (!d) {
            e.err = -ENOMEM;
            return e;
        }
        w->data = d;
        w->cap = cap;
    }
    uint8_t *h = w->data + w->len;
    put32(h, WEFT__WIRE_MAGIC);
    put16(h + 4, WEFT__WIRE_VERSION);
    put16(h + 6, type);
    put32(h + 8, 0);
    put32(h + 12, seq);
    put32(h + 16, 0);
    w->len += WEFT__WIRE_HDR_LEN;
    return e;
}

/* Finishes a frame: patches its length, or rolls the buffer back to where
 * the frame began if anything failed. Returns 0 or the error. */
static int enc_end(struct enc *e) {
    struct weft__wbuf *w = e->w;
    if (e->err) {
        if (w->len >= e->start && w->data)
            w->len = e->start;
        return e->err;
    }
    size_t body = w->len - e->start - WEFT__WIRE_HDR_LEN;
    put32(w->data + e->start + 16, (uint32_t)body);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Header                                                             */
/* ------------------------------------------------------------------ */

int weft__wire_decode_header(const uint8_t *buf, size_t max_len,
                             struct weft__hdr *h) {
    if (get32(buf) != WEFT__WIRE_MAGIC)
        return -EPROTO;
    h->version = get16(buf + 4);
    h->type = get16(buf + 6);
    h->flags = get32(buf + 8);
    h->seq = get32(buf + 12);
    h->length = get32(buf + 16);
    if (h->flags != 0)
        return -EPROTO;
    if (h->length > max_len || h->length > WEFT__WIRE_MAX_FRAME)
        return -EMSGSIZE;
    if (h->version != WEFT__WIRE_VERSION)
        return -ENOTSUP;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Bodies                                                             */
/* ------------------------------------------------------------------ */

/* Sections are {u32 map_index, u64 offset, u64 len, bytes[len]}. */
#define SECTION_HEAD 20

static int dec_section(struct weft__rd *r, struct weft__section *s) {
    s->map_index = rd_u32(r);
    s->offset = rd_u64(r);
    s->len = rd_u64(r);
    /* offset + len must not wrap: a slice of an address space. */
    if (!r->err && s->len > UINT64_MAX - s->offset)
        r->err = -EPROTO;
    if (!r->err && s->len > r->left)
        r->err = -EPROTO;
    s->bytes = r->err ? NULL : rd_take(r, (size_t)s->len);
    return r->err;
}

static void dec_hello(struct weft__rd *r, struct weft__msg_hello *m) {
    m->version = rd_u16(r);
    m->role = rd_u16(r);
    m->nthreads = rd_u32(r);
    rd_copy(r, m->build_id, sizeof m->build_id);
    rd_copy(r, m->nonce, sizeof m->nonce);
    m->name_len = rd_u16(r);
    if (m->name_len > WEFT__WIRE_NAME_MAX)
        r->err = -EPROTO;
    m->name = (const char *)rd_take(r, m->name_len);
    if (!r->err && m->role != WEFT__ROLE_COORDINATOR &&
        m->role != WEFT__ROLE_WORKER)
        r->err = -EPROTO;
}

static void dec_text(struct weft__rd *r, uint16_t *len, const char **text) {
    *len = rd_u16(r);
    if (*len > WEFT__WIRE_NAME_MAX)
        r->err = -EPROTO;
    *text = (const char *)rd_take(r, *len);
}

static void dec_chunk_req(struct weft__rd *r, struct weft__msg_chunk_req *m) {
    m->loop_id = rd_u32(r);
    m->body_index = rd_u32(r);
    m->chunk_id = rd_u64(r);
    m->lo = rd_u64(r);
    m->hi = rd_u64(r);
    if (!r->err && m->lo > m->hi)
        r->err = -EPROTO;
    m->ninputs = rd_u32(r);
    m->inputs = rd_array(r, m->ninputs, WEFT__WIRE_INPUT_REF_LEN);
    m->data_len = rd_u32(r);
    m->data = rd_array(r, m->data_len, 1);
}

static void dec_chunk_result(struct weft__rd *r,
                             struct weft__msg_chunk_result *m) {
    m->loop_id = rd_u32(r);
    m->status = (int32_t)rd_u32(r);
    m->chunk_id = rd_u64(r);
    m->run_ns = rd_u64(r);
    m->nsections = rd_u32(r);
    /* Each section needs at least its head: reject impossible counts
     * before walking them. */
    if (!r->err && m->nsections > r->left / SECTION_HEAD)
        r->err = -EPROTO;
    m->sections = r->err ? NULL : r->p;
    size_t before = r->left;
    for (uint32_t i = 0; i < m->nsections && !r->err; i++) {
        struct weft__section s;
        dec_section(r, &s);
    }
    m->sections_len = r->err ? 0 : before - r->left;
    m->red_len = rd_u32(r);
    m->red = rd_array(r, m->red_len, 1);
}

static void dec_input(struct weft__rd *r, struct weft__msg_input *m) {
    m->hash = rd_hash(r);
    m->total_len = rd_u64(r);
    m->offset = rd_u64(r);
    m->len = rd_u32(r);
    /* The part must lie inside the section: offset + len <= total_len,
     * written so that neither side can overflow. */
    if (!r->err &&
        (m->offset > m->total_len || m->len > m->total_len - m->offset))
        r->err = -EPROTO;
    m->bytes = rd_array(r, m->len, 1);
}

static void dec_hashlist(struct weft__rd *r, struct weft__msg_hashlist *m) {
    m->count = rd_u32(r);
    m->refs = rd_array(r, m->count, WEFT__WIRE_INPUT_REF_LEN);
}

int weft__wire_decode_body(const struct weft__hdr *h, const uint8_t *payload,
                           size_t len, struct weft__msg *m) {
    struct weft__rd r = {payload, len, 0};
    memset(m, 0, sizeof *m);
    m->hdr = *h;
    if (len != h->length)
        return -EPROTO;
    switch (h->type) {
    case WEFT__MSG_HELLO:
        dec_hello(&r, &m->u.hello);
        break;
    case WEFT__MSG_CHALLENGE:
        rd_copy(&r, m->u.challenge.nonce, WEFT__WIRE_NONCE_LEN);
        rd_copy(&r, m->u.challenge.mac, WEFT__WIRE_MAC_LEN);
        break;
    case WEFT__MSG_RESPONSE:
        rd_copy(&r, m->u.response.mac, WEFT__WIRE_MAC_LEN);
        break;
    case WEFT__MSG_WELCOME:
        m->u.welcome.node_id = rd_u32(&r);
        m->u.welcome.heartbeat_ms = rd_u32(&r);
        break;
    case WEFT__MSG_REJECT:
        m->u.reject.reason = rd_u16(&r);
        dec_text(&r, &m->u.reject.text_len, &m->u.reject.text);
        break;
    case WEFT__MSG_CHUNK_REQ:
        dec_chunk_req(&r, &m->u.chunk_req);
        break;
    case WEFT__MSG_CHUNK_RESULT:
        dec_chunk_result(&r, &m->u.chunk_result);
        break;
    case WEFT__MSG_INPUT:
        dec_input(&r, &m->u.input);
        break;
    case WEFT__MSG_HAVE:
    case WEFT__MSG_NEED:
        dec_hashlist(&r, &m->u.hashlist);
        break;
    case WEFT__MSG_HEARTBEAT:
        m->u.heartbeat.time_ns = rd_u64(&r);
        m->u.heartbeat.inflight = rd_u32(&r);
        break;
    case WEFT__MSG_BYE:
        m->u.bye.code = rd_u32(&r);
        break;
    case WEFT__MSG_ERROR:
        m->u.error.code = rd_u32(&r);
        m->u.error.ref = rd_u64(&r);
        dec_text(&r, &m->u.error.text_len, &m->u.error.text);
        break;
    default:
        return -EPROTO;
    }
    if (r.err)
        return r.err;
    return r.left == 0 ? 0 : -EPROTO; /* trailing bytes are malformed */
}

int weft__wire_decode_frame(const uint8_t *buf, size_t n, size_t max_len,
                            struct weft__msg *m) {
    struct weft__hdr h;
    if (n < WEFT__WIRE_HDR_LEN)
        return -EPROTO;
    int rc = weft__wire_decode_header(buf, max_len, &h);
    if (rc != 0)
        return rc;
    if (h.length != n - WEFT__WIRE_HDR_LEN)
        return -EPROTO;
    return weft__wire_decode_body(&h, buf + WEFT__WIRE_HDR_LEN, h.length, m);
}

/* ------------------------------------------------------------------ */
/* List accessors                                                     */
/* ------------------------------------------------------------------ */

static void ref_at(const uint8_t *base, uint32_t i,
                   struct weft__input_ref *out) {
    const uint8_t *p = base + (size_t)i * WEFT__WIRE_INPUT_REF_LEN;
    out->hash.lo = get64(p);
    out->hash.hi = get64(p + 8);
    out->length = get64(p + 16);
}

void weft__chunk_req_input(const struct weft__msg_chunk_req *m, uint32_t i,
                           struct weft__input_ref *out) {
    ref_at(m->inputs, i, out);
}

void weft__hashlist_ref(const struct weft__msg_hashlist *m, uint32_t i,
                        struct weft__input_ref *out) {
    ref_at(m->refs, i, out);
}

int weft__chunk_result_next(const struct weft__msg_chunk_result *m, size_t *pos,
                            struct weft__section *out) {
    if (*pos >= m->sections_len)
        return 0;
    struct weft__rd r = {m->sections + *pos, m->sections_len - *pos, 0};
    if (dec_section(&r, out) != 0)
        return 0; /* unreachable for a decoded message */
    *pos = m->sections_len - r.left;
    return 1;
}

/* ------------------------------------------------------------------ */
/* Encoders                                                           */
/* ------------------------------------------------------------------ */

static void enc_text(struct enc *e, uint16_t len, const char *text) {
    if (len > WEFT__WIRE_NAME_MAX) {
        e->err = e->err ? e->err : -EINVAL;
        return;
    }
    enc_u16(e, len);
    enc_bytes(e, text, len);
}

static void enc_section(struct enc *e, const struct weft__section *s) {
    if (s->len > UINT64_MAX - s->offset) {
        e->err = e->err ? e->err : -EINVAL;
        return;
    }
    enc_u32(e, s->map_index);
    enc_u64(e, s->offset);
    enc_u64(e, s->len);
    if (s->len > WEFT__WIRE_MAX_FRAME)
        e->err = e->err ? e->err : -EMSGSIZE;
    else
        enc_bytes(e, s->bytes, (size_t)s->len);
}

/* Body of a CHUNK_REQ, with the refs either pre-encoded (`raw`, from a
 * decoded message) or as structs (`refs`). */
static void enc_chunk_req_body(struct enc *e,
                               const struct weft__msg_chunk_req *m,
                               const uint8_t *raw,
                               const struct weft__input_ref *refs, uint32_t n) {
    if (m->lo > m->hi)
        e->err = e->err ? e->err : -EINVAL;
    enc_u32(e, m->loop_id);
    enc_u32(e, m->body_index);
    enc_u64(e, m->chunk_id);
    enc_u64(e, m->lo);
    enc_u64(e, m->hi);
    enc_u32(e, n);
    if (n && !raw && !refs)
        e->err = e->err ? e->err : -EINVAL;
    if (raw) {
        if (n > WEFT__WIRE_MAX_FRAME / WEFT__WIRE_INPUT_REF_LEN)
            e->err = e->err ? e->err : -EMSGSIZE;
        else
            enc_bytes(e, raw, (size_t)n * WEFT__WIRE_INPUT_REF_LEN);
    } else {
        for (uint32_t i = 0; refs && i < n && !e->err; i++)
            enc_ref(e, &refs[i]);
    }
    enc_u32(e, m->data_len);
    enc_bytes(e, m->data, m->data_len);
}

static void enc_chunk_result_head(struct enc *e,
                                  const struct weft__msg_chunk_result *m,
                                  uint32_t nsecs) {
    enc_u32(e, m->loop_id);
    enc_u32(e, (uint32_t)m->status);
    enc_u64(e, m->chunk_id);
    enc_u64(e, m->run_ns);
    enc_u32(e, nsecs);
}

static void enc_hashlist_body(struct enc *e, const uint8_t *raw,
                              const struct weft__input_ref *refs, uint32_t n) {
    enc_u32(e, n);
    if (n && !raw && !refs)
        e->err = e->err ? e->err : -EINVAL;
    if (raw) {
        if (n > WEFT__WIRE_MAX_FRAME / WEFT__WIRE_INPUT_REF_LEN)
            e->err = e->err ? e->err : -EMSGSIZE;
        else
            enc_bytes(e, raw, (size_t)n * WEFT__WIRE_INPUT_REF_LEN);
    } else {
        for (uint32_t i = 0; refs && i < n && !e->err; i++)
            enc_ref(e, &refs[i]);
    }
}

int weft__wire_encode(struct weft__wbuf *w, const struct weft__msg *m) {
    struct enc e = enc_begin(w, m->hdr.type, m->hdr.seq);
    switch (m->hdr.type) {
    case WEFT__MSG_HELLO: {
        const struct weft__msg_hello *h = &m->u.hello;
        if (h->role != WEFT__ROLE_COORDINATOR && h->role != WEFT__ROLE_WORKER)
            e.err = e.err ? e.err : -EINVAL;
        enc_u16(&e, h->version);
        enc_u16(&e, h->role);
        enc_u32(&e, h->nthreads);
        enc_bytes(&e, h->build_id, sizeof h->build_id);
        enc_bytes(&e, h->nonce, sizeof h->nonce);
        enc_text(&e, h->name_len, h->name);
        break;
    }
    case WEFT__MSG_CHALLENGE:
        enc_bytes(&e, m->u.challenge.nonce, WEFT__WIRE_NONCE_LEN);
        enc_bytes(&e, m->u.challenge.mac, WEFT__WIRE_MAC_LEN);
        break;
    case WEFT__MSG_RESPONSE:
        enc_bytes(&e, m->u.response.mac, WEFT__WIRE_MAC_LEN);
        break;
    case WEFT__MSG_WELCOME:
        enc_u32(&e, m->u.welcome.node_id);
        enc_u32(&e, m->u.welcome.heartbeat_ms);
        break;
    case WEFT__MSG_REJECT:
        enc_u16(&e, m->u.reject.reason);
        enc_text(&e, m->u.reject.text_len, m->u.reject.text);
        break;
    case WEFT__MSG_CHUNK_REQ:
        enc_chunk_req_body(&e, &m->u.chunk_req, m->u.chunk_req.inputs, NULL,
                           m->u.chunk_req.ninputs);
        break;
    case WEFT__MSG_CHUNK_RESULT: {
        /* The sections arrive pre-encoded (a decoded view): check that
         * they hold exactly nsections well-formed sections, so that what
         * we write decodes again. */
        const struct weft__msg_chunk_result *c = &m->u.chunk_result;
        struct weft__rd r = {c->sections, c->sections_len, 0};
        struct weft__section sec;
        if (c->sections_len && !c->sections)
            r.err = -EPROTO;
        for (uint32_t i = 0; i < c->nsections && !r.err; i++)
            dec_section(&r, &sec);
        if (r.err || r.left != 0)
            e.err = e.err ? e.err : -EINVAL;
        enc_chunk_result_head(&e, c, c->nsections);
        enc_bytes(&e, c->sections, c->sections_len);
        enc_u32(&e, c->red_len);
        enc_bytes(&e, c->red, c->red_len);
        break;
    }
    case WEFT__MSG_INPUT: {
        const struct weft__msg_input *in = &m->u.input;
        if (in->offset > in->total_len || in->len > in->total_len - in->offset)
            e.err = e.err ? e.err : -EINVAL;
        enc_hash(&e, in->hash);
        enc_u64(&e, in->total_len);
        enc_u64(&e, in->offset);
        enc_u32(&e, in->len);
        enc_bytes(&e, in->bytes, in->len);
        break;
    }
    case WEFT__MSG_HAVE:
    case WEFT__MSG_NEED:
        enc_hashlist_body(&e, m->u.hashlist.refs, NULL, m->u.hashlist.count);
        break;
    case WEFT__MSG_HEARTBEAT:
        enc_u64(&e, m->u.heartbeat.time_ns);
        enc_u32(&e, m->u.heartbeat.inflight);
        break;
    case WEFT__MSG_BYE:
        enc_u32(&e, m->u.bye.code);
        break;
    case WEFT__MSG_ERROR:
        enc_u32(&e, m->u.error.code);
        enc_u64(&e, m->u.error.ref);
        enc_text(&e, m->u.error.text_len, m->u.error.text);
        break;
    default:
        e.err = e.err ? e.err : -EINVAL;
        break;
    }
    return enc_end(&e);
}

int weft__wire_encode_chunk_req(struct weft__wbuf *w, uint32_t seq,
                                const struct weft__chunk_req_src *s) {
    struct enc e = enc_begin(w, WEFT__MSG_CHUNK_REQ, seq);
    if (s->nrefs && !s->refs)
        e.err = e.err ? e.err : -EINVAL;
    enc_chunk_req_body(&e, &s->m, NULL, s->refs, s->nrefs);
    return enc_end(&e);
}

int weft__wire_encode_chunk_result(struct weft__wbuf *w, uint32_t seq,
                                   const struct weft__chunk_result_src *s) {
    struct enc e = enc_begin(w, WEFT__MSG_CHUNK_RESULT, seq);
    if (s->nsecs && !s->secs)
        e.err = e.err ? e.err : -EINVAL;
    enc_chunk_result_head(&e, &s->m, s->nsecs);
    for (uint32_t i = 0; s->secs && i < s->nsecs && !e.err; i++)
        enc_section(&e, &s->secs[i]);
    enc_u32(&e, s->m.red_len);
    enc_bytes(&e, s->m.red, s->m.red_len);
    return enc_end(&e);
}

int weft__wire_encode_hashlist(struct weft__wbuf *w, uint16_t type,
                               uint32_t seq, const struct weft__input_ref *refs,
                               uint32_t n) {
    struct enc e = enc_begin(w, type, seq);
    if (type != WEFT__MSG_HAVE && type != WEFT__MSG_NEED)
        e.err = e.err ? e.err : -EINVAL;
    if (n && !refs)
        e.err = e.err ? e.err : -EINVAL;
    enc_hashlist_body(&e, NULL, refs, n);
    return enc_end(&e);
}

const char *weft__msg_type_name(uint16_t type) {
    switch (type) {
    case WEFT__MSG_HELLO:
        return "HELLO";
    case WEFT__MSG_CHALLENGE:
        return "CHALLENGE";
    case WEFT__MSG_RESPONSE:
        return "RESPONSE";
    case WEFT__MSG_WELCOME:
        return "WELCOME";
    case WEFT__MSG_REJECT:
        return "REJECT";
    case WEFT__MSG_CHUNK_REQ:
        return "CHUNK_REQ";
    case WEFT__MSG_CHUNK_RESULT:
        return "CHUNK_RESULT";
    case WEFT__MSG_INPUT:
        return "INPUT";
    case WEFT__MSG_HAVE:
        return "HAVE";
    case WEFT__MSG_NEED:
        return "NEED";
    case WEFT__MSG_HEARTBEAT:
        return "HEARTBEAT";
    case WEFT__MSG_BYE:
        return "BYE";
    case WEFT__MSG_ERROR:
        return "ERROR";
    default:
        return "?";
    }
}
