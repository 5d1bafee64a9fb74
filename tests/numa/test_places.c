/* This file handles the tests of the topology snapshot (topo.c) and of
 * OMP_PLACES parsing (places.c) on synthetic and XML topologies: counts and
 * ids per PU, every abstract place kind with and without a count, explicit
 * lists, intervals, exclusions, and rejected values. */
#include "numa_test.h"
#include "places.h"

#include <errno.h>

#define SMT "package:2 numa:2 core:4 pu:2"
#define NOSMT "package:2 numa:2 core:4 pu:1"

/* Checks place p of pl against the expected CPU list. */
static void check_place(const struct weft__places *pl, int p, const int *cpus,
                        int n) {
    NT_EQ(weft__places_count(pl, p), n);
    if (weft__places_count(pl, p) != n)
        return;
    for (int i = 0; i < n; i++)
        NT_EQ(pl->pus[pl->off[p] + i], cpus[i]);
}

/* Parses s on t, expecting success with `n` places. */
static void parse_ok(const struct weft__topo *t, const char *s, int n,
                     struct weft__places *pl) {
    char msg[200];
    int rc = weft__places_parse(t, s, pl, msg, sizeof(msg));
    if (rc != 0)
        fprintf(stderr, "parse '%s' failed: %s\n", s, msg);
    NT_EQ(rc, 0);
    NT_EQ(pl->n, n);
}

static void parse_bad(const struct weft__topo *t, const char *s) {
    char msg[200];
    struct weft__places pl;
    int rc = weft__places_parse(t, s, &pl, msg, sizeof(msg));
    if (rc != -EINVAL)
        fprintf(stderr, "'%s' was accepted\n", s);
    NT_EQ(rc, -EINVAL);
    NT_EQ(pl.n, 0);
    NT_TRUE(strstr(msg, "at offset") != NULL);
}

static void test_topo_smt(void) {
    struct weft__topo *t = nt_synthetic(SMT);
    NT_EQ(t->npackages, 2);
    NT_EQ(t->nnumas, 4);
    NT_EQ(t->ncores, 16);
    NT_EQ(t->npus, 32);
    NT_EQ(t->nllcs, 4); /* no caches: one group per domain */
    NT_EQ(t->is_thissystem, 0);
    NT_EQ(t->flat, 0);
    for (int i = 0; i < t->npus; i++) {
        NT_EQ(t->pu[i].os, i);
        NT_EQ(t->pu[i].core, i / 2);
        NT_EQ(t->pu[i].numa, i / 8);
        NT_EQ(t->pu[i].package, i / 16);
        NT_EQ(weft__topo_pu_of_os(t, i), i);
    }
    NT_EQ(weft__topo_pu_of_os(t, 32), -1);
    NT_EQ(weft__topo_pu_of_os(t, -1), -1);
    /* No distance matrix: the stand-in orders local, package, remote. */
    NT_TRUE(t->distance == NULL);
    NT_EQ(weft__topo_numa_distance(t, 1, 1), 10);
    NT_EQ(weft__topo_numa_distance(t, 0, 1), 20);
    NT_EQ(weft__topo_numa_distance(t, 1, 2), 30);
    weft__topo_destroy(t);
}

static void test_topo_nosmt_l3(void) {
    struct weft__topo *t = nt_synthetic("package:2 numa:2 l3:2 core:2 pu:1");
    NT_EQ(t->npus, 16);
    NT_EQ(t->ncores, 16);
    NT_EQ(t->nllcs, 8);
    for (int i = 0; i < t->npus; i++) {
        NT_EQ(t->pu[i].core, i);
        NT_EQ(t->pu[i].llc, i / 2);
        NT_EQ(t->pu[i].numa, i / 4);
    }
    weft__topo_destroy(t);
}

static void test_topo_xml_asym(void) {
    struct weft__topo *t = nt_fixture("asym-2pkg-4numa.xml");
    NT_EQ(t->npackages, 2);
    NT_EQ(t->nnumas, 4);
    NT_EQ(t->ncores, 14);
    NT_EQ(t->npus, 28);
    NT_EQ(t->pu[27].numa, 3);
    NT_EQ(t->pu[27].core, 13);
    NT_EQ(t->pu[23].numa, 2);
    NT_TRUE(t->distance != NULL);
    NT_EQ(weft__topo_numa_distance(t, 0, 1), 12);
    NT_EQ(weft__topo_numa_distance(t, 0, 2), 20);
    NT_EQ(weft__topo_numa_distance(t, 0, 3), 30);
    NT_EQ(weft__topo_numa_distance(t, 3, 1), 20);
    struct weft__places pl;
    parse_ok(t, "numa_domains", 4, &pl);
    NT_EQ(weft__places_count(&pl, 2), 8);
    NT_EQ(weft__places_count(&pl, 3), 4);
    weft__places_destroy(&pl);
    parse_ok(t, "cores", 14, &pl);
    weft__places_destroy(&pl);
    weft__topo_destroy(t);
}

static void test_topo_flat(void) {
    struct weft__topo *t = NULL;
    int os[] = {3, 5, 7};
    NT_EQ(weft__topo_create_flat(os, 3, &t), 0);
    NT_EQ(t->flat, 1);
    NT_EQ(t->nnumas, 1);
    NT_EQ(t->npus, 3);
    struct weft__places pl;
    parse_ok(t, "cores", 3, &pl);
    int c5[] = {5};
    check_place(&pl, 1, c5, 1);
    weft__places_destroy(&pl);
    parse_ok(t, "numa_domains", 1, &pl);
    int all[] = {3, 5, 7};
    check_place(&pl, 0, all, 3);
    weft__places_destroy(&pl);
    /* Binding and memory queries need hwloc on the real system. */
    NT_EQ(weft__topo_bind_self(t, os, 1), -ENOTSUP);
    NT_EQ(weft__topo_mem_domain(t, &pl), -ENOTSUP);
    weft__topo_destroy(t);
    int dup[] = {1, 1};
    NT_EQ(weft__topo_create_flat(dup, 2, &t), -EINVAL);
    NT_EQ(weft__topo_create_flat(os, 0, &t), -EINVAL);
    NT_TRUE(t == NULL);
}

/* hwloc itself honours HWLOC_SYNTHETIC in weft__topo_create(). */
static void test_topo_env(void) {
    setenv("HWLOC_SYNTHETIC", SMT, 1);
    struct weft__topo *t = NULL;
    NT_EQ(weft__topo_create(&t), 0);
    unsetenv("HWLOC_SYNTHETIC");
    CU_ASSERT_FATAL(t != NULL);
    NT_EQ(t->npus, 32);
    NT_EQ(t->nnumas, 4);
    NT_EQ(t->is_thissystem, 0);
    weft__topo_destroy(t);
    NT_EQ(weft__topo_create_from(NULL, NULL, &t), -EINVAL);
    NT_EQ(weft__topo_create_from("bogus:3", NULL, &t), -EINVAL);
    NT_EQ(weft__topo_create_from(NULL, "/nonexistent.xml", &t), -EINVAL);
}

static void test_abstract(void) {
    struct weft__topo *t = nt_synthetic(SMT);
    struct weft__places pl;

    parse_ok(t, "threads", 32, &pl);
    int c31[] = {31};
    check_place(&pl, 31, c31, 1);
    weft__places_destroy(&pl);

    parse_ok(t, "cores", 16, &pl);
    int c45[] = {4, 5};
    check_place(&pl, 2, c45, 2);
    weft__places_destroy(&pl);

    parse_ok(t, "ll_caches", 4, &pl);
    NT_EQ(weft__places_count(&pl, 3), 8);
    weft__places_destroy(&pl);

    parse_ok(t, "numa_domains", 4, &pl);
    int n1[] = {8, 9, 10, 11, 12, 13, 14, 15};
    check_place(&pl, 1, n1, 8);
    weft__places_destroy(&pl);

    parse_ok(t, "sockets", 2, &pl);
    NT_EQ(weft__places_count(&pl, 1), 16);
    NT_EQ(pl.pus[pl.off[1]], 16);
    weft__places_destroy(&pl);

    /* Counts keep the first n places; more than exist is capped. */
    parse_ok(t, "cores(4)", 4, &pl);
    int c67[] = {6, 7};
    check_place(&pl, 3, c67, 2);
    weft__places_destroy(&pl);
    parse_ok(t, " THREADS ( 100 ) ", 32, &pl);
    weft__places_destroy(&pl);
    parse_ok(t, "sockets(1)", 1, &pl);
    weft__places_destroy(&pl);
    weft__topo_destroy(t);

    t = nt_synthetic(NOSMT);
    parse_ok(t, "cores", 16, &pl);
    int c9[] = {9};
    check_place(&pl, 9, c9, 1);
    weft__places_destroy(&pl);
    parse_ok(t, "threads", 16, &pl);
    weft__places_destroy(&pl);
    weft__topo_destroy(t);
}

static void test_explicit(void) {
    struct weft__topo *t = nt_synthetic(SMT);
    struct weft__places pl;

    parse_ok(t, "{0,1,2,3},{4:4}", 2, &pl);
    int a[] = {0, 1, 2, 3}, b[] = {4, 5, 6, 7};
    check_place(&pl, 0, a, 4);
    check_place(&pl, 1, b, 4);
    weft__places_destroy(&pl);

    parse_ok(t, "{0:4}:4:4", 4, &pl);
    int p3[] = {12, 13, 14, 15};
    check_place(&pl, 3, p3, 4);
    weft__places_destroy(&pl);

    parse_ok(t, "{0:4:2}", 1, &pl);
    int ev[] = {0, 2, 4, 6};
    check_place(&pl, 0, ev, 4);
    weft__places_destroy(&pl);

    /* Members are sorted and deduplicated. */
    parse_ok(t, "{ 3 , 1 , 3 }", 1, &pl);
    int s13[] = {1, 3};
    check_place(&pl, 0, s13, 2);
    weft__places_destroy(&pl);

    /* Resource exclusion. */
    parse_ok(t, "{0:8,!2,!3}", 1, &pl);
    int ex[] = {0, 1, 4, 5, 6, 7};
    check_place(&pl, 0, ex, 6);
    weft__places_destroy(&pl);
    parse_ok(t, "{0:8,!0:4:2}", 1, &pl);
    int ex2[] = {1, 3, 5, 7};
    check_place(&pl, 0, ex2, 4);
    weft__places_destroy(&pl);

    /* Place exclusion, wherever it stands. */
    parse_ok(t, "{0:2}:4:8,!{8,9}", 3, &pl);
    int q1[] = {16, 17};
    check_place(&pl, 1, q1, 2);
    weft__places_destroy(&pl);
    parse_ok(t, "!{0,1},{0,1},{2,3}", 1, &pl);
    int q2[] = {2, 3};
    check_place(&pl, 0, q2, 2);
    weft__places_destroy(&pl);

    /* Negative stride in a place interval. */
    parse_ok(t, "{24:8}:3:-8", 3, &pl);
    int q3[] = {8, 9, 10, 11, 12, 13, 14, 15};
    check_place(&pl, 2, q3, 8);
    weft__places_destroy(&pl);

    /* CPUs the machine lacks are dropped, then empty places. */
    parse_ok(t, "{30:4},{40},{1}", 2, &pl);
    int d[] = {30, 31};
    check_place(&pl, 0, d, 2);
    weft__places_destroy(&pl);

    char buf[64];
    parse_ok(t, "{5,6,7}", 1, &pl);
    NT_EQ(weft__places_format(&pl, 0, buf, sizeof(buf)), 7);
    NT_STREQ(buf, "{5,6,7}");
    NT_EQ(weft__places_format(&pl, 0, buf, 4), 7);
    NT_STREQ(buf, "{5,");
    NT_EQ(weft__places_format(&pl, 3, buf, sizeof(buf)), 2);
    NT_STREQ(buf, "{}");
    weft__places_destroy(&pl);
    weft__topo_destroy(t);
}

static void test_rejected(void) {
    struct weft__topo *t = nt_synthetic(SMT);
    parse_bad(t, "");
    parse_bad(t, "   ");
    parse_bad(t, "bogus");
    parse_bad(t, "cores(0)");
    parse_bad(t, "cores(");
    parse_bad(t, "cores x");
    parse_bad(t, "{0,1");
    parse_bad(t, "{0:0}");
    parse_bad(t, "{a}");
    parse_bad(t, "{0},");
    parse_bad(t, "{0}}");
    parse_bad(t, "{40:4}");
    parse_bad(t, "{0:2}:3:-4");
    parse_bad(t, "{99999999}");
    parse_bad(t, "{0:2}:100000");
    parse_bad(t, "!{0}");
    weft__topo_destroy(t);
}

int main(void) {
    static const struct nt_case cases[] = {
        {"topo_smt", test_topo_smt},
        {"topo_nosmt_l3", test_topo_nosmt_l3},
        {"topo_xml_asym", test_topo_xml_asym},
        {"topo_flat", test_topo_flat},
        {"topo_env", test_topo_env},
        {"places_abstract", test_abstract},
        {"places_explicit", test_explicit},
        {"places_rejected", test_rejected},
        {NULL, NULL},
    };
    return nt_run("numa_places", cases);
}
