/* This file handles the CUnit suite for trip counts: weft__trip_count_calc
 * (the math behind WEFT_trip_count) against a brute-force walk in the real
 * C type for short loops and a 128-bit closed form for long ones, for every
 * integer width and signedness, every comparison, and bounds and steps near
 * the type limits. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <signal.h>

#include "cunit_ext.h"
#include "trip_oracle.h"
#include "weft-internal.h"

#define CAP 20000

static long checked, brute_checked, failures;

#define TRIP_SWEEP(NAME, T, WIDTH, SIGNED, TMIN, TMAX)                        \
    ORACLE_BRUTE_DEFINE(brute_##NAME, T)                                      \
    static void test_##NAME(void) {                                           \
        const T vals[] = {TMIN, (T)(TMIN + 1), (T)(TMIN + 7), (T)(TMIN / 2),  \
                          (T)-100, (T)-1, 0, 1, 5, 100, (T)(TMAX / 2),        \
                          (T)(TMAX - 7), (T)(TMAX - 1), TMAX};                \
        const int64_t big = (int64_t)((TMAX) / 3 > INT64_MAX / 2              \
                                          ? INT64_MAX / 2                     \
                                          : (TMAX) / 3);                      \
        const int64_t steps[] = {-big, -7, -3, -2, -1, 0, 1, 2, 3, 7, big,    \
                                 INT64_MIN, INT64_MAX};                       \
        unsigned type = WIDTH | (SIGNED ? WEFT_TYPE_SIGNED : 0);              \
        for (size_t a = 0; a < sizeof vals / sizeof vals[0]; a++)             \
            for (size_t b = 0; b < sizeof vals / sizeof vals[0]; b++)         \
                for (size_t s = 0; s < sizeof steps / sizeof steps[0]; s++)   \
                    for (int cmp = 0; cmp <= WEFT_CMP_NE; cmp++) {            \
                        T lb = vals[a], ub = vals[b];                         \
                        int64_t step = steps[s];                              \
                        /* The ABI: bounds sign- or zero-extended to 64. */   \
                        uint64_t lb64 = SIGNED ? (uint64_t)(int64_t)lb        \
                                               : (uint64_t)lb;                \
                        uint64_t ub64 = SIGNED ? (uint64_t)(int64_t)ub        \
                                               : (uint64_t)ub;                \
                        uint64_t n = 0;                                       \
                        enum weft__trip_status st = weft__trip_count_calc(    \
                            lb64, ub64, step, cmp, type, &n);                 \
                        i128 en = 0;                                              \
                        enum weft__trip_status est =                          \
                            oracle_closed(lb, ub, step, cmp, &en);            \
                        checked++;                                            \
                        if (st != est || (st == WEFT__TRIP_OK &&              \
                                          (i128)n != en)) {                   \
                            if (failures++ < 20)                              \
                                fprintf(stderr,                               \
                                        "%s: lb %lld ub %lld step %lld cmp "  \
                                        "%d: got %d/%llu want %d/%llu\n",     \
                                        #NAME, (long long)lb, (long long)ub,  \
                                        (long long)step, cmp, st,             \
                                        (unsigned long long)n, est,           \
                                        (unsigned long long)en);              \
                            continue;                                         \
                        }                                                     \
                        if (est == WEFT__TRIP_OK && en <= CAP) {              \
                            int64_t bn = brute_##NAME(lb, ub, step, cmp, CAP, \
                                                      NULL);                  \
                            brute_checked++;                                  \
                            if (bn != (int64_t)en && failures++ < 20)         \
                                fprintf(stderr,                               \
                                        "%s: brute force lb %lld ub %lld "    \
                                        "step %lld cmp %d: %lld vs %llu\n",   \
                                        #NAME, (long long)lb, (long long)ub,  \
                                        (long long)step, cmp, (long long)bn,  \
                                        (unsigned long long)n);               \
                        }                                                     \
                        if (est == WEFT__TRIP_NE_MISSES) {                    \
                            int64_t bn = brute_##NAME(lb, ub, step, cmp, CAP, \
                                                      NULL);                  \
                            if (bn >= 0 && failures++ < 20)                   \
                                fprintf(stderr,                               \
                                        "%s: != loop ends by brute force\n",  \
                                        #NAME);                               \
                        }                                                     \
                    }                                                         \
        WEFT_ASSERT_EQ(failures, 0);                                          \
    }

TRIP_SWEEP(i8, int8_t, 8, 1, INT8_MIN, INT8_MAX)
TRIP_SWEEP(u8, uint8_t, 8, 0, 0, UINT8_MAX)
TRIP_SWEEP(i16, int16_t, 16, 1, INT16_MIN, INT16_MAX)
TRIP_SWEEP(u16, uint16_t, 16, 0, 0, UINT16_MAX)
TRIP_SWEEP(i32, int32_t, 32, 1, INT32_MIN, INT32_MAX)
TRIP_SWEEP(u32, uint32_t, 32, 0, 0, UINT32_MAX)
TRIP_SWEEP(i64, int64_t, 64, 1, INT64_MIN, INT64_MAX)
TRIP_SWEEP(u64, uint64_t, 64, 0, 0, UINT64_MAX)

/* Hand-picked cases with known answers. */
static void test_known(void) {
    uint64_t n = 99;
    /* for (int i = 0; i < 10; i++): 10 */
    WEFT_ASSERT_EQ(weft__trip_count_calc(0, 10, 1, WEFT_CMP_LT, 32 | WEFT_TYPE_SIGNED, &n), 0);
    WEFT_ASSERT_UEQ(n, 10);
    /* for (int i = 10; i > 0; i -= 3): 10 7 4 1 */
    weft__trip_count_calc(10, 0, -3, WEFT_CMP_GT, 32 | WEFT_TYPE_SIGNED, &n);
    WEFT_ASSERT_UEQ(n, 4);
    /* for (unsigned char c = 0; c <= 254; c++): 255 */
    weft__trip_count_calc(0, 254, 1, WEFT_CMP_LE, 8, &n);
    WEFT_ASSERT_UEQ(n, 255);
    /* full uint64 range with <=: 2^64 iterations cannot be counted */
    WEFT_ASSERT_EQ(weft__trip_count_calc(0, UINT64_MAX, 1, WEFT_CMP_LE, 64, &n),
                   WEFT__TRIP_TOO_MANY);
    /* full uint64 range with <: 2^64 - 1 */
    weft__trip_count_calc(0, UINT64_MAX, 1, WEFT_CMP_LT, 64, &n);
    WEFT_ASSERT_UEQ(n, UINT64_MAX);
    /* int8 from -128 to 127 inclusive: 256 */
    weft__trip_count_calc((uint64_t)(int64_t)-128, 127, 1, WEFT_CMP_LE, 8 | WEFT_TYPE_SIGNED,
                          &n);
    WEFT_ASSERT_UEQ(n, 256);
    /* bounds given without sign extension are reduced modulo 2^8 */
    weft__trip_count_calc(0x80, 0x7f, 1, WEFT_CMP_LE, 8 | WEFT_TYPE_SIGNED, &n);
    WEFT_ASSERT_UEQ(n, 256);
    /* != with step 2 that lands, and one that misses */
    weft__trip_count_calc(0, 10, 2, WEFT_CMP_NE, 32, &n);
    WEFT_ASSERT_UEQ(n, 5);
    WEFT_ASSERT_EQ(weft__trip_count_calc(0, 9, 2, WEFT_CMP_NE, 32, &n), WEFT__TRIP_NE_MISSES);
    /* step 0 on a loop that runs: never ends; on a zero-trip loop: 0 */
    WEFT_ASSERT_EQ(weft__trip_count_calc(0, 5, 0, WEFT_CMP_LT, 32, &n), WEFT__TRIP_INFINITE);
    WEFT_ASSERT_EQ(weft__trip_count_calc(5, 0, 0, WEFT_CMP_LT, 32, &n), WEFT__TRIP_OK);
    WEFT_ASSERT_UEQ(n, 0);
    /* bad type widths and comparisons */
    WEFT_ASSERT_EQ(weft__trip_count_calc(0, 5, 1, WEFT_CMP_LT, 24, &n), WEFT__TRIP_BAD_TYPE);
    WEFT_ASSERT_EQ(weft__trip_count_calc(0, 5, 1, 9, 32, &n), WEFT__TRIP_BAD_CMP);
    /* step INT64_MIN on a 64-bit signed loop from the top */
    weft__trip_count_calc((uint64_t)INT64_MAX, (uint64_t)INT64_MIN, INT64_MIN, WEFT_CMP_GE,
                          64 | WEFT_TYPE_SIGNED, &n);
    WEFT_ASSERT_UEQ(n, 2);
}

static void test_abi_entry(void) {
    static const struct weft_loc L = {"test_trip.c", "f", 1, 1};
    WEFT_ASSERT_UEQ(WEFT_trip_count(&L, (uint64_t)(int64_t)-5, 5, 1, WEFT_CMP_LT,
                                    16 | WEFT_TYPE_SIGNED),
                    10);
}

/* A loop that never ends is fatal, naming the user's file and line: run
 * WEFT_trip_count in a child and read its stderr. */
static void expect_fatal(uint64_t lb, uint64_t ub, int64_t step, int cmp, unsigned type,
                         const char *want) {
    static const struct weft_loc L = {"user.c", "f", 42, 3};
    int fds[2];
    WEFT_ASSERT_EQ(pipe(fds), 0);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], 2);
        close(fds[0]);
        WEFT_trip_count(&L, lb, ub, step, cmp, type);
        _exit(0); /* not reached when the runtime does its job */
    }
    close(fds[1]);
    char buf[512] = {0};
    size_t got = 0;
    ssize_t r;
    while (got < sizeof buf - 1 && (r = read(fds[0], buf + got, sizeof buf - 1 - got)) > 0)
        got += (size_t)r;
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    WEFT_ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
    WEFT_ASSERT_TRUE(strncmp(buf, "user.c:42: weft: fatal: ", 24) == 0);
    WEFT_ASSERT_TRUE(strstr(buf, want) != NULL);
}

static void test_fatal(void) {
    expect_fatal(0, 10, 0, WEFT_CMP_LT, 32 | WEFT_TYPE_SIGNED, "never ends");
    expect_fatal(10, 0, 1, WEFT_CMP_GE, 64, "never ends");
    expect_fatal(0, 9, 2, WEFT_CMP_NE, 32, "never reaches");
    expect_fatal(0, UINT64_MAX, 1, WEFT_CMP_LE, 64, "2^64");
    expect_fatal(0, 5, 1, WEFT_CMP_LT, 12, "8, 16, 32 or 64-bit");
}

int main(void) {
    static const struct weft_cu_test tests[] = {
        {"known", test_known}, {"abi_entry", test_abi_entry},
        {"fatal", test_fatal},
        {"int8", test_i8},     {"uint8", test_u8},
        {"int16", test_i16},   {"uint16", test_u16},
        {"int32", test_i32},   {"uint32", test_u32},
        {"int64", test_i64},   {"uint64", test_u64},
        {NULL, NULL}};
    int r = weft_cu_run("trip", tests);
    fprintf(stderr, "%ld cases, %ld by brute force\n", checked, brute_checked);
    return r;
}
