/* This file handles the small test harness shared by the NUMA suites:
 * assertion wrappers over CUnit that print both operands on failure (the
 * libuv task.h idea), helpers to load synthetic topologies, and a main()
 * body that runs the registered tests and returns the failure count. */
#ifndef WEFT_NUMA_TEST_H
#define WEFT_NUMA_TEST_H

#include <CUnit/Basic.h>
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "topo.h"

#define NT_EQ(a, b)                                                            \
    do {                                                                       \
        long long nt_a_ = (long long)(a), nt_b_ = (long long)(b);              \
        if (nt_a_ != nt_b_)                                                    \
            fprintf(stderr, "%s:%d: %s == %s: %lld != %lld\n", __FILE__,       \
                    __LINE__, #a, #b, nt_a_, nt_b_);                           \
        CU_ASSERT_EQUAL(nt_a_, nt_b_);                                         \
    } while (0)

#define NT_STREQ(a, b)                                                         \
    do {                                                                       \
        const char *nt_a_ = (a), *nt_b_ = (b);                                 \
        int nt_ok_ = nt_a_ && nt_b_ && strcmp(nt_a_, nt_b_) == 0;              \
        if (!nt_ok_)                                                           \
            fprintf(stderr, "%s:%d: %s == %s: '%s' != '%s'\n", __FILE__,       \
                    __LINE__, #a, #b, nt_a_ ? nt_a_ : "(null)",                \
                    nt_b_ ? nt_b_ : "(null)");                                 \
        CU_ASSERT(nt_ok_);                                                     \
    } while (0)

#define NT_TRUE(c)                                                             \
    do {                                                                       \
        int nt_c_ = !!(c);                                                     \
        if (!nt_c_)                                                            \
            fprintf(stderr, "%s:%d: expected %s\n", __FILE__, __LINE__, #c);   \
        CU_ASSERT(nt_c_);                                                      \
    } while (0)

/* Loads a synthetic topology or fails the test (returns NULL). */
static inline struct weft__topo *nt_synthetic(const char *desc) {
    struct weft__topo *t = NULL;
    int rc = weft__topo_create_from(desc, NULL, &t);
    if (rc != 0)
        fprintf(stderr, "cannot load synthetic topology '%s': %d\n", desc, rc);
    CU_ASSERT_FATAL(rc == 0 && t != NULL);
    return t;
}

/* Path of a fixture under tests/fixtures/topo (WEFT_FIXTURE_DIR is set by
 * tests/numa/CMakeLists.txt). */
static inline struct weft__topo *nt_fixture(const char *name) {
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", WEFT_FIXTURE_DIR, name);
    struct weft__topo *t = NULL;
    int rc = weft__topo_create_from(NULL, path, &t);
    if (rc != 0)
        fprintf(stderr, "cannot load fixture '%s': %d\n", path, rc);
    CU_ASSERT_FATAL(rc == 0 && t != NULL);
    return t;
}

struct nt_case {
    const char *name;
    void (*fn)(void);
};

/* Runs one suite of cases; returns the number of failures (exit status). */
static inline int nt_run(const char *suite, const struct nt_case *cases) {
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 1;
    CU_pSuite s = CU_add_suite(suite, NULL, NULL);
    for (const struct nt_case *c = cases; s && c->name; c++)
        CU_add_test(s, c->name, c->fn);
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    unsigned fails =
        CU_get_number_of_failures() + CU_get_number_of_tests_failed();
    CU_cleanup_registry();
    return fails ? 1 : 0;
}

#endif /* WEFT_NUMA_TEST_H */
