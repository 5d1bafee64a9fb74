/* This file handles the tests of the wire format: every message survives an
 * encode/decode round trip with every field intact, and the decoder refuses
 * truncated frames, wrong magic, other versions, unknown flags and types,
 * oversized lengths, trailing bytes and counts or offsets that would
 * overflow. Hostile frames are built by hand, byte by byte. */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "net/wire.h"
#include "net_test.h"

static void le32(uint8_t *p, uint32_t v) {
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void le64(uint8_t *p, uint64_t v) {
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* Hand-built frame: header + body of `len` bytes. */
static size_t mkframe(uint8_t *out, uint16_t version, uint16_t type,
                      uint32_t flags, const uint8_t *body, uint32_t len) {
    le32(out, WEFT__WIRE_MAGIC);
    out[4] = (uint8_t)version;
    out[5] = (uint8_t)(version >> 8);
    out[6] = (uint8_t)type;
    out[7] = (uint8_t)(type >> 8);
    le32(out + 8, flags);
    le32(out + 12, 77);
    le32(out + 16, len);
    if (len)
        memcpy(out + WEFT__WIRE_HDR_LEN, body, len);
    return WEFT__WIRE_HDR_LEN + len;
}

/* Checks a frame at w[0..len): it decodes, re-encodes to the same bytes,
 * and every strict prefix of it is refused. */
static void check_frame(const uint8_t *buf, size_t len, struct weft__msg *m) {
    NT_EQ_FATAL(weft__wire_decode_frame(buf, len, WEFT__WIRE_MAX_FRAME, m), 0);
    struct weft__wbuf again = WEFT__WBUF_INITIALIZER;
    NT_EQ(weft__wire_encode(&again, m), 0);
    NT_EQ(again.len, len);
    NT_TRUE(again.len == len && memcmp(again.data, buf, len) == 0);
    weft__wbuf_free(&again);
    for (size_t cut = 0; cut < len; cut++) {
        struct weft__msg t;
        int rc = weft__wire_decode_frame(buf, cut, WEFT__WIRE_MAX_FRAME, &t);
        if (rc == 0)
            NT_EQ(cut, (size_t)-1); /* a truncated frame must never decode */
        /* A truncated body under an honest header is refused too. */
        if (cut >= WEFT__WIRE_HDR_LEN) {
            struct weft__hdr h;
            NT_EQ(weft__wire_decode_header(buf, WEFT__WIRE_MAX_FRAME, &h), 0);
            h.length = (uint32_t)(cut - WEFT__WIRE_HDR_LEN);
            NT_EQ(weft__wire_decode_body(&h, buf + WEFT__WIRE_HDR_LEN,
                                         h.length, &t),
                  -EPROTO);
        }
    }
}

static void test_roundtrip_handshake(void) {
    struct weft__wbuf w = WEFT__WBUF_INITIALIZER;
    struct weft__msg m, d;

    memset(&m, 0, sizeof m);
    m.hdr.type = WEFT__MSG_HELLO;
    m.hdr.seq = 0xdeadbeef;
    m.u.hello.version = WEFT__WIRE_VERSION;
    m.u.hello.role = WEFT__ROLE_WORKER;
    m.u.hello.nthreads = 48;
    for (int i = 0; i < 32; i++) {
        m.u.hello.build_id[i] = (uint8_t)(i * 7);
        m.u.hello.nonce[i] = (uint8_t)(255 - i);
    }
    m.u.hello.name = "node-17";
    m.u.hello.name_len = 7;
    NT_EQ_FATAL(weft__wire_encode(&w, &m), 0);
    NT_EQ(w.len, WEFT__WIRE_HDR_LEN + 2 + 2 + 4 + 32 + 32 + 2 + 7);
    check_frame(w.data, w.len, &d);
    NT_EQ(d.hdr.type, WEFT__MSG_HELLO);
    NT_EQ(d.hdr.seq, 0xdeadbeef);
    NT_EQ(d.hdr.version, WEFT__WIRE_VERSION);
    NT_EQ(d.u.hello.role, WEFT__ROLE_WORKER);
    NT_EQ(d.u.hello.nthreads, 48);
    NT_EQ(memcmp(d.u.hello.build_id, m.u.hello.build_id, 32), 0);
    NT_EQ(memcmp(d.u.hello.nonce, m.u.hello.nonce, 32), 0);
    NT_EQ(d.u.hello.name_len, 7);
    NT_EQ(memcmp(d.u.hello.name, "node-17", 7), 0);

    weft__wbuf_reset(&w);
    memset(&m, 0, sizeof m);
    m.hdr.type = WEFT__MSG_CHALLENGE;
    memset(m.u.challenge.nonce, 0xa5, 32);
    memset(m.u.challenge.mac, 0x5a, 32);
    NT_EQ_FATAL(weft__wire_encode(&w, &m), 0);
    check_frame(w.data, w.len, &d);
    NT_EQ(d.u.challenge.nonce[31], 0xa5);
    NT_EQ(d.u.challenge.mac[0], 0x5a);

    weft__wbuf_reset(&w);
    memset(&m, 0, sizeof m);
    m.hdr.type = WEFT__MSG_RESPONSE;
    for (int i = 0; i < 32; i++)
        m.u.response.mac[i] = (uint8_t)i;
    NT_EQ_FATAL(weft__wire_encode(&w, &m), 0);
    check_frame(w.data, w.len, &d);
    NT_EQ(d.u.response.mac[17], 17);

    weft__wbuf_reset(&w);
    memset(&m, 0, sizeof m);
    m.hdr.type = WEFT__MSG_WELCOME;
    m.u.welcome.node_id = 3;
    m.u.welcome.heartbeat_ms = 250;
    NT_EQ_FATAL(weft__wire_encode(&w, &m), 0);
    check_frame(w.data, w.len, &d);
    NT_EQ(d.u.welcome.node_id, 3);
    NT_EQ(d.u.welcome.heartbeat_ms, 250);

    weft__wbuf_reset(&w);
    memset(&m, 0, sizeof m);
    m.hdr.type = WEFT__MSG_REJECT;
    m.u.reject.reason = WEFT__REJECT_BUILD_ID;
    m.u.reject.text = "other binary";
    m.u.reject.text_len = 12;
    NT_EQ_FATAL(weft__wire_encode(&w, &m), 0);
    check_frame(w.data, w.len, &d);
    NT_EQ(d.u.reject.reason, WEFT__REJECT_BUILD_ID);
    NT_EQ(d.u.reject.text_len, 12);
    NT_EQ(memcmp(d.u.reject.text, "other binary", 12), 0);
    weft__wbuf_free(&w);
}

static void test_roundtrip_chunks(void) {
    struct weft__wbuf w = WEFT__WBUF_INITIALIZER;
    struct weft__msg d;
    struct weft__input_ref refs[3] = {
        {{1, 2}, 100}, {{UINT64_MAX, 5}, 0}, {{7, UINT64_MAX}, 1u << 30}};
    uint8_t scal[5] = {9, 8, 7, 6, 5};
    struct weft__chunk_req_src rq;
    memset(&rq, 0, sizeof rq);
    rq.m.loop_id = 11;
    rq.m.body_index = 2;
    rq.m.chunk_id = 1ull << 40;
    rq.m.lo = 1000;
    rq.m.hi = UINT64_MAX;
    rq.m.data = scal;
    rq.m.data_len = sizeof scal;
    rq.refs = refs;
    rq.nrefs = 3;
    NT_EQ_FATAL(weft__wire_encode_chunk_req(&w, 5, &rq), 0);
    check_frame(w.data, w.len, &d);
    NT_EQ(d.hdr.type, WEFT__MSG_CHUNK_REQ);
    NT_EQ(d.hdr.seq, 5);
    NT_EQ(d.u.chunk_req.loop_id, 11);
    NT_EQ(d.u.chunk_req.body_index, 2);
    NT_EQ(d.u.chunk_req.chunk_id, 1ll << 40);
    NT_EQ(d.u.chunk_req.lo, 1000);
    NT_TRUE(d.u.chunk_req.hi == UINT64_MAX);
    NT_EQ_FATAL(d.u.chunk_req.ninputs, 3);
    for (uint32_t i = 0; i < 3; i++) {
        struct weft__input_ref r;
        weft__chunk_req_input(&d.u.chunk_req, i, &r);
        NT_TRUE(r.hash.lo == refs[i].hash.lo && r.hash.hi == refs[i].hash.hi);
        NT_EQ(r.length, refs[i].length);
    }
    NT_EQ(d.u.chunk_req.data_len, 5);
    NT_EQ(memcmp(d.u.chunk_req.data, scal, 5), 0);

    /* A chunk result with three sections (one empty) and a partial. */
    weft__wbuf_reset(&w);
    uint8_t a[300], b[3] = {1, 2, 3};
    double red[2] = {1.5, -2.25};
    for (int i = 0; i < 300; i++)
        a[i] = (uint8_t)(i * 13);
    struct weft__section secs[3] = {
        {0, 4096, sizeof a, a}, {1, 0, 0, NULL}, {7, 12, 3, b}};
    struct weft__chunk_result_src rs;
    memset(&rs, 0, sizeof rs);
    rs.m.loop_id = 11;
    rs.m.status = -EIO;
    rs.m.chunk_id = 99;
    rs.m.run_ns = 1234567;
    rs.m.red = (const uint8_t *)red;
    rs.m.red_len = sizeof red;
    rs.secs = secs;
    rs.nsecs = 3;
    NT_EQ_FATAL(weft__wire_encode_chunk_result(&w, 6, &rs), 0);
    check_frame(w.data, w.len, &d);
    const struct weft__msg_chunk_result *cr = &d.u.chunk_result;
    NT_EQ(cr->status, -EIO);
    NT_EQ(cr->chunk_id, 99);
    NT_EQ(cr->run_ns, 1234567);
    NT_EQ(cr->nsections, 3);
    size_t pos = 0;
    struct weft__section s;
    int n = 0;
    while (weft__chunk_result_next(cr, &pos, &s)) {
        NT_EQ(s.map_index, secs[n].map_index);
        NT_EQ(s.offset, secs[n].offset);
        NT_EQ_FATAL(s.len, secs[n].len);
        if (s.len)
            NT_EQ(memcmp(s.bytes, secs[n].bytes, s.len), 0);
        n++;
    }
    NT_EQ(n, 3);
    NT_EQ_FATAL(cr->red_len, sizeof red);
    double got[2];
    memcpy(got, cr->red, sizeof got);
    NT_TRUE(got[0] == 1.5 && got[1] == -2.25);
    weft__wbuf_free(&w);
}

static void test_roundtrip_other(void) {
    struct weft__wbuf w = WEFT__WBUF_INITIALIZER;
    struct weft__msg m, d;
    uint8_t bytes[64];
    for (int i = 0; i < 64; i++)
        bytes[i] = (uint8_t)(i ^ 0x33);

    memset(&m, 0, sizeof m);
    m.hdr.type = WEFT__MSG_INPUT;
    m.u.input.hash.lo = 42;
    m.u.input.hash.hi = 43;
    m.u.input.total_len = 1000;
    m.u.input.offset = 936;
    m.u.input.len = 64;
    m.u.input.bytes = bytes;
    NT_EQ_FATAL(weft__wire_encode(&w, &m), 0);
    check_frame(w.data, w.len, &d);
    NT_EQ(d.u.input.hash.lo, 42);
    NT_EQ(d.u.input.hash.hi, 43);
    NT_EQ(d.u.input.total_len, 1000);
    NT_EQ(d.u.input.offset, 936);
    NT_EQ_FATAL(d.u.input.len, 64);
    NT_EQ(memcmp(d.u.input.bytes, bytes, 64), 0);

    struct weft__input_ref refs[2] = {{{5, 6}, 7}, {{8, 9}, 10}};
    for (int t = WEFT__MSG_HAVE; t <= WEFT__MSG_NEED; t++) {
        weft__wbuf_reset(&w);
        NT_EQ_FATAL(weft__wire_encode_hashlist(&w, (uint16_t)t, 1, refs, 2),
                    0);
        check_frame(w.data, w.len, &d);
        NT_EQ(d.hdr.type, t);
        NT_EQ_FATAL(d.u.hashlist.count, 2);
        struct weft__input_ref r;
        weft__hashlist_ref(&d.u.hashlist, 1, &r);
        NT_EQ(r.hash.lo, 8);
        NT_EQ(r.hash.hi, 9);
        NT_EQ(r.length, 10);
    }
    NT_EQ(weft__wire_encode_hashlist(&w, WEFT__MSG_BYE, 1, refs, 2), -EINVAL);

    weft__wbuf_reset(&w);
    memset(&m, 0, sizeof m);
    m.hdr.type = WEFT__MSG_HEARTBEAT;
    m.u.heartbeat.time_ns = 0x0102030405060708ull;
    m.u.heartbeat.inflight = 2;
    NT_EQ_FATAL(weft__wire_encode(&w, &m), 0);
    check_frame(w.data, w.len, &d);
    NT_EQ(d.u.heartbeat.time_ns, 0x0102030405060708ll);
    NT_EQ(d.u.heartbeat.inflight, 2);
    /* Little-endian on the wire, whatever the host. */
    NT_EQ(w.data[WEFT__WIRE_HDR_LEN], 0x08);
    NT_EQ(w.data[0], 'W');
    NT_EQ(w.data[3], 'T');

    weft__wbuf_reset(&w);
    memset(&m, 0, sizeof m);
    m.hdr.type = WEFT__MSG_BYE;
    m.u.bye.code = 4;
    NT_EQ_FATAL(weft__wire_encode(&w, &m), 0);
    check_frame(w.data, w.len, &d);
    NT_EQ(d.u.bye.code, 4);

    weft__wbuf_reset(&w);
    memset(&m, 0, sizeof m);
    m.hdr.type = WEFT__MSG_ERROR;
    m.u.error.code = ENOMEM;
    m.u.error.ref = 77;
    m.u.error.text = "out of memory on node 3";
    m.u.error.text_len = (uint16_t)strlen(m.u.error.text);
    NT_EQ_FATAL(weft__wire_encode(&w, &m), 0);
    check_frame(w.data, w.len, &d);
    NT_EQ(d.u.error.code, ENOMEM);
    NT_EQ(d.u.error.ref, 77);
    NT_EQ(d.u.error.text_len, m.u.error.text_len);

    /* Several frames appended to one buffer decode one after another. */
    weft__wbuf_reset(&w);
    NT_EQ(weft__wire_encode(&w, &m), 0);
    size_t first = w.len;
    m.hdr.type = WEFT__MSG_BYE;
    NT_EQ(weft__wire_encode(&w, &m), 0);
    NT_EQ(weft__wire_decode_frame(w.data, first, WEFT__WIRE_MAX_FRAME, &d), 0);
    NT_EQ(weft__wire_decode_frame(w.data + first, w.len - first,
                                  WEFT__WIRE_MAX_FRAME, &d),
          0);
    NT_EQ(d.hdr.type, WEFT__MSG_BYE);
    weft__wbuf_free(&w);
}

static void test_header_checks(void) {
    uint8_t f[64], body[4] = {1, 0, 0, 0};
    struct weft__msg d;
    struct weft__hdr h;
    size_t n = mkframe(f, WEFT__WIRE_VERSION, WEFT__MSG_BYE, 0, body, 4);
    NT_EQ(weft__wire_decode_frame(f, n, WEFT__WIRE_MAX_FRAME, &d), 0);
    NT_EQ(d.u.bye.code, 1);

    f[0] ^= 1; /* wrong magic */
    NT_EQ(weft__wire_decode_frame(f, n, WEFT__WIRE_MAX_FRAME, &d), -EPROTO);
    f[0] ^= 1;

    n = mkframe(f, 2, WEFT__MSG_BYE, 0, body, 4); /* other version */
    NT_EQ(weft__wire_decode_frame(f, n, WEFT__WIRE_MAX_FRAME, &d), -ENOTSUP);
    NT_EQ(weft__wire_decode_header(f, WEFT__WIRE_MAX_FRAME, &h), -ENOTSUP);
    NT_EQ(h.version, 2);
    NT_EQ(h.type, WEFT__MSG_BYE); /* still filled in for the REJECT */

    n = mkframe(f, WEFT__WIRE_VERSION, WEFT__MSG_BYE, 0x10, body, 4);
    NT_EQ(weft__wire_decode_frame(f, n, WEFT__WIRE_MAX_FRAME, &d), -EPROTO);

    n = mkframe(f, WEFT__WIRE_VERSION, 999, 0, body, 4); /* unknown type */
    NT_EQ(weft__wire_decode_frame(f, n, WEFT__WIRE_MAX_FRAME, &d), -EPROTO);

    /* Oversized length: refused from the header alone, before any body. */
    n = mkframe(f, WEFT__WIRE_VERSION, WEFT__MSG_BYE, 0, body, 4);
    le32(f + 16, WEFT__WIRE_MAX_FRAME + 1);
    NT_EQ(weft__wire_decode_header(f, UINT32_MAX, &h), -EMSGSIZE);
    le32(f + 16, UINT32_MAX);
    NT_EQ(weft__wire_decode_header(f, SIZE_MAX, &h), -EMSGSIZE);
    le32(f + 16, 4);
    NT_EQ(weft__wire_decode_header(f, 3, &h), -EMSGSIZE); /* caller limit */
    NT_EQ(weft__wire_decode_frame(f, n, 3, &d), -EMSGSIZE);

    /* Header length disagreeing with the bytes present. */
    le32(f + 16, 3);
    NT_EQ(weft__wire_decode_frame(f, n, WEFT__WIRE_MAX_FRAME, &d), -EPROTO);

    /* Trailing bytes after a complete body. */
    uint8_t body5[5] = {1, 0, 0, 0, 9};
    n = mkframe(f, WEFT__WIRE_VERSION, WEFT__MSG_BYE, 0, body5, 5);
    NT_EQ(weft__wire_decode_frame(f, n, WEFT__WIRE_MAX_FRAME, &d), -EPROTO);
}

/* Bodies whose counts, lengths or offsets would overflow or overrun. */
static void test_hostile_bodies(void) {
    uint8_t f[512], b[256];
    struct weft__msg d;
    size_t n;

    /* CHUNK_REQ with ninputs = 2^32-1 and no refs following: the count
     * times 24 would overflow 32 bits and must be caught without it. */
    memset(b, 0, sizeof b);
    le32(b + 0, 1);
    le32(b + 4, 0);
    le64(b + 8, 0);
    le64(b + 16, 0);
    le64(b + 24, 10);
    le32(b + 32, UINT32_MAX);
    le32(b + 36, 0);
    n = mkframe(f, WEFT__WIRE_VERSION, WEFT__MSG_CHUNK_REQ, 0, b, 40);
    NT_EQ(weft__wire_decode_frame(f, n, WEFT__WIRE_MAX_FRAME, &d), -EPROTO);
    /* A count just one too large for the bytes present. */
    le32(b + 32, 1);
    n = mkframe(f, WEFT__WIRE_VERSION, WEFT__MSG_CHUNK_REQ, 0, b, 40);
    NT_EQ(weft__wire_decode_frame(f, n, WEFT__WIRE_MAX_FRAME, &d), -EPROTO);
    /* lo > hi. */
    le32(b + 32, 0);
    le64(b + 16, 11);
    n = mkframe(f, WEFT__WIRE_VERSION, WEFT__MSG_CHUNK_REQ, 0, b, 40);
    NT_EQ(weft__wire_decode_frame(f, n, WEFT__WIRE_MAX_FRAME, &d), -EPROTO);
    le64(b + 16, 0);
    n = mkframe(f, WEFT__WIRE_VERSION, WEFT__MSG_CHUNK_REQ, 0, b, 40);
    NT_EQ(weft__wire_decode_frame(f, n, WEFT__WIRE_MAX_FRAME, &d), 0);
    /* data_len larger than what follows. */
    le32(b + 36, 1000);
    n = mkframe(f, WEFT__WIRE_VERSION, WEFT__MSG_CHUNK_REQ, 0, b, 40);
    NT_EQ(weft__wire_decode_frame(f, n, WEFT__WIRE_MAX_FRAME, &d), -EPROTO);

    /* CHUNK_RESULT: head is loop, status, chunk, run_ns, nsections. */
    memset(b, 0, sizeof b);
    le32(b + 24, UINT32_MAX); /* nsections */
    n = mkframe(f, WEFT__WIRE_VERSION, WEFT__MSG_CHUNK_RESULT, 0, b, 32);
    NT_EQ(weft__wire_decode_frame(f, n, WEFT__WIRE_MAX_FRAME, &d), -EPROTO);
    /* One section whose offset + len wraps around 2^64. */
    le32(b + 24, 1);
    le32(b + 28, 0);           /* map_index */
    le64(b + 32, UINT64_MAX);  /* offset */
    le64(b + 40, 2);           /* len */
    b[48] = 1;
    b[49] = 2;
    le32(b + 50, 0); /* red_len */
    n = mkframe(f, WEFT__WIRE_VERSION, WEFT__MSG_CHUNK_RESULT, 0, b, 54);
    NT_EQ(weft__wire_decode_frame(f, n, WEFT__WIRE_MAX_FRAME, &d), -EPROTO);
    le64(b + 32, 100);
    n = mkframe(f, WEFT__WIRE_VERSION, WEFT__MSG_CHUNK_RESULT, 0, b, 54);
    NT_EQ(weft__wire_decode_frame(f, n, WEFT__WIRE_MAX_FRAME, &d), 0);
    /* A section length beyond the frame (and beyond SIZE_MAX/2). */
    le64(b + 40, UINT64_MAX - 200);
    n = mkframe(f, WEFT__WIRE_VERSION, WEFT__MSG_CHUNK_RESULT, 0, b, 54);
    NT_EQ(weft__wire_decode_frame(f, n, WEFT__WIRE_MAX_FRAME, &d), -EPROTO);
    le64(b + 40, 2);
    le32(b + 50, 5); /* red_len past the end */
    n = mkframe(f, WEFT__WIRE_VERSION, WEFT__MSG_CHUNK_RESULT, 0, b, 54);
    NT_EQ(weft__wire_decode_frame(f, n, WEFT__WIRE_MAX_FRAME, &d), -EPROTO);

    /* INPUT: hash(16) total(8) offset(8) len(4) bytes. */
    memset(b, 0, sizeof b);
    le64(b + 16, 10);         /* total_len */
    le64(b + 24, UINT64_MAX); /* offset: offset + len wraps */
    le32(b + 32, 4);
    n = mkframe(f, WEFT__WIRE_VERSION, WEFT__MSG_INPUT, 0, b, 40);
    NT_EQ(weft__wire_decode_frame(f, n, WEFT__WIRE_MAX_FRAME, &d), -EPROTO);
    le64(b + 24, 7); /* 7 + 4 > 10 */
    n = mkframe(f, WEFT__WIRE_VERSION, WEFT__MSG_INPUT, 0, b, 40);
    NT_EQ(weft__wire_decode_frame(f, n, WEFT__WIRE_MAX_FRAME, &d), -EPROTO);
    le64(b + 24, 6); /* exactly fits */
    n = mkframe(f, WEFT__WIRE_VERSION, WEFT__MSG_INPUT, 0, b, 40);
    NT_EQ(weft__wire_decode_frame(f, n, WEFT__WIRE_MAX_FRAME, &d), 0);

    /* HAVE with a count the frame cannot hold. */
    memset(b, 0, sizeof b);
    le32(b, 0x0aaaaaab); /* * 24 wraps to a small 32-bit number */
    n = mkframe(f, WEFT__WIRE_VERSION, WEFT__MSG_HAVE, 0, b, 28);
    NT_EQ(weft__wire_decode_frame(f, n, WEFT__WIRE_MAX_FRAME, &d), -EPROTO);

    /* HELLO with a name longer than the limit, and with a bad role. */
    memset(b, 0, sizeof b);
    b[0] = WEFT__WIRE_VERSION;
    b[2] = WEFT__ROLE_WORKER;
    b[72] = 0x00;
    b[73] = 0x01; /* name_len 256 */
    n = mkframe(f, WEFT__WIRE_VERSION, WEFT__MSG_HELLO, 0, b, 74);
    NT_EQ(weft__wire_decode_frame(f, n, WEFT__WIRE_MAX_FRAME, &d), -EPROTO);
    b[73] = 0;
    n = mkframe(f, WEFT__WIRE_VERSION, WEFT__MSG_HELLO, 0, b, 74);
    NT_EQ(weft__wire_decode_frame(f, n, WEFT__WIRE_MAX_FRAME, &d), 0);
    b[2] = 9;
    n = mkframe(f, WEFT__WIRE_VERSION, WEFT__MSG_HELLO, 0, b, 74);
    NT_EQ(weft__wire_decode_frame(f, n, WEFT__WIRE_MAX_FRAME, &d), -EPROTO);
}

static void test_encoder_limits(void) {
    struct weft__wbuf w = WEFT__WBUF_INITIALIZER;
    struct weft__msg m;
    static const uint8_t one = 1;
    memset(&m, 0, sizeof m);
    m.hdr.type = WEFT__MSG_BYE;
    NT_EQ(weft__wire_encode(&w, &m), 0);
    size_t keep = w.len;

    /* A payload over the frame limit is refused before it is copied (the
     * bytes pointer is never read, so it may point at one byte). */
    m.hdr.type = WEFT__MSG_INPUT;
    m.u.input.total_len = UINT64_MAX;
    m.u.input.len = WEFT__WIRE_MAX_FRAME;
    m.u.input.bytes = &one;
    NT_EQ(weft__wire_encode(&w, &m), -EMSGSIZE);
    NT_EQ(w.len, keep); /* rolled back */
    NT_TRUE(w.cap < (1u << 20)); /* and nothing huge was allocated */

    m.u.input.total_len = 5;
    m.u.input.offset = 4;
    m.u.input.len = 2;
    NT_EQ(weft__wire_encode(&w, &m), -EINVAL);

    memset(&m, 0, sizeof m);
    m.hdr.type = WEFT__MSG_REJECT;
    m.u.reject.text_len = WEFT__WIRE_NAME_MAX + 1;
    m.u.reject.text = "";
    NT_EQ(weft__wire_encode(&w, &m), -EINVAL);
    m.hdr.type = 200;
    NT_EQ(weft__wire_encode(&w, &m), -EINVAL);
    NT_EQ(w.len, keep);

    struct weft__chunk_req_src rq;
    memset(&rq, 0, sizeof rq);
    rq.m.lo = 5;
    rq.m.hi = 4;
    NT_EQ(weft__wire_encode_chunk_req(&w, 0, &rq), -EINVAL);
    NT_EQ(w.len, keep);
    rq.m.lo = 4;
    rq.nrefs = 2; /* no refs array */
    NT_EQ(weft__wire_encode_chunk_req(&w, 0, &rq), -EINVAL);
    rq.nrefs = 0;
    rq.m.data_len = 8; /* no data */
    NT_EQ(weft__wire_encode_chunk_req(&w, 0, &rq), -EINVAL);
    NT_EQ(w.len, keep);

    /* Pre-encoded lists that do not match their counts are refused. */
    memset(&m, 0, sizeof m);
    m.hdr.type = WEFT__MSG_HAVE;
    m.u.hashlist.count = 3;
    NT_EQ(weft__wire_encode(&w, &m), -EINVAL);
    static const uint8_t junk[30] = {0};
    memset(&m, 0, sizeof m);
    m.hdr.type = WEFT__MSG_CHUNK_RESULT;
    m.u.chunk_result.nsections = 2; /* junk holds one empty section + 10 */
    m.u.chunk_result.sections = junk;
    m.u.chunk_result.sections_len = sizeof junk;
    NT_EQ(weft__wire_encode(&w, &m), -EINVAL);
    m.u.chunk_result.nsections = 1;
    m.u.chunk_result.sections_len = 20; /* exactly one empty section */
    NT_EQ(weft__wire_encode(&w, &m), 0);
    NT_EQ(w.len, keep + WEFT__WIRE_HDR_LEN + 28 + 20 + 4);
    NT_EQ(strcmp(weft__msg_type_name(WEFT__MSG_CHUNK_RESULT), "CHUNK_RESULT"),
          0);
    NT_EQ(strcmp(weft__msg_type_name(1000), "?"), 0);
    weft__wbuf_free(&w);
}

int main(void) {
    static const struct nt_case cases[] = {
        {"roundtrip_handshake", test_roundtrip_handshake},
        {"roundtrip_chunks", test_roundtrip_chunks},
        {"roundtrip_other", test_roundtrip_other},
        {"header_checks", test_header_checks},
        {"hostile_bodies", test_hostile_bodies},
        {"encoder_limits", test_encoder_limits},
        {NULL, NULL}};
    return nt_run("net_wire", cases);
}
