/* This file handles the CUnit suite for reductions: every operator
 * (+ - * & | ^ && || min max) on every C arithmetic type it applies to
 * (_Bool, char, signed/unsigned char, short, int, long, long long and their
 * unsigned variants, float, double, long double), run by teams of 1..4
 * threads under several schedules and compared with the serial loop; plus
 * partials larger than a cache line or over-aligned, region reductions,
 * reductions of `for` loops inside a region, and the serial paths. */
#include <float.h>
#include <limits.h>
#include <stdalign.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cunit_ext.h"
#include "weft-internal.h"

enum { N = 500 };
static const struct weft_loc L = {"test_reduce.c", "f", 1, 1};
static long failures, cases;

static const struct {
    int sched;
    int64_t chunk;
} scheds[] = {{0, 0}, {WEFT_SCHED_STATIC, 3}, {WEFT_SCHED_DYNAMIC, 7}, {WEFT_SCHED_GUIDED, 1}};

/* One (type, operator) case. x is the running partial, v the element; a
 * and b the two partials combine() merges. START is the original variable's
 * value before the loop (not the identity, so fini must fold, not store). */
#define RED_CASE(NAME, T, IDENT, START, FOLD, COMB, GEN)                      \
    struct NAME##_cap {                                                       \
        const T *arr;                                                         \
        T *out;                                                               \
    };                                                                        \
    static void NAME##_init(void *d, void *s) {                               \
        (void)d;                                                              \
        *(T *)s = (T)(IDENT);                                                 \
    }                                                                         \
    static void NAME##_comb(void *d, void *into, const void *from) {          \
        (void)d;                                                              \
        T a = *(T *)into, b = *(const T *)from;                               \
        *(T *)into = (T)(COMB);                                               \
    }                                                                         \
    static void NAME##_fini(void *d, void *s) {                               \
        struct NAME##_cap *c = d;                                             \
        T a = *c->out, b = *(T *)s;                                           \
        *c->out = (T)(COMB);                                                  \
    }                                                                         \
    static void NAME##_body(void *d, uint64_t lo, uint64_t hi, void *r) {     \
        struct NAME##_cap *c = d;                                             \
        T x = *(T *)r;                                                        \
        for (uint64_t k = lo; k < hi; k++) {                                  \
            T v = c->arr[k];                                                  \
            x = (T)(FOLD);                                                    \
        }                                                                     \
        *(T *)r = x;                                                          \
    }                                                                         \
    static void NAME##_run(void) {                                            \
        static T arr[N];                                                      \
        static const struct weft_reduction R = {sizeof(T), alignof(T),        \
                                                NAME##_init, NAME##_comb,     \
                                                NAME##_fini, NULL, 0, 0};                 \
        for (long i = 0; i < N; i++)                                          \
            arr[i] = (T)(GEN);                                                \
        T x = (T)(START);                                                     \
        for (long i = 0; i < N; i++) {                                        \
            T v = arr[i];                                                     \
            x = (T)(FOLD);                                                    \
        }                                                                     \
        for (int t = 1; t <= 4; t++)                                          \
            for (size_t s = 0; s < sizeof scheds / sizeof scheds[0]; s++) {   \
                T out = (T)(START);                                           \
                struct NAME##_cap c = {arr, &out};                            \
                struct weft_loop lp = {&L, N, scheds[s].sched, t,             \
                                       scheds[s].chunk, 0, 0, NAME##_body,    \
                                       &c, &R};                               \
                WEFT_parallel_for(&lp);                                       \
                cases++;                                                      \
                if (out != x && failures++ < 20)                              \
                    fprintf(stderr, "%s: %d threads, schedule %zu: got %Lg, " \
                                    "want %Lg\n",                             \
                            #NAME, t, s, (long double)out, (long double)x);   \
            }                                                                 \
    }

#define MIN_(a, b) ((b) < (a) ? (b) : (a))
#define MAX_(a, b) ((b) > (a) ? (b) : (a))

/* Data generators keep every serial result exact and in range. */
#define GEN_SMALL (i % 4)
#define GEN_MUL (i % 97 == 5 ? 2 : (i % 5 == 0 ? -1 : 1))
#define GEN_BITS ((unsigned long long)(i + 1) * 0x9E3779B97F4A7C15ull >> (i % 13))
#define GEN_MINMAX ((i * 37) % 101 - 50)

#define INT_OPS(P, T, TMIN, TMAX)                                             \
    RED_CASE(P##_add, T, 0, 5, x + v, a + b, GEN_SMALL)                       \
    RED_CASE(P##_sub, T, 0, 5, x - v, a + b, GEN_SMALL)                       \
    RED_CASE(P##_mul, T, 1, 3, x * v, a * b, GEN_MUL)                         \
    RED_CASE(P##_and, T, ~(T)0, ~(T)0, x & v, a & b, GEN_BITS | 1)            \
    RED_CASE(P##_or, T, 0, 0, x | v, a | b, GEN_BITS)                         \
    RED_CASE(P##_xor, T, 0, 6, x ^ v, a ^ b, GEN_BITS)                        \
    RED_CASE(P##_land, T, 1, 1, x && v, a && b, 1 + i % 3)                    \
    RED_CASE(P##_lor, T, 0, 0, x || v, a || b, i == 250)                      \
    RED_CASE(P##_min, T, TMAX, TMAX, MIN_(x, v), MIN_(a, b), GEN_MINMAX)      \
    RED_CASE(P##_max, T, TMIN, TMIN, MAX_(x, v), MAX_(a, b), GEN_MINMAX)      \
    static void test_##P(void) {                                              \
        P##_add_run();                                                        \
        P##_sub_run();                                                        \
        P##_mul_run();                                                        \
        P##_and_run();                                                        \
        P##_or_run();                                                         \
        P##_xor_run();                                                        \
        P##_land_run();                                                       \
        P##_lor_run();                                                        \
        P##_min_run();                                                        \
        P##_max_run();                                                        \
        WEFT_ASSERT_EQ(failures, 0);                                          \
    }

#define FLT_OPS(P, T, TMAX)                                                   \
    RED_CASE(P##_add, T, 0, 5, x + v, a + b, GEN_SMALL)                       \
    RED_CASE(P##_sub, T, 0, 5, x - v, a + b, GEN_SMALL)                       \
    RED_CASE(P##_mul, T, 1, 3, x * v, a * b, GEN_MUL)                         \
    RED_CASE(P##_land, T, 1, 1, x && v, a && b, 1 + i % 3)                    \
    RED_CASE(P##_lor, T, 0, 0, x || v, a || b, i == 250)                      \
    RED_CASE(P##_min, T, TMAX, TMAX, MIN_(x, v), MIN_(a, b), GEN_MINMAX)      \
    RED_CASE(P##_max, T, -TMAX, -TMAX, MAX_(x, v), MAX_(a, b), GEN_MINMAX)    \
    static void test_##P(void) {                                              \
        P##_add_run();                                                        \
        P##_sub_run();                                                        \
        P##_mul_run();                                                        \
        P##_land_run();                                                       \
        P##_lor_run();                                                        \
        P##_min_run();                                                        \
        P##_max_run();                                                        \
        WEFT_ASSERT_EQ(failures, 0);                                          \
    }

typedef signed char schar;
typedef unsigned char uchar;
typedef unsigned short ushort;
typedef unsigned long ulong;
typedef long long llong;
typedef unsigned long long ullong;
typedef long double ldouble;

/* _Bool: `-` has no meaning that a combine can reproduce (the serial
 * result depends on the order), so it is left out. */
RED_CASE(bool_add, _Bool, 0, 0, x + v, a + b, i == 17)
RED_CASE(bool_mul, _Bool, 1, 1, ((int)x * (int)v) != 0, ((int)a * (int)b) != 0, i != 300)
RED_CASE(bool_and, _Bool, 1, 1, x & v, a & b, 1)
RED_CASE(bool_or, _Bool, 0, 0, x | v, a | b, i == 499)
RED_CASE(bool_xor, _Bool, 0, 1, x ^ v, a ^ b, i % 7 == 0)
RED_CASE(bool_land, _Bool, 1, 1, x && v, a && b, i % 100 != 0)
RED_CASE(bool_lor, _Bool, 0, 0, x || v, a || b, i == 250)
RED_CASE(bool_min, _Bool, 1, 1, MIN_(x, v), MIN_(a, b), i != 3)
RED_CASE(bool_max, _Bool, 0, 0, MAX_(x, v), MAX_(a, b), i == 3)
static void test_bool(void) {
    bool_add_run();
    bool_mul_run();
    bool_and_run();
    bool_or_run();
    bool_xor_run();
    bool_land_run();
    bool_lor_run();
    bool_min_run();
    bool_max_run();
    WEFT_ASSERT_EQ(failures, 0);
}
INT_OPS(char, char, CHAR_MIN, CHAR_MAX)
INT_OPS(schar, schar, SCHAR_MIN, SCHAR_MAX)
INT_OPS(uchar, uchar, 0, UCHAR_MAX)
INT_OPS(short, short, SHRT_MIN, SHRT_MAX)
INT_OPS(ushort, ushort, 0, USHRT_MAX)
INT_OPS(int, int, INT_MIN, INT_MAX)
INT_OPS(uint, unsigned, 0, UINT_MAX)
INT_OPS(long, long, LONG_MIN, LONG_MAX)
INT_OPS(ulong, ulong, 0, ULONG_MAX)
INT_OPS(llong, llong, LLONG_MIN, LLONG_MAX)
INT_OPS(ullong, ullong, 0, ULLONG_MAX)
FLT_OPS(float, float, FLT_MAX)
FLT_OPS(double, double, DBL_MAX)
FLT_OPS(ldouble, ldouble, LDBL_MAX)

/* A partial bigger than a line and aligned beyond it: 40 sums at once
 * (an array-section reduction like reduction(+: h[0:40])). */
struct big {
    alignas(256) double h[40];
};
struct big_cap {
    double *h;
};
static void big_init(void *d, void *s) {
    (void)d;
    if (((uintptr_t)s & 255) != 0)
        __atomic_fetch_add(&failures, 1, __ATOMIC_RELAXED);
    memset(s, 0, sizeof(struct big));
}
static void big_comb(void *d, void *a, const void *b) {
    (void)d;
    for (int i = 0; i < 40; i++)
        ((struct big *)a)->h[i] += ((const struct big *)b)->h[i];
}
static void big_fini(void *d, void *s) {
    struct big_cap *c = d;
    for (int i = 0; i < 40; i++)
        c->h[i] += ((struct big *)s)->h[i];
}
static void big_body(void *d, uint64_t lo, uint64_t hi, void *r) {
    (void)d;
    struct big *b = r;
    for (uint64_t k = lo; k < hi; k++)
        b->h[k % 40] += 1;
}

static void test_big_partial(void) {
    static const struct weft_reduction R = {sizeof(struct big), 256, big_init, big_comb,
                                            big_fini, NULL, 0, 0};
    for (int t = 1; t <= 4; t++)
        for (int rep = 0; rep < 20; rep++) {
            double h[40] = {0};
            struct big_cap c = {h};
            struct weft_loop lp = {&L, 4000, WEFT_SCHED_DYNAMIC, t, 13, 0, 0, big_body, &c, &R};
            WEFT_parallel_for(&lp);
            for (int i = 0; i < 40; i++)
                WEFT_ASSERT_EQ(h[i], 100);
        }
    WEFT_ASSERT_EQ(failures, 0);
}

/* Region reduction + reduction of `for` loops inside it + serial WEFT_for
 * outside any region (stack partial) and with a big partial (heap). */
struct rcap {
    long *total;
    long *loops;
};
static void l_init(void *d, void *s) {
    (void)d;
    *(long *)s = 0;
}
static void l_comb(void *d, void *a, const void *b) {
    (void)d;
    *(long *)a += *(const long *)b;
}
static void total_fini(void *d, void *s) {
    *((struct rcap *)d)->total += *(long *)s;
}
static void loops_fini(void *d, void *s) {
    *((struct rcap *)d)->loops += *(long *)s;
}
static void count_body(void *d, uint64_t lo, uint64_t hi, void *r) {
    (void)d;
    *(long *)r += (long)(hi - lo);
}
static void region_body(void *d, void *red) {
    static const struct weft_reduction LR = {sizeof(long), 0, l_init, l_comb, loops_fini, NULL, 0, 0};
    *(long *)red += 1; /* each member adds one to the region's total */
    for (int i = 0; i < 50; i++) {
        struct weft_loop lp = {&L, 100, WEFT_SCHED_GUIDED, 0, 0, 0,
                               i % 2 ? WEFT_LOOP_NOWAIT : 0, count_body, d, &LR};
        WEFT_for(&lp);
    }
}

static void test_region_and_for(void) {
    static const struct weft_reduction RR = {sizeof(long), 0, l_init, l_comb, total_fini, NULL, 0, 0};
    for (int t = 1; t <= 4; t++) {
        long total = 10, loops = 0;
        struct rcap c = {&total, &loops};
        struct weft_region r = {&L, region_body, &c, t, 0, 0, &RR};
        WEFT_parallel(&r);
        WEFT_ASSERT_EQ(total, 10 + t);
        WEFT_ASSERT_EQ(loops, 50 * 100);
    }
    /* Outside any region: a team of one. */
    static const struct weft_reduction LR = {sizeof(long), 0, l_init, l_comb, loops_fini, NULL, 0, 0};
    long total = 0, loops = 7;
    struct rcap c = {&total, &loops};
    struct weft_loop lp = {&L, 1234, WEFT_SCHED_DYNAMIC, 0, 5, 0, 0, count_body, &c, &LR};
    WEFT_for(&lp);
    WEFT_ASSERT_EQ(loops, 7 + 1234);
    static const struct weft_reduction BR = {sizeof(struct big), 256, big_init, big_comb,
                                             big_fini, NULL, 0, 0};
    double h[40] = {0};
    struct big_cap bc = {h};
    struct weft_loop blp = {&L, 400, 0, 0, 0, 0, 0, big_body, &bc, &BR};
    WEFT_for(&blp);
    WEFT_ASSERT_EQ(h[3], 10);
    /* Zero-trip loops still fold the identity: the original is unchanged. */
    loops = 3;
    struct weft_loop zlp = {&L, 0, WEFT_SCHED_DYNAMIC, 4, 5, 0, 0, count_body, &c, &LR};
    WEFT_parallel_for(&zlp);
    WEFT_ASSERT_EQ(loops, 3);
}

int main(void) {
    static const struct weft_cu_test tests[] = {
        {"bool", test_bool},       {"char", test_char},     {"schar", test_schar},
        {"uchar", test_uchar},     {"short", test_short},   {"ushort", test_ushort},
        {"int", test_int},         {"uint", test_uint},     {"long", test_long},
        {"ulong", test_ulong},     {"llong", test_llong},   {"ullong", test_ullong},
        {"float", test_float},     {"double", test_double}, {"ldouble", test_ldouble},
        {"big_partial", test_big_partial}, {"region_and_for", test_region_and_for},
        {NULL, NULL}};
    int r = weft_cu_run("reduce", tests);
    fprintf(stderr, "%ld reduction runs\n", cases);
    return r;
}
