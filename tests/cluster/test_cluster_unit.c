/* This file handles the unit tests of the cluster scheduler's pure pieces:
 * the element span a chunk of a mapped section covers (weft__map_span,
 * positive and negative strides, overflow), the little-endian byte writer
 * and reader of the loop spec (round trip, reads past the end), and the
 * registry of cluster bodies (lookup by key, with a right or wrong hint). */
#include <stdint.h>
#include <string.h>

#include "net/cluster.h"
#include "net/net_test.h"

static void test_span(void) {
    int64_t s0 = -1, s1 = -1;
    struct weft_map y = {WEFT_MAP_FROM, 0, 8, 1, 0, 1}; /* y[i] */
    NT_EQ(weft__map_span(&y, 3, 7, &s0, &s1), 0);
    NT_EQ(s0, 3);
    NT_EQ(s1, 7);
    struct weft_map rows = {WEFT_MAP_TOFROM, 0, 8, 4, 2, 4}; /* c[4i+2 : 4] */
    NT_EQ(weft__map_span(&rows, 1, 3, &s0, &s1), 0);
    NT_EQ(s0, 6);
    NT_EQ(s1, 14);
    struct weft_map down = {WEFT_MAP_FROM, 0, 4, -2, 100, 2}; /* step -2 */
    NT_EQ(weft__map_span(&down, 0, 3, &s0, &s1), 0);
    NT_EQ(s0, 96);
    NT_EQ(s1, 102);
    struct weft_map gap = {WEFT_MAP_FROM, 0, 1, 3, 0, 1}; /* every third */
    NT_EQ(weft__map_span(&gap, 2, 4, &s0, &s1), 0);
    NT_EQ(s0, 6);
    NT_EQ(s1, 10);
    struct weft_map huge = {WEFT_MAP_FROM, 0, 1, INT64_MAX / 2, 0, 1};
    NT_EQ(weft__map_span(&huge, 0, 4, &s0, &s1), WEFT_ERANGE);
    NT_EQ(weft__map_span(&y, (uint64_t)INT64_MAX + 1, (uint64_t)INT64_MAX + 2, &s0, &s1),
          WEFT_ERANGE);
    struct weft_map top = {WEFT_MAP_FROM, 0, 1, 1, INT64_MAX - 2, 2};
    NT_EQ(weft__map_span(&top, 0, 1, &s0, &s1), 0);
    NT_EQ(weft__map_span(&top, 0, 2, &s0, &s1), WEFT_ERANGE);
}

static void test_bytes(void) {
    struct weft__bw w = {0};
    weft__bw_u16(&w, 0xbeef);
    weft__bw_u32(&w, 0x01020304u);
    weft__bw_u64(&w, 0x1122334455667788ull);
    weft__bw_put(&w, "abc", 3);
    NT_EQ(w.err, 0);
    NT_EQ_FATAL(w.len, 17);
    NT_EQ(w.p[2], 0x04); /* little-endian on the wire */
    NT_EQ(w.p[5], 0x01);
    struct weft__br r = {w.p, w.len, 0};
    NT_EQ(weft__br_u16(&r), 0xbeef);
    NT_EQ(weft__br_u32(&r), 0x01020304u);
    NT_TRUE(weft__br_u64(&r) == 0x1122334455667788ull);
    const uint8_t *s = weft__br_take(&r, 3);
    NT_TRUE_FATAL(s != NULL);
    NT_TRUE(memcmp(s, "abc", 3) == 0);
    NT_EQ(r.left, 0);
    NT_EQ(r.err, 0);
    /* Past the end: zero, and the error sticks even for a fitting read. */
    NT_EQ(weft__br_u32(&r), 0);
    NT_EQ(r.err, WEFT_EPROTO);
    struct weft__br r2 = {w.p, 3, 0};
    NT_EQ(weft__br_u32(&r2), 0);
    NT_EQ(r2.err, WEFT_EPROTO);
    NT_EQ(weft__br_u16(&r2), 0);
    NT_EQ(r2.err, WEFT_EPROTO);
    NT_TRUE(weft__br_take(&r2, 0) == NULL);
    free(w.p);
}

static void body_a(void *d, uint64_t lo, uint64_t hi, void *red) {
    (void)d, (void)lo, (void)hi, (void)red;
}

static const struct weft_capture CAPS[] = {{sizeof(int), WEFT_CAP_VALUE}};
static const struct weft_cluster_body BODIES[] = {
    {"unit.c:1:1", body_a, NULL, 1, CAPS},
    {"unit.c:2:1", body_a, NULL, 1, CAPS},
};

static void test_registry(void) {
    WEFT_cluster_register(BODIES, 2);
    uint32_t i0 = weft__cluster_index(&BODIES[0]);
    uint32_t i1 = weft__cluster_index(&BODIES[1]);
    NT_TRUE_FATAL(i0 != UINT32_MAX);
    NT_EQ(i1, i0 + 1);
    uint32_t idx = 12345;
    NT_TRUE(weft__cluster_find("unit.c:2:1", 10, i1, &idx) == &BODIES[1]);
    NT_EQ(idx, i1);
    NT_TRUE(weft__cluster_find("unit.c:2:1", 10, i0, &idx) == &BODIES[1]);
    NT_TRUE(weft__cluster_find("unit.c:1:1", 10, UINT32_MAX, &idx) == &BODIES[0]);
    NT_EQ(idx, i0);
    /* Prefixes and unknown keys are not matches. */
    NT_TRUE(weft__cluster_find("unit.c:1:", 9, i0, NULL) == NULL);
    NT_TRUE(weft__cluster_find("nope", 4, 0, NULL) == NULL);
    struct weft_cluster_body other = BODIES[0];
    NT_EQ(weft__cluster_index(&other), UINT32_MAX);
}

int main(void) {
    static const struct nt_case cases[] = {{"span", test_span},
                                           {"bytes", test_bytes},
                                           {"registry", test_registry},
                                           {NULL, NULL}};
    return nt_run("cluster_unit", cases);
}
