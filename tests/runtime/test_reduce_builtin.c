/* This file handles the CUnit suite for the runtime's built-in reduction
 * table (runtime/reduce_builtin.c, struct weft_red_var): every operator on
 * every type of the table, as a scalar and as an array section, checking
 * init against the identity the translator used to generate, combine and
 * fini against the C expression the generated helpers ran (so results are
 * bit for bit those of the helpers), NaN under min/max, validation of bad
 * tables, and whole parallel loops run by the table, locked fini included. */
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cunit_ext.h"
#include "weft-internal.h"

enum { SEC = 37 }; /* odd: covers vector loops' tails */
static long bad;

static const unsigned all_ops[] = {WEFT_RED_ADD, WEFT_RED_MUL, WEFT_RED_AND,
                                   WEFT_RED_OR,  WEFT_RED_XOR, WEFT_RED_LAND,
                                   WEFT_RED_LOR, WEFT_RED_MIN, WEFT_RED_MAX};

static const uint64_t int_samples[] = {0,
                                       1,
                                       2,
                                       7,
                                       0x7f,
                                       0x80,
                                       0xff,
                                       0x5555555555555555ull,
                                       0x8000000000000000ull,
                                       0x7fffffffffffffffull,
                                       ~0ull,
                                       12345,
                                       0xfffffffffffffff0ull};
#define NIS (sizeof int_samples / sizeof int_samples[0])
static const long double flt_samples[] = {0.0L,   -0.0L, 1.5L,   -2.25L, 1e30L,
                                          -1e30L, 3.0L,  1e-30L, 0.5L};
#define NFS (sizeof flt_samples / sizeof flt_samples[0])

/* Equal values; NaN equals NaN; +0 and -0 differ (a min/max or sum that
 * picked the other zero would be a different result). */
#define SAME(a, b)                                                             \
    ((a) != (a) ? (b) != (b)                                                   \
                : ((a) == (b) && signbit(0.0 + (a)) == signbit(0.0 + (b))))

/* One type: runs every operator, scalar and section, through the public
 * dispatch (weft__red_init/combine/fini, as the runtime calls them) and
 * compares with the expressions of outline.c's add_identity/add_combine.
 * SMALL(k) gives values for + and * that cannot overflow a signed type. */
#define TYPE_CASE(NAME, T, CODE, ISFLT, MINID, MAXID, SAMPLE, SMALL)           \
    static T NAME##_val(unsigned op, int k) {                                  \
        if (op == WEFT_RED_ADD || op == WEFT_RED_MUL)                          \
            return (T)(SMALL(k));                                              \
        return (T)(SAMPLE(k));                                                 \
    }                                                                          \
    static T NAME##_ident(unsigned op) {                                       \
        switch (op) {                                                          \
        case WEFT_RED_MUL:                                                     \
        case WEFT_RED_LAND:                                                    \
            return (T)1;                                                       \
        case WEFT_RED_AND: /* all ones; unused for floating types */           \
            return (T) ~(uint64_t)0;                                           \
        case WEFT_RED_MIN:                                                     \
            return (T)(MINID);                                                 \
        case WEFT_RED_MAX:                                                     \
            return (T)(MAXID);                                                 \
        default:                                                               \
            return (T)0;                                                       \
        }                                                                      \
    }                                                                          \
    static T NAME##_comb(unsigned op, T a, T x) {                              \
        switch (op) {                                                          \
        case WEFT_RED_ADD:                                                     \
            a = a + x;                                                         \
            break;                                                             \
        case WEFT_RED_MUL:                                                     \
            a = (T)(0 + a * x);                                                \
            break;                                                             \
        case WEFT_RED_LAND:                                                    \
            a = a && x;                                                        \
            break;                                                             \
        case WEFT_RED_LOR:                                                     \
            a = a || x;                                                        \
            break;                                                             \
        case WEFT_RED_MIN:                                                     \
            if (x < a)                                                         \
                a = x;                                                         \
            break;                                                             \
        case WEFT_RED_MAX:                                                     \
            if (x > a)                                                         \
                a = x;                                                         \
            break;                                                             \
        default:                                                               \
            a = NAME##_bits(op, a, x);                                         \
        }                                                                      \
        return a;                                                              \
    }                                                                          \
    static void NAME##_one(unsigned op) {                                      \
        struct {                                                               \
            T s;                                                               \
            T sec[SEC];                                                        \
        } p, q;                                                                \
        T orig_s, orig_sec[SEC], want_s, want_sec[SEC];                        \
        size_t len = SEC;                                                      \
        size_t roff[1] = {offsetof(__typeof__(p), sec)};                       \
        void *cap[4] = {&orig_s, &len, roff, orig_sec};                        \
        const struct weft_red_var vars[2] = {{op, CODE, 0, 0, -1, -1, 0},      \
                                             {op, CODE, 0, 3, 1, 2, 0}};       \
        const struct weft_reduction r = {sizeof p, 0,    NULL, NULL,           \
                                         NULL,     vars, 2,    0};             \
        if (!weft__red_usable(&r)) {                                           \
            bad++;                                                             \
            fprintf(stderr, "%s op %u: table rejected\n", #NAME, op);          \
            return;                                                            \
        }                                                                      \
        memset(&p, 0xa5, sizeof p);                                            \
        memset(&q, 0x5a, sizeof q);                                            \
        weft__red_init(&r, cap, &p);                                           \
        weft__red_init(&r, cap, &q);                                           \
        T id = NAME##_ident(op);                                               \
        if (!SAME(p.s, id) || !SAME(q.s, id))                                  \
            bad++, fprintf(stderr, "%s op %u: scalar identity\n", #NAME, op);  \
        for (int j = 0; j < SEC; j++)                                          \
            if (!SAME(p.sec[j], id) || !SAME(q.sec[j], id)) {                  \
                bad++;                                                         \
                fprintf(stderr, "%s op %u: identity [%d]\n", #NAME, op, j);    \
                break;                                                         \
            }                                                                  \
        /* Fold values in as a chunk would, then combine q into p. */          \
        p.s = NAME##_comb(op, p.s, NAME##_val(op, 1));                         \
        q.s = NAME##_comb(op, q.s, NAME##_val(op, 2));                         \
        for (int j = 0; j < SEC; j++) {                                        \
            p.sec[j] = NAME##_val(op, j);                                      \
            q.sec[j] = NAME##_val(op, j * 5 + 3);                              \
        }                                                                      \
        want_s = NAME##_comb(op, p.s, q.s);                                    \
        for (int j = 0; j < SEC; j++)                                          \
            want_sec[j] = NAME##_comb(op, p.sec[j], q.sec[j]);                 \
        weft__red_combine(&r, cap, &p, &q);                                    \
        if (!SAME(p.s, want_s))                                                \
            bad++, fprintf(stderr, "%s op %u: scalar combine\n", #NAME, op);   \
        for (int j = 0; j < SEC; j++)                                          \
            if (!SAME(p.sec[j], want_sec[j])) {                                \
                bad++;                                                         \
                fprintf(stderr, "%s op %u: combine [%d]\n", #NAME, op, j);     \
                break;                                                         \
            }                                                                  \
        /* fini: original = original OP total. */                              \
        orig_s = NAME##_val(op, 4);                                            \
        for (int j = 0; j < SEC; j++)                                          \
            orig_sec[j] = NAME##_val(op, j * 3 + 1);                           \
        want_s = NAME##_comb(op, orig_s, p.s);                                 \
        for (int j = 0; j < SEC; j++)                                          \
            want_sec[j] = NAME##_comb(op, orig_sec[j], p.sec[j]);              \
        weft__red_fini(&r, cap, &p);                                           \
        if (!SAME(orig_s, want_s))                                             \
            bad++, fprintf(stderr, "%s op %u: scalar fini\n", #NAME, op);      \
        for (int j = 0; j < SEC; j++)                                          \
            if (!SAME(orig_sec[j], want_sec[j])) {                             \
                bad++;                                                         \
                fprintf(stderr, "%s op %u: fini [%d]\n", #NAME, op, j);        \
                break;                                                         \
            }                                                                  \
    }                                                                          \
    static void test_##NAME(void) {                                            \
        bad = 0;                                                               \
        for (size_t o = 0; o < sizeof all_ops / sizeof all_ops[0]; o++)        \
            if (!(ISFLT) ||                                                    \
                (all_ops[o] != WEFT_RED_AND && all_ops[o] != WEFT_RED_OR &&    \
                 all_ops[o] != WEFT_RED_XOR))                                  \
                NAME##_one(all_ops[o]);                                        \
        WEFT_ASSERT_EQ(bad, 0);                                                \
    }

/* Bitwise operators exist for integer types only; floating types route
 * them nowhere (the table rejects them, see test_invalid). */
#define INT_BITS(NAME, T)                                                      \
    static T NAME##_bits(unsigned op, T a, T x) {                              \
        switch (op) {                                                          \
        case WEFT_RED_AND:                                                     \
            return a & x;                                                      \
        case WEFT_RED_OR:                                                      \
            return a | x;                                                      \
        default:                                                               \
            return a ^ x;                                                      \
        }                                                                      \
    }
#define FLT_BITS(NAME, T)                                                      \
    static T NAME##_bits(unsigned op, T a, T x) {                              \
        (void)op;                                                              \
        (void)x;                                                               \
        return a;                                                              \
    }

#define ISAMP(k) int_samples[(unsigned)(k) % NIS]
#define FSAMP(k) flt_samples[(unsigned)(k) % NFS]
#define ISMALL(k) ((int)((unsigned)(k) % 7) - 3)

INT_BITS(bo, _Bool)
INT_BITS(i8, signed char)
INT_BITS(u8, unsigned char)
INT_BITS(i16, int16_t)
INT_BITS(u16, uint16_t)
INT_BITS(i32, int32_t)
INT_BITS(u32, uint32_t)
INT_BITS(i64, int64_t)
INT_BITS(u64, uint64_t)
FLT_BITS(f, float)
FLT_BITS(d, double)
FLT_BITS(ld, long double)

TYPE_CASE(bo, _Bool, WEFT_RED_T_BOOL, 0, 1, 0, ISAMP, ISMALL)
TYPE_CASE(i8, signed char, WEFT_RED_T_I8, 0, SCHAR_MAX, SCHAR_MIN, ISAMP,
          ISMALL)
TYPE_CASE(u8, unsigned char, WEFT_RED_T_U8, 0, UCHAR_MAX, 0, ISAMP, ISAMP)
TYPE_CASE(i16, int16_t, WEFT_RED_T_I16, 0, INT16_MAX, INT16_MIN, ISAMP, ISMALL)
TYPE_CASE(u16, uint16_t, WEFT_RED_T_U16, 0, UINT16_MAX, 0, ISAMP, ISAMP)
TYPE_CASE(i32, int32_t, WEFT_RED_T_I32, 0, INT32_MAX, INT32_MIN, ISAMP, ISMALL)
TYPE_CASE(u32, uint32_t, WEFT_RED_T_U32, 0, UINT32_MAX, 0, ISAMP, ISAMP)
TYPE_CASE(i64, int64_t, WEFT_RED_T_I64, 0, INT64_MAX, INT64_MIN, ISAMP, ISMALL)
TYPE_CASE(u64, uint64_t, WEFT_RED_T_U64, 0, UINT64_MAX, 0, ISAMP, ISAMP)
TYPE_CASE(f, float, WEFT_RED_T_FLOAT, 1, HUGE_VALF, -HUGE_VALF, FSAMP, FSAMP)
TYPE_CASE(d, double, WEFT_RED_T_DOUBLE, 1, HUGE_VAL, -HUGE_VAL, FSAMP, FSAMP)
TYPE_CASE(ld, long double, WEFT_RED_T_LDOUBLE, 1, HUGE_VALL, -HUGE_VALL, FSAMP,
          FSAMP)

/* min/max with NaN: the generated `if (x < a) a = x` never takes a NaN
 * partial, and a NaN original stays NaN. Literal expectations. */
static void test_nan_minmax(void) {
    double orig[4] = {1.0, NAN, 2.0, NAN};
    struct {
        double v[4];
    } p = {{NAN, 5.0, -3.0, NAN}};
    size_t len = 4, roff[1] = {0};
    void *cap[4] = {NULL, &len, roff, orig};
    const struct weft_red_var mn[1] = {
        {WEFT_RED_MIN, WEFT_RED_T_DOUBLE, 0, 3, 1, 2, 0}};
    const struct weft_reduction r = {sizeof p, 0, NULL, NULL, NULL, mn, 1, 0};
    weft__red_fini(&r, cap, &p);
    WEFT_ASSERT_DEQ(orig[0], 1.0); /* NaN partial ignored */
    WEFT_ASSERT_EQ(isnan(orig[1]), 1);
    WEFT_ASSERT_DEQ(orig[2], -3.0);
    WEFT_ASSERT_EQ(isnan(orig[3]), 1);

    float fo = 4.0f;
    struct {
        float s;
    } fp = {NAN}, fq = {2.0f};
    void *fcap[1] = {&fo};
    const struct weft_red_var mx[1] = {
        {WEFT_RED_MAX, WEFT_RED_T_FLOAT, 0, 0, -1, -1, 0}};
    const struct weft_reduction fr = {sizeof fp, 0, NULL, NULL, NULL, mx, 1, 0};
    /* combine(into = NaN, from = 2): 2 > NaN is false, NaN stays. */
    weft__red_combine(&fr, fcap, &fp, &fq);
    WEFT_ASSERT_EQ(isnan(fp.s), 1);
    weft__red_combine(&fr, fcap, &fq, &fp);
    WEFT_ASSERT_DEQ(fq.s, 2.0f);
    weft__red_fini(&fr, fcap, &fq);
    WEFT_ASSERT_DEQ(fo, 4.0f);
}

static void dummy_init(void *d, void *s) {
    (void)d;
    (void)s;
}

/* Tables the runtime must refuse (weft__redbuf_prepare then names the
 * construct in a fatal error instead of running garbage). */
static void test_invalid(void) {
    const struct weft_red_var ok[1] = {
        {WEFT_RED_ADD, WEFT_RED_T_I32, 0, 0, -1, -1, 0}};
    const struct weft_red_var fand[1] = {
        {WEFT_RED_AND, WEFT_RED_T_DOUBLE, 0, 0, -1, -1, 0}};
    const struct weft_red_var badty[1] = {{WEFT_RED_ADD, 99, 0, 0, -1, -1, 0}};
    const struct weft_red_var badop[1] = {{0, WEFT_RED_T_I32, 0, 0, -1, -1, 0}};
    const struct weft_red_var badsec[1] = {
        {WEFT_RED_ADD, WEFT_RED_T_I32, 0, 0, 1, -1, 0}};
    struct weft_reduction r = {4, 0, NULL, NULL, NULL, ok, 1, 0};
    WEFT_ASSERT_EQ(weft__red_usable(&r), 1);
    r.nvars = 0;
    WEFT_ASSERT_EQ(weft__red_usable(&r), 0);
    r.nvars = 1;
    r.vars = NULL;
    WEFT_ASSERT_EQ(weft__red_usable(&r), 0);
    r.vars = fand;
    WEFT_ASSERT_EQ(weft__red_usable(&r), 0);
    r.vars = badty;
    WEFT_ASSERT_EQ(weft__red_usable(&r), 0);
    r.vars = badop;
    WEFT_ASSERT_EQ(weft__red_usable(&r), 0);
    r.vars = badsec;
    WEFT_ASSERT_EQ(weft__red_usable(&r), 0);
    r.vars = ok;
    r.init = dummy_init; /* half functions, half table */
    WEFT_ASSERT_EQ(weft__red_usable(&r), 0);
}

/* A whole loop run by the table: sum(double) and a histogram section,
 * against the serial results, at 1..4 threads. */
enum { NIT = 3000, NB = 16 };
struct loop_red {
    double sum;
};
static double xs[NIT];

static void hist_body(void *data, uint64_t lo, uint64_t hi, void *red) {
    void **cap = (void **)data;
    struct loop_red *r = (struct loop_red *)red;
    long *h = (long *)((char *)red + ((size_t *)cap[2])[0]);
    double s = r->sum;
    for (uint64_t k = lo; k < hi; k++) {
        s += xs[k];
        h[k % NB] += (long)k;
    }
    r->sum = s;
}

static void test_loop(void) {
    double want = 1.0;
    long want_h[NB];
    for (int b = 0; b < NB; b++)
        want_h[b] = b;
    for (int k = 0; k < NIT; k++) {
        xs[k] = (k % 10) * 0.25;
        want += xs[k];
        want_h[k % NB] += k;
    }
    for (int t = 1; t <= 4; t++) {
        double sum = 1.0;
        long h[NB];
        for (int b = 0; b < NB; b++)
            h[b] = b;
        size_t len = NB;
        size_t roff[2] = {sizeof(struct loop_red),
                          sizeof(struct loop_red) + NB * sizeof(long)};
        void *cap[4] = {&sum, &len, roff, h};
        static const struct weft_red_var vars[2] = {
            {WEFT_RED_ADD, WEFT_RED_T_DOUBLE, 0, 0, -1, -1, 0},
            {WEFT_RED_ADD, WEFT_RED_T_I64, 0, 3, 1, 2, 0}};
        const struct weft_reduction r = {roff[1], 0,    NULL, NULL,
                                         NULL,    vars, 2,    0};
        struct weft_loop lp = {&(struct weft_loc){"t.c", "f", 1, 1},
                               NIT,
                               WEFT_SCHED_DYNAMIC,
                               t,
                               64,
                               0,
                               0,
                               hist_body,
                               cap,
                               &r};
        WEFT_parallel_for(&lp);
        /* Quarter multiples sum exactly in any order. */
        WEFT_ASSERT_DEQ(sum, want);
        for (int b = 0; b < NB; b++)
            WEFT_ASSERT_EQ(h[b], want_h[b]);
    }
}

/* WEFT_RED_LOCKED: teams nested in a region's threads finish into one
 * shared original; the runtime's fini must serialise them (TSan checks
 * the rest). */
static long shared_total;
static void one_body(void *data, uint64_t lo, uint64_t hi, void *red) {
    (void)data;
    *(long *)red += (long)(hi - lo);
}
static void nest_region(void *data, void *red) {
    (void)data;
    (void)red;
    void *cap[1] = {&shared_total};
    static const struct weft_red_var vars[1] = {
        {WEFT_RED_ADD, WEFT_RED_T_I64, 0, 0, -1, -1, 0}};
    static const struct weft_reduction r = {
        sizeof(long), 0, NULL, NULL, NULL, vars, 1, WEFT_RED_LOCKED};
    for (int rep = 0; rep < 50; rep++) {
        struct weft_loop lp = {&(struct weft_loc){"t.c", "g", 1, 1},
                               100,
                               0,
                               1,
                               0,
                               0,
                               0,
                               one_body,
                               cap,
                               &r};
        WEFT_parallel_for(&lp);
    }
}

static void test_locked(void) {
    shared_total = 0;
    struct weft_region rg = {
        &(struct weft_loc){"t.c", "h", 1, 1}, nest_region, NULL, 3, 0, 0, NULL};
    WEFT_parallel(&rg);
    WEFT_ASSERT_EQ(shared_total, 3 * 50 * 100);
}

int main(void) {
    static const struct weft_cu_test tests[] = {{"bool", test_bo},
                                                {"i8", test_i8},
                                                {"u8", test_u8},
                                                {"i16", test_i16},
                                                {"u16", test_u16},
                                                {"i32", test_i32},
                                                {"u32", test_u32},
                                                {"i64", test_i64},
                                                {"u64", test_u64},
                                                {"float", test_f},
                                                {"double", test_d},
                                                {"ldouble", test_ld},
                                                {"nan_minmax", test_nan_minmax},
                                                {"invalid", test_invalid},
                                                {"loop", test_loop},
                                                {"locked", test_locked},
                                                {NULL, NULL}};
    return weft_cu_run("reduce_builtin", tests);
}
