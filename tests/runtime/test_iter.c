/* This file handles the CUnit suite for the pure schedule math of
 * runtime/iter.c: a single-threaded sweep of loop bounds x positive and
 * negative steps x chunk x team size x schedule over 8/16/32/64-bit signed
 * and unsigned loop variables, bounds near the type limits included. Each
 * schedule is simulated (threads taking turns on a plain counter) and must
 * run every logical iteration exactly once, each chunk in increasing order,
 * mapping to exactly the values the C loop visits; static schedules must
 * give the same blocks every time. */
#include <stdlib.h>
#include <string.h>

#include "cunit_ext.h"
#include "trip_oracle.h"
#include "weft-internal.h"

enum { SMALL = 600, MAXCHUNKS = 1 << 16 };
enum sched { S_BLOCK, S_CHUNKED, S_DYNAMIC, S_DYNAMIC_CAS, S_GUIDED, S_COUNT };

struct chunk {
    uint64_t lo, hi;
    unsigned tid;
};

static struct chunk chunks[MAXCHUNKS];
static unsigned char hits[SMALL];
static long failures, loops_checked;

#define FAIL(...)                                                             \
    do {                                                                      \
        if (failures++ < 20)                                                  \
            fprintf(stderr, __VA_ARGS__);                                     \
    } while (0)

/* Simulates schedule s for (n, chunk, nthreads); returns the chunks handed
 * out, in hand-out order, or -1 if there were too many to record. */
static long simulate(enum sched s, uint64_t n, uint64_t chunk, unsigned nth) {
    long cnt = 0;
    uint64_t lo, hi;
    if (s == S_BLOCK) {
        for (unsigned t = 0; t < nth; t++) {
            weft__iter_static_block(n, nth, t, &lo, &hi);
            if (lo < hi)
                chunks[cnt++] = (struct chunk){lo, hi, t};
        }
        return cnt;
    }
    if (s == S_CHUNKED) {
        for (unsigned t = 0; t < nth; t++) {
            uint64_t cur = weft__iter_static_chunk_first(t);
            while (weft__iter_static_chunk_next(n, chunk, nth, &cur, &lo, &hi)) {
                if (cnt == MAXCHUNKS)
                    return -1;
                chunks[cnt++] = (struct chunk){lo, hi, t};
            }
        }
        return cnt;
    }
    /* Shared-counter schedules: threads take turns until all are done. */
    uint64_t next = 0;
    unsigned done = 0, t = 0;
    unsigned char fin[64] = {0};
    while (done < nth) {
        t = (t + 1) % nth;
        if (fin[t])
            continue;
        int got;
        if (s == S_DYNAMIC && !weft__iter_dynamic_needs_cas(n, chunk, nth)) {
            /* The fetch-add, which loop.c uses only when it cannot wrap. */
            uint64_t start = next;
            if (next > UINT64_MAX - chunk) {
                FAIL("dynamic counter wrapped: n %llu chunk %llu nth %u\n",
                     (unsigned long long)n, (unsigned long long)chunk, nth);
                return cnt;
            }
            next += chunk;
            got = weft__iter_dynamic_take(n, chunk, start, &lo, &hi);
        } else if (s == S_DYNAMIC || s == S_DYNAMIC_CAS) {
            got = next < n;
            if (got) {
                lo = next;
                hi = next = weft__iter_dynamic_cas_next(n, chunk, next);
            }
        } else {
            got = next < n;
            if (got) {
                lo = next;
                hi = next = next + weft__iter_guided_size(n - next, chunk, nth);
            }
        }
        if (!got) {
            fin[t] = 1;
            done++;
            continue;
        }
        if (cnt == MAXCHUNKS)
            return -1;
        chunks[cnt++] = (struct chunk){lo, hi, t};
    }
    return cnt;
}

static int cmp_chunk(const void *a, const void *b) {
    const struct chunk *x = a, *y = b;
    return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* Checks that the chunks tile [0, n) exactly (sorting a copy), are
 * non-empty, and for small n marks hits. */
static void check_cover(const char *what, enum sched s, uint64_t n, uint64_t chunk,
                        unsigned nth, long cnt) {
    loops_checked++;
    if (cnt < 0) {
        FAIL("%s: sched %d n %llu chunk %llu: too many chunks\n", what, s,
             (unsigned long long)n, (unsigned long long)chunk);
        return;
    }
    qsort(chunks, (size_t)cnt, sizeof chunks[0], cmp_chunk);
    uint64_t expect = 0;
    for (long i = 0; i < cnt; i++) {
        if (chunks[i].lo != expect || chunks[i].hi <= chunks[i].lo || chunks[i].hi > n) {
            FAIL("%s: sched %d n %llu chunk %llu nth %u: chunk [%llu,%llu) at %llu\n", what,
                 s, (unsigned long long)n, (unsigned long long)chunk, nth,
                 (unsigned long long)chunks[i].lo, (unsigned long long)chunks[i].hi,
                 (unsigned long long)expect);
            return;
        }
        if (s != S_BLOCK && s != S_GUIDED && chunks[i].hi - chunks[i].lo != chunk &&
            chunks[i].hi != n) {
            FAIL("%s: sched %d: only the last chunk may be partial\n", what, s);
            return;
        }
        expect = chunks[i].hi;
    }
    if (expect != n)
        FAIL("%s: sched %d n %llu nth %u: covered only up to %llu\n", what, s,
             (unsigned long long)n, nth, (unsigned long long)expect);
}

/* Static block invariants: same blocks every call, contiguous in tid
 * order, lengths differing by at most one. */
static void check_block(uint64_t n, unsigned nth) {
    uint64_t prev_hi = 0, minlen = UINT64_MAX, maxlen = 0;
    for (unsigned t = 0; t < nth; t++) {
        uint64_t lo, hi, lo2, hi2;
        weft__iter_static_block(n, nth, t, &lo, &hi);
        weft__iter_static_block(n, nth, t, &lo2, &hi2);
        if (lo != lo2 || hi != hi2 || lo != prev_hi || hi < lo)
            FAIL("block n %llu nth %u tid %u: [%llu,%llu)\n", (unsigned long long)n, nth, t,
                 (unsigned long long)lo, (unsigned long long)hi);
        prev_hi = hi;
        if (hi - lo < minlen)
            minlen = hi - lo;
        if (hi - lo > maxlen)
            maxlen = hi - lo;
    }
    if (prev_hi != n || maxlen - minlen > 1)
        FAIL("block n %llu nth %u: end %llu, lengths %llu..%llu\n", (unsigned long long)n, nth,
             (unsigned long long)prev_hi, (unsigned long long)minlen,
             (unsigned long long)maxlen);
}

/* Sanitizer builds (several times slower, and this suite has no threads to
 * check) sweep fewer chunk and team sizes. */
#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
#define SWEEP_LIGHT 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer) || __has_feature(address_sanitizer)
#define SWEEP_LIGHT 1
#endif
#endif
#ifdef SWEEP_LIGHT
static const uint64_t chunk_sizes[] = {1, 3, 64};
static const unsigned team_sizes[] = {1, 2, 5, 13};
#else
static const uint64_t chunk_sizes[] = {1, 2, 3, 7, 64};
static const unsigned team_sizes[] = {1, 2, 3, 4, 5, 8, 13};
#endif

/* For one loop of the real type T (values of the C loop in seq[0..n)),
 * every schedule must visit each logical iteration once, mapping k to
 * seq[k] through the translator's formula lb + k * step (in T). */
#define ITER_SWEEP(NAME, T, UT, WIDTH, SIGNED, TMIN, TMAX)                    \
    ORACLE_BRUTE_DEFINE(brute_##NAME, T)                                      \
    static void test_##NAME(void) {                                           \
        static T seq[SMALL];                                                  \
        const T vals[] = {TMIN, (T)(TMIN + 1), (T)(TMIN + 5), (T)-37, (T)-1,  \
                          0, 1, 9, 250, (T)(TMAX - 5), (T)(TMAX - 1), TMAX};  \
        const int64_t steps[] = {-3, -2, -1, 1, 2, 3, 5};                     \
        unsigned type = WIDTH | (SIGNED ? WEFT_TYPE_SIGNED : 0);              \
        for (size_t a = 0; a < sizeof vals / sizeof vals[0]; a++)             \
            for (size_t b = 0; b < sizeof vals / sizeof vals[0]; b++)         \
                for (size_t si = 0; si < sizeof steps / sizeof steps[0]; si++) \
                    for (int cmp = 0; cmp <= WEFT_CMP_NE; cmp++) {            \
                        T lb = vals[a], ub = vals[b];                         \
                        int64_t step = steps[si];                             \
                        uint64_t n;                                           \
                        if (weft__trip_count_calc(                            \
                                SIGNED ? (uint64_t)(int64_t)lb : (uint64_t)lb, \
                                SIGNED ? (uint64_t)(int64_t)ub : (uint64_t)ub, \
                                step, cmp, type, &n) != WEFT__TRIP_OK)        \
                            continue;                                         \
                        int small = n <= SMALL;                               \
                        if (small &&                                          \
                            brute_##NAME(lb, ub, step, cmp, SMALL, seq) !=    \
                                (int64_t)n) {                                 \
                            FAIL(#NAME ": brute force disagrees on n\n");     \
                            continue;                                         \
                        }                                                     \
                        for (size_t ti = 0;                                   \
                             ti < sizeof team_sizes / sizeof team_sizes[0];   \
                             ti++) {                                          \
                            unsigned nth = team_sizes[ti];                    \
                            check_block(n, nth);                              \
                            for (int s = 0; s < S_COUNT; s++)                 \
                                for (size_t ci = 0;                           \
                                     ci < sizeof chunk_sizes /                \
                                              sizeof chunk_sizes[0];          \
                                     ci++) {                                  \
                                    uint64_t ch = chunk_sizes[ci];            \
                                    if (s == S_BLOCK && ci > 0)               \
                                        break;                                \
                                    /* Long loops: only schedules with few  \
                                     * chunks (coverage by intervals). */     \
                                    if (!small && s != S_BLOCK &&             \
                                        s != S_GUIDED)                        \
                                        ch = n / 7 + 1;                       \
                                    long cnt = simulate(s, n, ch, nth);       \
                                    if (small && cnt >= 0) {                  \
                                        memset(hits, 0, sizeof hits);         \
                                        for (long i = 0; i < cnt; i++)        \
                                            for (uint64_t k = chunks[i].lo;   \
                                                 k < chunks[i].hi; k++) {     \
                                                T v = (T)((UT)lb +            \
                                                          (UT)k * (UT)step);  \
                                                hits[k]++;                    \
                                                if (v != seq[k])              \
                                                    FAIL(#NAME ": k %llu "    \
                                                         "maps wrong\n",      \
                                                         (unsigned long long)k); \
                                            }                                 \
                                        for (uint64_t k = 0; k < n; k++)      \
                                            if (hits[k] != 1) {               \
                                                FAIL(#NAME ": sched %d "      \
                                                     "k %llu ran %d "         \
                                                     "times\n",               \
                                                     s, (unsigned long long)k, \
                                                     hits[k]);                \
                                                break;                        \
                                            }                                 \
                                    }                                         \
                                    check_cover(#NAME, s, n, ch, nth, cnt);   \
                                }                                             \
                        }                                                     \
                    }                                                         \
        WEFT_ASSERT_EQ(failures, 0);                                          \
    }

ITER_SWEEP(i8, int8_t, uint8_t, 8, 1, INT8_MIN, INT8_MAX)
ITER_SWEEP(u8, uint8_t, uint8_t, 8, 0, 0, UINT8_MAX)
ITER_SWEEP(i16, int16_t, uint16_t, 16, 1, INT16_MIN, INT16_MAX)
ITER_SWEEP(u16, uint16_t, uint16_t, 16, 0, 0, UINT16_MAX)
ITER_SWEEP(i32, int32_t, uint32_t, 32, 1, INT32_MIN, INT32_MAX)
ITER_SWEEP(u32, uint32_t, uint32_t, 32, 0, 0, UINT32_MAX)
ITER_SWEEP(i64, int64_t, uint64_t, 64, 1, INT64_MIN, INT64_MAX)
ITER_SWEEP(u64, uint64_t, uint64_t, 64, 0, 0, UINT64_MAX)

/* Edge cases named in iter.h. */
static void test_edges(void) {
    uint64_t lo = 1, hi = 1, cur;
    /* zero-trip: nothing from any schedule */
    weft__iter_static_block(0, 4, 0, &lo, &hi);
    WEFT_ASSERT_UEQ(hi - lo, 0);
    cur = 0;
    WEFT_ASSERT_EQ(weft__iter_static_chunk_next(0, 3, 4, &cur, &lo, &hi), 0);
    WEFT_ASSERT_EQ(weft__iter_dynamic_take(0, 3, 0, &lo, &hi), 0);
    WEFT_ASSERT_UEQ(weft__iter_guided_size(0, 1, 4), 0);
    /* fewer iterations than threads: threads 0..2 get one each, 3 none */
    weft__iter_static_block(3, 4, 2, &lo, &hi);
    WEFT_ASSERT_UEQ(lo, 2);
    WEFT_ASSERT_UEQ(hi, 3);
    weft__iter_static_block(3, 4, 3, &lo, &hi);
    WEFT_ASSERT_UEQ(hi - lo, 0);
    /* last partial chunk */
    WEFT_ASSERT_EQ(weft__iter_dynamic_take(10, 4, 8, &lo, &hi), 1);
    WEFT_ASSERT_UEQ(hi, 10);
    /* overflow guard of the dynamic counter */
    WEFT_ASSERT_EQ(weft__iter_dynamic_needs_cas(1000, 10, 4), 0);
    WEFT_ASSERT_EQ(weft__iter_dynamic_needs_cas(UINT64_MAX - 49, 10, 4), 1);
    WEFT_ASSERT_EQ(weft__iter_dynamic_needs_cas(UINT64_MAX - 50, 10, 4), 0);
    WEFT_ASSERT_EQ(weft__iter_dynamic_needs_cas(5, UINT64_MAX / 2, 4), 1);
    WEFT_ASSERT_UEQ(weft__iter_dynamic_cas_next(UINT64_MAX, 10, UINT64_MAX - 3), UINT64_MAX);
    /* static chunk cursor near 2^64 saturates instead of wrapping */
    cur = UINT64_MAX - 1;
    WEFT_ASSERT_EQ(weft__iter_static_chunk_next(UINT64_MAX, 1, 8, &cur, &lo, &hi), 1);
    WEFT_ASSERT_UEQ(cur, UINT64_MAX);
    WEFT_ASSERT_EQ(weft__iter_static_chunk_next(UINT64_MAX, 1, 8, &cur, &lo, &hi), 0);
    /* guided: floor at the chunk, shrinking sizes, whole remainder at end */
    WEFT_ASSERT_UEQ(weft__iter_guided_size(1000, 1, 4), 1000 / (WEFT_GUIDED_K * 4));
    WEFT_ASSERT_UEQ(weft__iter_guided_size(10, 5, 4), 5);
    WEFT_ASSERT_UEQ(weft__iter_guided_size(3, 5, 4), 3);
    /* a full 2^64 - 1 loop with the CAS dynamic schedule tiles exactly */
    long cnt = simulate(S_DYNAMIC_CAS, UINT64_MAX, UINT64_MAX / 5, 3);
    check_cover("cas", S_DYNAMIC_CAS, UINT64_MAX, UINT64_MAX / 5, 3, cnt);
    cnt = simulate(S_GUIDED, UINT64_MAX, 1, 8);
    check_cover("guided", S_GUIDED, UINT64_MAX, 1, 8, cnt);
    WEFT_ASSERT_EQ(failures, 0);
}

int main(void) {
    static const struct weft_cu_test tests[] = {
        {"edges", test_edges}, {"int8", test_i8},   {"uint8", test_u8},
        {"int16", test_i16},   {"uint16", test_u16}, {"int32", test_i32},
        {"uint32", test_u32},  {"int64", test_i64}, {"uint64", test_u64},
        {NULL, NULL}};
    int r = weft_cu_run("iter", tests);
    fprintf(stderr, "%ld schedule runs checked\n", loops_checked);
    return r;
}
