/* This file handles the fuzz target for the wire decoder: any byte string
 * is offered as a frame; whatever decodes must be walkable (every list
 * entry and section read) and must re-encode to exactly the same bytes,
 * since the format has one encoding per message. A violation aborts, so
 * the plain replay driver catches it too. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Reads every byte a decoded message points at, so that an out-of-bounds
 * view shows up under AddressSanitizer. Returns a checksum. */
static unsigned walk(const struct weft__msg *m) {
    unsigned sum = 0;
    struct weft__input_ref r;
    switch (m->hdr.type) {
    case WEFT__MSG_HELLO:
        for (uint16_t i = 0; i < m->u.hello.name_len; i++)
            sum += (unsigned char)m->u.hello.name[i];
        break;
    case WEFT__MSG_REJECT:
        for (uint16_t i = 0; i < m->u.reject.text_len; i++)
            sum += (unsigned char)m->u.reject.text[i];
        break;
    case WEFT__MSG_CHUNK_REQ:
        for (uint32_t i = 0; i < m->u.chunk_req.ninputs; i++) {
            weft__chunk_req_input(&m->u.chunk_req, i, &r);
            sum += (unsigned)(r.hash.lo ^ r.length);
        }
        for (uint32_t i = 0; i < m->u.chunk_req.data_len; i++)
            sum += m->u.chunk_req.data[i];
        if (m->u.chunk_req.lo > m->u.chunk_req.hi)
            abort();
        break;
    case WEFT__MSG_CHUNK_RESULT: {
        size_t pos = 0;
        uint32_t n = 0;
        struct weft__section s;
        while (weft__chunk_result_next(&m->u.chunk_result, &pos, &s)) {
            if (s.len > UINT64_MAX - s.offset)
                abort();
            for (uint64_t i = 0; i < s.len; i++)
                sum += s.bytes[i];
            n++;
        }
        if (n != m->u.chunk_result.nsections)
            abort();
        for (uint32_t i = 0; i < m->u.chunk_result.red_len; i++)
            sum += m->u.chunk_result.red[i];
        break;
    }
    case WEFT__MSG_INPUT:
        if (m->u.input.offset > m->u.input.total_len ||
            m->u.input.len > m->u.input.total_len - m->u.input.offset)
            abort();
        for (uint32_t i = 0; i < m->u.input.len; i++)
            sum += m->u.input.bytes[i];
        break;
    case WEFT__MSG_HAVE:
    case WEFT__MSG_NEED:
        for (uint32_t i = 0; i < m->u.hashlist.count; i++) {
            weft__hashlist_ref(&m->u.hashlist, i, &r);
            sum += (unsigned)(r.hash.hi ^ r.length);
        }
        break;
    case WEFT__MSG_ERROR:
        for (uint16_t i = 0; i < m->u.error.text_len; i++)
            sum += (unsigned char)m->u.error.text[i];
        break;
    default:
        break;
    }
    return sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    struct weft__msg m;
    struct weft__hdr h;
    /* The header check alone must agree with the whole-frame decoder. */
    if (size >= WEFT__WIRE_HDR_LEN)
        (void)weft__wire_decode_header(data, WEFT__WIRE_HS_MAX_FRAME, &h);
    if (weft__wire_decode_frame(data, size, WEFT__WIRE_MAX_FRAME, &m) != 0)
        return 0;
    volatile unsigned sink = walk(&m);
    (void)sink;
    struct weft__wbuf w = WEFT__WBUF_INITIALIZER;
    if (weft__wire_encode(&w, &m) != 0 || w.len != size ||
        memcmp(w.data, data, size) != 0) {
        fprintf(stderr,
                "fuzz_wire: %s frame of %zu bytes does not "
                "re-encode to itself\n",
                weft__msg_type_name(m.hdr.type), size);
        abort();
    }
    weft__wbuf_free(&w);
    return 0;
}
