/* This file handles what the cluster-layer test suites share: CUnit
 * assertions that print both operands, a suite runner, and loopback
 * helpers (a listening socket on 127.0.0.1 and a connected pair). */
#ifndef WEFT_TESTS_NET_TEST_H
#define WEFT_TESTS_NET_TEST_H

#include <CUnit/Basic.h>
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net/net.h"

/* Equality of two integers; on failure the message shows both values. */
#define NT_EQ(a, b)                                                           \
    do {                                                                      \
        long long a_ = (long long)(a), b_ = (long long)(b);                   \
        char m_[320];                                                         \
        snprintf(m_, sizeof m_, "%s == %s (got %lld, want %lld)", #a, #b, a_, \
                 b_);                                                         \
        CU_assertImplementation(a_ == b_ ? CU_TRUE : CU_FALSE, __LINE__, m_,  \
                                __FILE__, "", CU_FALSE);                      \
    } while (0)

/* Same, but stops the test on failure (for values later steps rely on). */
#define NT_EQ_FATAL(a, b)                                                     \
    do {                                                                      \
        long long a_ = (long long)(a), b_ = (long long)(b);                   \
        char m_[320];                                                         \
        snprintf(m_, sizeof m_, "%s == %s (got %lld, want %lld)", #a, #b, a_, \
                 b_);                                                         \
        CU_assertImplementation(a_ == b_ ? CU_TRUE : CU_FALSE, __LINE__, m_,  \
                                __FILE__, "", CU_TRUE);                       \
    } while (0)

#define NT_TRUE(x) CU_ASSERT_TRUE(x)
#define NT_TRUE_FATAL(x) CU_ASSERT_TRUE_FATAL(x)

struct nt_case {
    const char *name;
    void (*fn)(void);
};

/* Runs one suite of cases; returns the process exit status (0 when every
 * assertion held). */
static inline int nt_run(const char *suite, const struct nt_case *cases) {
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    CU_pSuite s = CU_add_suite(suite, NULL, NULL);
    for (const struct nt_case *c = cases; c->name; c++)
        CU_add_test(s, c->name, c->fn);
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    unsigned failed = CU_get_number_of_failures() +
                      CU_get_number_of_tests_failed();
    CU_cleanup_registry();
    return failed ? 1 : 0;
}

/* A listening socket on 127.0.0.1 with a free port. */
static inline int nt_listen(int *port) {
    char err[WEFT__NET_ERR_LEN];
    int fd = weft__net_listen("127.0.0.1", 0, 8, err);
    if (fd < 0) {
        fprintf(stderr, "listen: %s\n", err);
        return fd;
    }
    *port = weft__net_local_port(fd);
    return fd;
}

/* A connected TCP pair over 127.0.0.1: *a the connecting side, *b the
 * accepted side. Returns 0 or -errno. */
static inline int nt_pair(int *a, int *b) {
    int port, lfd = nt_listen(&port);
    *a = *b = -1;
    if (lfd < 0)
        return lfd;
    *a = weft__net_connect("127.0.0.1", port, 2000, NULL);
    *b = *a >= 0 ? weft__net_accept(lfd, 2000, NULL, 0, NULL) : -1;
    close(lfd);
    if (*a < 0 || *b < 0) {
        if (*a >= 0)
            close(*a);
        if (*b >= 0)
            close(*b);
        return -1;
    }
    return 0;
}

#endif
