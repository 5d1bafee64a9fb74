/* This file handles the tests of OMP_PROC_BIND parsing and of the OpenMP 5
 * placement decisions (primary, close, spread; teams smaller and larger
 * than the partition; nested partitions; wrapping partitions), plus the
 * settings built from environment strings, warnings included. */
#include "affinity.h"
#include "numa_test.h"

#include <errno.h>
#include <unistd.h>

static void test_bind_parse(void) {
    struct weft__bind_list l;
    char msg[100];
    NT_EQ(weft__bind_parse("spread", &l, msg, sizeof(msg)), 0);
    NT_EQ(l.n, 1);
    NT_EQ(l.policy[0], WEFT_BIND_SPREAD);
    NT_EQ(weft__bind_parse(" spread , Close,primary ", &l, msg, sizeof(msg)),
          0);
    NT_EQ(l.n, 3);
    NT_EQ(l.policy[1], WEFT_BIND_CLOSE);
    NT_EQ(l.policy[2], WEFT_BIND_PRIMARY);
    NT_EQ(weft__bind_parse("MASTER", &l, msg, sizeof(msg)), 0);
    NT_EQ(l.policy[0], WEFT_BIND_PRIMARY);
    NT_EQ(weft__bind_parse("true", &l, msg, sizeof(msg)), 0);
    NT_EQ(l.policy[0], WEFT_BIND_TRUE);
    NT_EQ(weft__bind_parse("FALSE", &l, msg, sizeof(msg)), 0);
    NT_EQ(l.policy[0], WEFT_BIND_FALSE);
    NT_EQ(weft__bind_parse("", &l, msg, sizeof(msg)), 0);
    NT_EQ(l.n, 0);
    NT_EQ(weft__bind_parse(NULL, &l, msg, sizeof(msg)), 0);
    NT_EQ(l.n, 0);

    NT_EQ(weft__bind_parse("sprad", &l, msg, sizeof(msg)), -EINVAL);
    NT_TRUE(strstr(msg, "sprad") != NULL);
    NT_EQ(l.n, 0);
    NT_EQ(weft__bind_parse("true,close", &l, msg, sizeof(msg)), -EINVAL);
    NT_EQ(weft__bind_parse("close,false", &l, msg, sizeof(msg)), -EINVAL);
    NT_EQ(weft__bind_parse("close,,spread", &l, msg, sizeof(msg)), -EINVAL);
    NT_EQ(weft__bind_parse("close;spread", &l, msg, sizeof(msg)), -EINVAL);
    NT_EQ(weft__bind_parse("close,", &l, msg, sizeof(msg)), -EINVAL);
    NT_EQ(weft__bind_parse("close,close,close,close,close,close,close,close,"
                           "close",
                           &l, msg, sizeof(msg)),
          -EINVAL);
    NT_STREQ(weft__bind_name(WEFT_BIND_SPREAD), "spread");
}

/* Plans and compares places (and partitions when given). */
static void expect(int nplaces, int policy, int T,
                   struct weft__bind_slot parent, const int *places,
                   const int *offs, const int *lens) {
    struct weft__bind_slot out[64];
    NT_EQ(weft__affinity_plan(nplaces, policy, T, &parent, out), 0);
    for (int i = 0; i < T; i++) {
        NT_EQ(out[i].place, places[i]);
        if (offs)
            NT_EQ(out[i].part_off, offs[i]);
        if (lens)
            NT_EQ(out[i].part_len, lens[i]);
    }
}

static void test_plan_close(void) {
    struct weft__bind_slot all8 = {0, 0, 8};
    int p4[] = {0, 1, 2, 3}, o4[] = {0, 0, 0, 0}, l4[] = {8, 8, 8, 8};
    expect(8, WEFT_BIND_CLOSE, 4, all8, p4, o4, l4);
    expect(8, WEFT_BIND_TRUE, 4, all8, p4, o4, l4);
    struct weft__bind_slot from6 = {6, 0, 8};
    int p6[] = {6, 7, 0, 1};
    expect(8, WEFT_BIND_CLOSE, 4, from6, p6, NULL, NULL);
    /* T > P: 10 threads on 4 places: 3, 3, 2, 2. */
    struct weft__bind_slot all4 = {0, 0, 4};
    int p10[] = {0, 0, 0, 1, 1, 1, 2, 2, 3, 3};
    expect(4, WEFT_BIND_CLOSE, 10, all4, p10, NULL, NULL);
    /* Same from place 2: the extra threads go to the first places from the
     * parent's. */
    struct weft__bind_slot from2 = {2, 0, 4};
    int p10b[] = {2, 2, 2, 3, 3, 3, 0, 0, 1, 1};
    expect(4, WEFT_BIND_CLOSE, 10, from2, p10b, NULL, NULL);
    /* A partition that wraps: places 6, 7, 0, 1 of 8. */
    struct weft__bind_slot wrap = {7, 6, 4};
    int pw[] = {7, 0, 1, 6};
    expect(8, WEFT_BIND_CLOSE, 4, wrap, pw, NULL, NULL);
}

static void test_plan_spread(void) {
    struct weft__bind_slot all8 = {0, 0, 8};
    int p4[] = {0, 2, 4, 6}, o4[] = {0, 2, 4, 6}, l4[] = {2, 2, 2, 2};
    expect(8, WEFT_BIND_SPREAD, 4, all8, p4, o4, l4);
    /* Uneven: 8 places in 3 subpartitions of 3, 3, 2. */
    int p3[] = {0, 3, 6}, l3[] = {3, 3, 2};
    expect(8, WEFT_BIND_SPREAD, 3, all8, p3, p3, l3);
    /* The primary keeps its place and gets the subpartition holding it;
     * the others take the next subpartitions, wrapping. */
    struct weft__bind_slot from5 = {5, 0, 8};
    int q[] = {5, 6, 0, 2}, qo[] = {4, 6, 0, 2};
    expect(8, WEFT_BIND_SPREAD, 4, from5, q, qo, l4);
    /* T > P: consecutive threads share a place; partitions shrink to it. */
    struct weft__bind_slot all4 = {0, 0, 4};
    int p6[] = {0, 0, 1, 1, 2, 3}, l6[] = {1, 1, 1, 1, 1, 1};
    expect(4, WEFT_BIND_SPREAD, 6, all4, p6, p6, l6);
    /* One thread: unchanged place, whole partition. */
    int one[] = {3}, oo[] = {0}, ol[] = {8};
    struct weft__bind_slot from3 = {3, 0, 8};
    expect(8, WEFT_BIND_SPREAD, 1, from3, one, oo, ol);
}

static void test_plan_primary_nested(void) {
    struct weft__bind_slot s = {3, 2, 4};
    int p[] = {3, 3, 3}, o[] = {2, 2, 2}, l[] = {4, 4, 4};
    expect(8, WEFT_BIND_PRIMARY, 3, s, p, o, l);

    /* spread,close on 8 places: outer 2 threads get halves, inner teams
     * fill their half. */
    struct weft__bind_slot all8 = {0, 0, 8}, outer[2], inner[4];
    NT_EQ(weft__affinity_plan(8, WEFT_BIND_SPREAD, 2, &all8, outer), 0);
    NT_EQ(outer[1].place, 4);
    NT_EQ(outer[1].part_off, 4);
    NT_EQ(outer[1].part_len, 4);
    NT_EQ(weft__affinity_plan(8, WEFT_BIND_CLOSE, 4, &outer[1], inner), 0);
    for (int i = 0; i < 4; i++)
        NT_EQ(inner[i].place, 4 + i);
    /* Team larger than the half: stays inside it. */
    struct weft__bind_slot big[6];
    NT_EQ(weft__affinity_plan(8, WEFT_BIND_CLOSE, 6, &outer[0], big), 0);
    int exp_big[] = {0, 0, 1, 1, 2, 3};
    for (int i = 0; i < 6; i++)
        NT_EQ(big[i].place, exp_big[i]);
    NT_EQ(weft__affinity_plan(8, WEFT_BIND_SPREAD, 2, &outer[1], inner), 0);
    NT_EQ(inner[0].place, 4);
    NT_EQ(inner[1].place, 6);
    NT_EQ(inner[1].part_len, 2);
}

static void test_plan_invalid(void) {
    struct weft__bind_slot ok = {0, 0, 4}, out[4];
    NT_EQ(weft__affinity_plan(4, WEFT_BIND_CLOSE, 0, &ok, out), -EINVAL);
    NT_EQ(weft__affinity_plan(0, WEFT_BIND_CLOSE, 1, &ok, out), -EINVAL);
    NT_EQ(weft__affinity_plan(4, WEFT_BIND_FALSE, 1, &ok, out), -EINVAL);
    NT_EQ(weft__affinity_plan(4, 99, 1, &ok, out), -EINVAL);
    struct weft__bind_slot bad = {4, 0, 4};
    NT_EQ(weft__affinity_plan(4, WEFT_BIND_CLOSE, 1, &bad, out), -EINVAL);
    struct weft__bind_slot badlen = {0, 0, 5};
    NT_EQ(weft__affinity_plan(4, WEFT_BIND_CLOSE, 1, &badlen, out), -EINVAL);
}

/* Invariants over a sweep of partitions, team sizes and parents: every
 * place stays inside the parent's partition, thread 0 keeps the parent's
 * place, T <= P uses distinct places, T > P loads places within one
 * thread of each other, and spread's subpartitions tile the partition. */
static void test_plan_sweep(void) {
    const int nplaces = 9;
    struct weft__bind_slot out[40];
    for (int P = 1; P <= nplaces; P++)
        for (int off = 0; off < nplaces; off++)
            for (int pr = 0; pr < P; pr++)
                for (int T = 1; T <= 30; T++)
                    for (int pol = WEFT_BIND_CLOSE; pol <= WEFT_BIND_SPREAD;
                         pol++) {
                        struct weft__bind_slot par = {(off + pr) % nplaces, off,
                                                      P};
                        CU_ASSERT_FATAL(weft__affinity_plan(nplaces, pol, T,
                                                            &par, out) == 0);
                        int load[9] = {0}, cover[9] = {0};
                        CU_ASSERT(out[0].place == par.place);
                        for (int i = 0; i < T; i++) {
                            int rel = (out[i].place - off + nplaces) % nplaces;
                            CU_ASSERT(rel < P);
                            load[out[i].place]++;
                            if (pol == WEFT_BIND_SPREAD && T <= P)
                                for (int j = 0; j < out[i].part_len; j++)
                                    cover[(out[i].part_off + j) % nplaces]++;
                        }
                        int lo = T / P, hi = (T + P - 1) / P;
                        for (int k = 0; k < P; k++) {
                            int c = load[(off + k) % nplaces];
                            CU_ASSERT(c >= lo && c <= hi);
                        }
                        if (pol == WEFT_BIND_SPREAD && T <= P)
                            for (int k = 0; k < P; k++)
                                CU_ASSERT(cover[(off + k) % nplaces] == 1);
                    }
}

/* Runs fn with stderr redirected to a file; returns what it wrote. */
static char *capture_stderr(void (*fn)(void *), void *arg) {
    static char buf[4096];
    FILE *tmp = tmpfile();
    CU_ASSERT_FATAL(tmp != NULL);
    fflush(stderr);
    int saved = dup(2);
    dup2(fileno(tmp), 2);
    fn(arg);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    rewind(tmp);
    size_t n = fread(buf, 1, sizeof(buf) - 1, tmp);
    buf[n] = '\0';
    fclose(tmp);
    return buf;
}

struct init_args {
    const struct weft__topo *t;
    const char *places, *bind, *display;
    struct weft__affinity *a;
    int rc;
};

static void run_init(void *p) {
    struct init_args *x = p;
    x->rc = weft__affinity_init(x->a, x->t, x->places, x->bind, x->display);
}

static int count_lines(const char *s, const char *needle) {
    int n = 0;
    for (const char *c = s; (c = strstr(c, needle)) != NULL; c++)
        n++;
    return n;
}

static void test_settings(void) {
    struct weft__topo *t = nt_synthetic("package:2 numa:2 core:4 pu:2");
    struct weft__affinity a;
    struct init_args x = {t, NULL, NULL, NULL, &a, -1};

    /* Nothing set: places default to cores, no binding unless a clause. */
    char *err = capture_stderr(run_init, &x);
    NT_EQ(x.rc, 0);
    NT_STREQ(err, "");
    NT_EQ(a.places.n, 16);
    NT_EQ(a.places_set, 0);
    NT_EQ(weft__affinity_policy(&a, WEFT_BIND_UNSET, 1), WEFT_BIND_FALSE);
    NT_EQ(weft__affinity_policy(&a, WEFT_BIND_SPREAD, 1), WEFT_BIND_SPREAD);
    weft__affinity_destroy(&a);

    /* OMP_PLACES alone turns binding on. */
    x.places = "sockets";
    capture_stderr(run_init, &x);
    NT_EQ(a.places.n, 2);
    NT_EQ(weft__affinity_policy(&a, WEFT_BIND_UNSET, 1), WEFT_BIND_TRUE);
    weft__affinity_destroy(&a);

    /* A list per level; deeper levels reuse the last one. */
    x.places = NULL;
    x.bind = "spread,close";
    x.display = "TRUE";
    capture_stderr(run_init, &x);
    NT_EQ(a.display, 1);
    NT_EQ(weft__affinity_policy(&a, WEFT_BIND_UNSET, 1), WEFT_BIND_SPREAD);
    NT_EQ(weft__affinity_policy(&a, WEFT_BIND_UNSET, 2), WEFT_BIND_CLOSE);
    NT_EQ(weft__affinity_policy(&a, WEFT_BIND_UNSET, 5), WEFT_BIND_CLOSE);
    NT_EQ(weft__affinity_policy(&a, WEFT_BIND_PRIMARY, 1), WEFT_BIND_PRIMARY);
    weft__affinity_destroy(&a);

    /* OMP_PROC_BIND=false wins over clauses. */
    x.bind = "false";
    x.display = NULL;
    capture_stderr(run_init, &x);
    NT_EQ(weft__affinity_policy(&a, WEFT_BIND_CLOSE, 1), WEFT_BIND_FALSE);
    weft__affinity_destroy(&a);

    /* Bad values: one warning each, naming variable, value and fallback. */
    x.places = "{0,1";
    x.bind = "sprad";
    x.display = "maybe";
    err = capture_stderr(run_init, &x);
    NT_EQ(x.rc, 0);
    NT_EQ(count_lines(err, "weft: warning:"), 3);
    NT_TRUE(strstr(err, "OMP_PLACES='{0,1' is invalid") != NULL);
    NT_TRUE(strstr(err, "using cores") != NULL);
    NT_TRUE(strstr(err, "OMP_PROC_BIND='sprad' is invalid") != NULL);
    NT_TRUE(strstr(err, "OMP_DISPLAY_AFFINITY='maybe'") != NULL);
    NT_EQ(a.places.n, 16);
    NT_EQ(a.places_set, 0);
    NT_EQ(a.display, 0);
    NT_EQ(weft__affinity_policy(&a, WEFT_BIND_CLOSE, 1), WEFT_BIND_FALSE);
    weft__affinity_destroy(&a);

    /* The display line format. */
    struct weft__places pl;
    char msg[100], line[200];
    NT_EQ(weft__places_parse(t, "{2,3},{4}", &pl, msg, sizeof(msg)), 0);
    weft__affinity_format(line, sizeof(line), 1, 3, 4, &pl, 0);
    NT_STREQ(line, "weft: affinity: level 1 thread 3 of 4 place 0 cpus {2,3}");
    weft__affinity_format(line, sizeof(line), 2, 0, 1, &pl, -1);
    NT_STREQ(line, "weft: affinity: level 2 thread 0 of 1 place -1 cpus {}");
    weft__places_destroy(&pl);
    weft__topo_destroy(t);
}

int main(void) {
    static const struct nt_case cases[] = {
        {"bind_parse", test_bind_parse},
        {"plan_close", test_plan_close},
        {"plan_spread", test_plan_spread},
        {"plan_primary_nested", test_plan_primary_nested},
        {"plan_invalid", test_plan_invalid},
        {"plan_sweep", test_plan_sweep},
        {"settings", test_settings},
        {NULL, NULL},
    };
    return nt_run("numa_affinity", cases);
}
