/* This file handles the unit tests of the MPI transport's frame checks
 * (weft__mpi_frame_next, the function every received MPI message goes
 * through): valid single and multiple frames in one message, bad magic,
 * flags and version, a length over the limit, a message cut short in the
 * header or the payload, and a fuzz loop of random mutations that must
 * never read outside the message nor accept a frame that does not fit. */
#include <CUnit/Basic.h>
#include <stdlib.h>
#include <string.h>

#include "cunit_ext.h"
#include "weft-internal.h"
#include "net/mpi/mpi.h"
#include "net/wire.h"

/* Appends one frame of `type` with a payload of n bytes of value v. */
static void put_frame(struct weft__wbuf *b, uint16_t type, size_t n,
                      uint8_t v) {
    uint8_t *p = malloc(n ? n : 1);
    memset(p, v, n);
    uint8_t hdr[WEFT__WIRE_HDR_LEN] = {'W', 'E', 'F', 'T'};
    hdr[4] = WEFT__WIRE_VERSION;
    hdr[6] = (uint8_t)type;
    hdr[7] = (uint8_t)(type >> 8);
    for (int i = 0; i < 4; i++)
        hdr[16 + i] = (uint8_t)(n >> (8 * i));
    size_t at = b->len;
    b->data = realloc(b->data, at + sizeof hdr + n);
    memcpy(b->data + at, hdr, sizeof hdr);
    memcpy(b->data + at + sizeof hdr, p, n);
    b->len = at + sizeof hdr + n;
    free(p);
}

static void test_two_frames(void) {
    struct weft__wbuf b = {0};
    put_frame(&b, WEFT__MSG_HEARTBEAT, 12, 0xaa);
    put_frame(&b, WEFT__MSG_BYE, 4, 0x01);
    size_t pos = 0, pl = 0;
    struct weft__hdr h;
    CU_ASSERT_EQUAL(weft__mpi_frame_next(b.data, b.len, &pos, 1024, &h, &pl),
                    0);
    CU_ASSERT_EQUAL(h.type, WEFT__MSG_HEARTBEAT);
    CU_ASSERT_EQUAL(h.length, 12);
    CU_ASSERT_EQUAL(pl, WEFT__WIRE_HDR_LEN);
    CU_ASSERT_EQUAL(b.data[pl], 0xaa);
    CU_ASSERT_EQUAL(pos, WEFT__WIRE_HDR_LEN + 12);
    CU_ASSERT_EQUAL(weft__mpi_frame_next(b.data, b.len, &pos, 1024, &h, &pl),
                    0);
    CU_ASSERT_EQUAL(h.type, WEFT__MSG_BYE);
    CU_ASSERT_EQUAL(h.length, 4);
    CU_ASSERT_EQUAL(pos, b.len);
    /* Nothing after the last frame: not a frame. */
    CU_ASSERT_EQUAL(weft__mpi_frame_next(b.data, b.len, &pos, 1024, &h, &pl),
                    WEFT_EPROTO);
    free(b.data);
}

static void test_bad_header(void) {
    struct weft__wbuf b = {0};
    put_frame(&b, WEFT__MSG_HEARTBEAT, 12, 0);
    size_t pos = 0, pl;
    struct weft__hdr h;
    b.data[0] = 'X'; /* magic */
    CU_ASSERT_EQUAL(weft__mpi_frame_next(b.data, b.len, &pos, 1024, &h, &pl),
                    WEFT_EPROTO);
    CU_ASSERT_EQUAL(pos, 0);
    b.data[0] = 'W';
    b.data[8] = 1; /* flags */
    CU_ASSERT_EQUAL(weft__mpi_frame_next(b.data, b.len, &pos, 1024, &h, &pl),
                    WEFT_EPROTO);
    b.data[8] = 0;
    b.data[4] = WEFT__WIRE_VERSION + 1; /* version */
    CU_ASSERT_EQUAL(weft__mpi_frame_next(b.data, b.len, &pos, 1024, &h, &pl),
                    WEFT_ENOTSUP);
    CU_ASSERT_EQUAL(pos, 0);
    free(b.data);
}

static void test_huge_and_truncated(void) {
    struct weft__wbuf b = {0};
    put_frame(&b, WEFT__MSG_HEARTBEAT, 100, 0);
    size_t pos = 0, pl;
    struct weft__hdr h;
    /* Over the caller's limit: refused from the header alone. */
    CU_ASSERT_EQUAL(weft__mpi_frame_next(b.data, b.len, &pos, 99, &h, &pl),
                    WEFT_EMSGSIZE);
    /* A length past the end of the message (a lying or cut message). */
    CU_ASSERT_EQUAL(
        weft__mpi_frame_next(b.data, b.len - 1, &pos, 1024, &h, &pl),
        WEFT_EPROTO);
    b.data[19] = 0x7f; /* length near 2 GiB: over the wire's maximum */
    CU_ASSERT_EQUAL(
        weft__mpi_frame_next(b.data, b.len, &pos, (size_t)-1, &h, &pl),
        WEFT_EMSGSIZE);
    b.data[19] = 0;
    b.data[17] = 0x10; /* 4196 bytes: allowed, but past the message's end */
    CU_ASSERT_EQUAL(weft__mpi_frame_next(b.data, b.len, &pos, 8192, &h, &pl),
                    WEFT_EPROTO);
    b.data[17] = 0;
    /* Cut inside the header. */
    CU_ASSERT_EQUAL(weft__mpi_frame_next(b.data, 10, &pos, 1024, &h, &pl),
                    WEFT_EPROTO);
    CU_ASSERT_EQUAL(weft__mpi_frame_next(b.data, 0, &pos, 1024, &h, &pl),
                    WEFT_EPROTO);
    /* A position beyond the message. */
    pos = b.len + 5;
    CU_ASSERT_EQUAL(weft__mpi_frame_next(b.data, b.len, &pos, 1024, &h, &pl),
                    WEFT_EPROTO);
    free(b.data);
}

/* Random single-byte mutations and cuts of a three-frame message: every
 * accepted frame lies inside the message and within the limit, and the
 * scan always ends. */
static void test_fuzz(void) {
    struct weft__wbuf b = {0};
    put_frame(&b, WEFT__MSG_HEARTBEAT, 12, 1);
    put_frame(&b, WEFT__MSG_INPUT, 300, 2);
    put_frame(&b, WEFT__MSG_BYE, 4, 3);
    uint8_t *m = malloc(b.len);
    unsigned seed = 12345;
    unsigned accepted = 0, refused = 0;
    for (int it = 0; it < 20000; it++) {
        memcpy(m, b.data, b.len);
        seed = seed * 1103515245u + 12345u;
        size_t at = (seed >> 8) % b.len;
        seed = seed * 1103515245u + 12345u;
        m[at] = (uint8_t)(seed >> 16);
        seed = seed * 1103515245u + 12345u;
        size_t len = it % 3 ? b.len : (seed >> 8) % (b.len + 1);
        size_t pos = 0, pl, max = 256 + it % 512;
        struct weft__hdr h;
        int steps = 0;
        for (;;) {
            size_t before = pos;
            int rc = weft__mpi_frame_next(m, len, &pos, max, &h, &pl);
            if (rc) {
                CU_ASSERT_EQUAL(pos, before);
                refused++;
                break;
            }
            accepted++;
            CU_ASSERT(h.length <= max);
            CU_ASSERT(pl == before + WEFT__WIRE_HDR_LEN);
            CU_ASSERT(pos == pl + h.length && pos <= len);
            CU_ASSERT(++steps <= 3);
            if (pos == len)
                break;
        }
    }
    CU_ASSERT(accepted > 0);
    CU_ASSERT(refused > 0);
    free(m);
    free(b.data);
}

int main(void) {
    CU_pSuite s;
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 1;
    s = CU_add_suite("mpi_frames", NULL, NULL);
    CU_add_test(s, "two frames in one message", test_two_frames);
    CU_add_test(s, "bad magic, flags, version", test_bad_header);
    CU_add_test(s, "huge length, truncated message", test_huge_and_truncated);
    CU_add_test(s, "fuzzed messages", test_fuzz);
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    unsigned fails = CU_get_number_of_failures();
    CU_cleanup_registry();
    return fails ? 1 : 0;
}
