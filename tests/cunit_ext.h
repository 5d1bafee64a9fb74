/* This file handles assertion helpers for weft's CUnit suites: ASSERT_EQ-
 * style wrappers that print both operands on failure (libuv's task.h), and
 * a small runner that builds a suite from a table and returns a status
 * CTest understands. */
#ifndef WEFT_CUNIT_EXT_H
#define WEFT_CUNIT_EXT_H

#include <CUnit/Basic.h>
#include <CUnit/CUnit.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* Integer comparison that prints both values (as intmax/uintmax). */
#define WEFT__CU_CMP(a, op, b, fmt, T)                                        \
    do {                                                                      \
        T weft_a_ = (T)(a), weft_b_ = (T)(b);                                 \
        int weft_ok_ = weft_a_ op weft_b_;                                    \
        if (!weft_ok_) {                                                      \
            char weft_msg_[512];                                              \
            snprintf(weft_msg_, sizeof weft_msg_,                             \
                     "%s %s %s (%" fmt " vs %" fmt ")", #a, #op, #b, weft_a_,  \
                     weft_b_);                                                \
            CU_assertImplementation(CU_FALSE, __LINE__, weft_msg_, __FILE__,  \
                                    "", CU_FALSE);                            \
            fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, weft_msg_);    \
        } else {                                                              \
            CU_PASS(#a " " #op " " #b);                                       \
        }                                                                     \
    } while (0)

#define WEFT_ASSERT_EQ(a, b) WEFT__CU_CMP(a, ==, b, PRIdMAX, intmax_t)
#define WEFT_ASSERT_NE(a, b) WEFT__CU_CMP(a, !=, b, PRIdMAX, intmax_t)
#define WEFT_ASSERT_LT(a, b) WEFT__CU_CMP(a, <, b, PRIdMAX, intmax_t)
#define WEFT_ASSERT_LE(a, b) WEFT__CU_CMP(a, <=, b, PRIdMAX, intmax_t)
#define WEFT_ASSERT_GE(a, b) WEFT__CU_CMP(a, >=, b, PRIdMAX, intmax_t)
#define WEFT_ASSERT_UEQ(a, b) WEFT__CU_CMP(a, ==, b, PRIuMAX, uintmax_t)
#define WEFT_ASSERT_ULE(a, b) WEFT__CU_CMP(a, <=, b, PRIuMAX, uintmax_t)
#define WEFT_ASSERT_DEQ(a, b) WEFT__CU_CMP(a, ==, b, "Lg", long double)

#define WEFT_ASSERT_STREQ(a, b)                                               \
    do {                                                                      \
        const char *weft_a_ = (a), *weft_b_ = (b);                            \
        int weft_ok_ = weft_a_ && weft_b_ && strcmp(weft_a_, weft_b_) == 0;   \
        if (!weft_ok_) {                                                      \
            char weft_msg_[1024];                                             \
            snprintf(weft_msg_, sizeof weft_msg_, "%s == %s (\"%s\" vs \"%s\")", \
                     #a, #b, weft_a_ ? weft_a_ : "(null)",                    \
                     weft_b_ ? weft_b_ : "(null)");                           \
            CU_assertImplementation(CU_FALSE, __LINE__, weft_msg_, __FILE__,  \
                                    "", CU_FALSE);                            \
            fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, weft_msg_);    \
        } else {                                                              \
            CU_PASS(#a " == " #b);                                            \
        }                                                                     \
    } while (0)

#define WEFT_ASSERT_TRUE(c) WEFT__CU_CMP(!!(c), ==, 1, PRIdMAX, intmax_t)

/* One test of a suite table. */
struct weft_cu_test {
    const char *name;
    void (*fn)(void);
};

/* Runs every test of `tests` (terminated by a NULL name) as suite `suite`;
 * returns 0 when all passed, 1 otherwise (the process exit status). */
static inline int weft_cu_run(const char *suite, const struct weft_cu_test *tests) {
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    CU_pSuite s = CU_add_suite(suite, NULL, NULL);
    if (!s)
        return 2;
    for (const struct weft_cu_test *t = tests; t->name; t++)
        if (!CU_add_test(s, t->name, t->fn))
            return 2;
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    unsigned failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
    unsigned run = CU_get_number_of_tests_run();
    CU_cleanup_registry();
    return failed == 0 && run > 0 ? 0 : 1;
}

#endif
