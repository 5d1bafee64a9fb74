/* This file handles the CUnit suite for runtime/env.c: each pure parser on
 * valid, invalid and edge values, and weft__options_load with a fake
 * environment, checking the one warning line per bad variable and the
 * OMP_DISPLAY_ENV block. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cunit_ext.h"
#include "weft-internal.h"

static void test_long(void) {
    long v = -7;
    WEFT_ASSERT_EQ(weft__parse_long("42", 0, 100, &v), 0);
    WEFT_ASSERT_EQ(v, 42);
    WEFT_ASSERT_EQ(weft__parse_long("  7 ", 0, 100, &v), 0);
    WEFT_ASSERT_EQ(v, 7);
    WEFT_ASSERT_EQ(weft__parse_long("101", 0, 100, &v), -ERANGE);
    WEFT_ASSERT_EQ(weft__parse_long("-1", 0, 100, &v), -ERANGE);
    WEFT_ASSERT_EQ(weft__parse_long("abc", 0, 100, &v), -EINVAL);
    WEFT_ASSERT_EQ(weft__parse_long("", 0, 100, &v), -EINVAL);
    WEFT_ASSERT_EQ(weft__parse_long("4x", 0, 100, &v), -EINVAL);
    WEFT_ASSERT_EQ(weft__parse_long("99999999999999999999999", 0, LONG_MAX, &v), -ERANGE);
    WEFT_ASSERT_EQ(weft__parse_long(NULL, 0, 100, &v), -EINVAL);
    WEFT_ASSERT_EQ(v, 7); /* untouched on error */
}

static void test_num_threads(void) {
    long v = 0;
    WEFT_ASSERT_EQ(weft__parse_num_threads("4", &v), 0);
    WEFT_ASSERT_EQ(v, 4);
    WEFT_ASSERT_EQ(weft__parse_num_threads("3,2,1", &v), 0);
    WEFT_ASSERT_EQ(v, 3);
    WEFT_ASSERT_EQ(weft__parse_num_threads(" 8 , 2 ", &v), 0);
    WEFT_ASSERT_EQ(v, 8);
    WEFT_ASSERT_NE(weft__parse_num_threads("0", &v), 0);
    WEFT_ASSERT_NE(weft__parse_num_threads("-2", &v), 0);
    WEFT_ASSERT_NE(weft__parse_num_threads("abc", &v), 0);
    WEFT_ASSERT_NE(weft__parse_num_threads("4,", &v), 0);
    WEFT_ASSERT_NE(weft__parse_num_threads("4,x", &v), 0);
    WEFT_ASSERT_NE(weft__parse_num_threads("", &v), 0);
    WEFT_ASSERT_NE(weft__parse_num_threads("100000000", &v), 0);
    WEFT_ASSERT_EQ(v, 8);
}

static void test_bool_wait_display(void) {
    int b = 5;
    WEFT_ASSERT_EQ(weft__parse_bool("TRUE", &b), 0);
    WEFT_ASSERT_EQ(b, 1);
    WEFT_ASSERT_EQ(weft__parse_bool(" false ", &b), 0);
    WEFT_ASSERT_EQ(b, 0);
    WEFT_ASSERT_NE(weft__parse_bool("yes", &b), 0);
    WEFT_ASSERT_NE(weft__parse_bool("truex", &b), 0);
    WEFT_ASSERT_EQ(weft__parse_wait_policy("Active", &b), 0);
    WEFT_ASSERT_EQ(b, WEFT__WAIT_ACTIVE);
    WEFT_ASSERT_EQ(weft__parse_wait_policy("passive", &b), 0);
    WEFT_ASSERT_EQ(b, WEFT__WAIT_PASSIVE);
    WEFT_ASSERT_NE(weft__parse_wait_policy("lazy", &b), 0);
    WEFT_ASSERT_EQ(weft__parse_display_env("verbose", &b), 0);
    WEFT_ASSERT_EQ(b, 2);
    WEFT_ASSERT_EQ(weft__parse_display_env("true", &b), 0);
    WEFT_ASSERT_EQ(b, 1);
    WEFT_ASSERT_NE(weft__parse_display_env("loud", &b), 0);
}

static void test_schedule(void) {
    int k = -1, c = -1, m = -1;
    WEFT_ASSERT_EQ(weft__parse_schedule("dynamic", &k, &c, &m), 0);
    WEFT_ASSERT_EQ(k, WEFT_SCHED_DYNAMIC);
    WEFT_ASSERT_EQ(c, 0);
    WEFT_ASSERT_EQ(m, 0);
    WEFT_ASSERT_EQ(weft__parse_schedule("guided,7", &k, &c, &m), 0);
    WEFT_ASSERT_EQ(k, WEFT_SCHED_GUIDED);
    WEFT_ASSERT_EQ(c, 7);
    WEFT_ASSERT_EQ(weft__parse_schedule(" STATIC , 16 ", &k, &c, &m), 0);
    WEFT_ASSERT_EQ(k, WEFT_SCHED_STATIC);
    WEFT_ASSERT_EQ(c, 16);
    WEFT_ASSERT_EQ(weft__parse_schedule("monotonic:dynamic,4", &k, &c, &m), 0);
    WEFT_ASSERT_EQ(m, WEFT_SCHED_MOD_MONOTONIC);
    WEFT_ASSERT_EQ(c, 4);
    WEFT_ASSERT_EQ(weft__parse_schedule("nonmonotonic : guided", &k, &c, &m), 0);
    WEFT_ASSERT_EQ(m, WEFT_SCHED_MOD_NONMONOTONIC);
    WEFT_ASSERT_EQ(k, WEFT_SCHED_GUIDED);
    WEFT_ASSERT_EQ(weft__parse_schedule("auto", &k, &c, &m), 0);
    WEFT_ASSERT_EQ(k, WEFT_SCHED_AUTO);
    WEFT_ASSERT_NE(weft__parse_schedule("auto,4", &k, &c, &m), 0);
    WEFT_ASSERT_NE(weft__parse_schedule("dynamic,0", &k, &c, &m), 0);
    WEFT_ASSERT_NE(weft__parse_schedule("dynamic,-3", &k, &c, &m), 0);
    WEFT_ASSERT_NE(weft__parse_schedule("dynamic,", &k, &c, &m), 0);
    WEFT_ASSERT_NE(weft__parse_schedule("dynamical", &k, &c, &m), 0);
    WEFT_ASSERT_NE(weft__parse_schedule("monotonic:", &k, &c, &m), 0);
    WEFT_ASSERT_NE(weft__parse_schedule("runtime", &k, &c, &m), 0);
    WEFT_ASSERT_NE(weft__parse_schedule("", &k, &c, &m), 0);
    WEFT_ASSERT_EQ(k, WEFT_SCHED_AUTO); /* untouched by failures */
}

static void test_stacksize(void) {
    size_t s = 0;
    WEFT_ASSERT_EQ(weft__parse_stacksize("4", &s), 0);
    WEFT_ASSERT_UEQ(s, 4096);
    WEFT_ASSERT_EQ(weft__parse_stacksize("512B", &s), 0);
    WEFT_ASSERT_UEQ(s, 512);
    WEFT_ASSERT_EQ(weft__parse_stacksize(" 8 M ", &s), 0);
    WEFT_ASSERT_UEQ(s, 8u << 20);
    WEFT_ASSERT_EQ(weft__parse_stacksize("1g", &s), 0);
    WEFT_ASSERT_UEQ(s, 1u << 30);
    WEFT_ASSERT_NE(weft__parse_stacksize("0", &s), 0);
    WEFT_ASSERT_NE(weft__parse_stacksize("4T", &s), 0);
    WEFT_ASSERT_NE(weft__parse_stacksize("M", &s), 0);
    WEFT_ASSERT_NE(weft__parse_stacksize("99999999999999999G", &s), 0);
}

/* A fake environment: NULL-terminated name/value pairs. */
static const char *const *fake_env;
static const char *fake_get(const char *name) {
    for (const char *const *p = fake_env; *p; p += 2)
        if (strcmp(p[0], name) == 0)
            return p[1];
    return NULL;
}

/* Loads options from env into *o and returns the warnings printed. */
static char *load(const char *const *env, struct weft_options *o) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    fake_env = env;
    weft__options_load(o, fake_get, f);
    fclose(f);
    return buf;
}

static int count_lines(const char *s) {
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

static void test_load_defaults(void) {
    static const char *const env[] = {NULL};
    struct weft_options o;
    char *w = load(env, &o);
    WEFT_ASSERT_STREQ(w, "");
    WEFT_ASSERT_EQ(o.nthreads, o.ncpus);
    WEFT_ASSERT_EQ(o.nthreads_set, 0);
    WEFT_ASSERT_EQ(o.sched_kind, WEFT_SCHED_STATIC);
    WEFT_ASSERT_EQ(o.max_active_levels, 1);
    WEFT_ASSERT_EQ(o.spin_us, WEFT_SPIN_US_DEFAULT);
    WEFT_ASSERT_TRUE(o.places == NULL && o.proc_bind == NULL);
    free(w);
    weft__options_free(&o);
}

static void test_load_valid(void) {
    static const char *const env[] = {
        "OMP_NUM_THREADS", "3,2", "OMP_SCHEDULE", "guided,5", "OMP_DYNAMIC", "true",
        "OMP_WAIT_POLICY", "passive", "OMP_MAX_ACTIVE_LEVELS", "3", "OMP_THREAD_LIMIT",
        "64", "OMP_STACKSIZE", "2M", "OMP_PLACES", "{0,1},{2,3}", "OMP_PROC_BIND",
        "spread,close", "WEFT_SECRET", "s3cret", NULL};
    struct weft_options o;
    char *w = load(env, &o);
    WEFT_ASSERT_STREQ(w, "");
    WEFT_ASSERT_EQ(o.nthreads, 3);
    WEFT_ASSERT_EQ(o.sched_kind, WEFT_SCHED_GUIDED);
    WEFT_ASSERT_EQ(o.sched_chunk, 5);
    WEFT_ASSERT_EQ(o.dynamic, 1);
    WEFT_ASSERT_EQ(o.wait_policy, WEFT__WAIT_PASSIVE);
    WEFT_ASSERT_EQ(o.spin_us, WEFT_SPIN_US_PASSIVE);
    WEFT_ASSERT_EQ(o.max_active_levels, 3);
    WEFT_ASSERT_EQ(o.thread_limit, 64);
    WEFT_ASSERT_UEQ(o.stacksize, 2u << 20);
    WEFT_ASSERT_STREQ(o.places, "{0,1},{2,3}");
    WEFT_ASSERT_STREQ(o.proc_bind, "spread,close");
    WEFT_ASSERT_STREQ(o.secret, "s3cret");
    free(w);
    weft__options_free(&o);
}

static void test_load_invalid(void) {
    static const char *const env[] = {"OMP_NUM_THREADS", "abc", NULL};
    struct weft_options o;
    char *w = load(env, &o);
    char want[128];
    snprintf(want, sizeof want,
             "weft: warning: OMP_NUM_THREADS='abc' is not a positive integer; using %d\n",
             o.ncpus);
    WEFT_ASSERT_STREQ(w, want);
    WEFT_ASSERT_EQ(o.nthreads, o.ncpus);
    free(w);
    weft__options_free(&o);

    /* Every bad variable: exactly one warning each, naming it. */
    static const char *const env2[] = {
        "OMP_NUM_THREADS", "0", "OMP_SCHEDULE", "fast", "OMP_DYNAMIC", "maybe",
        "OMP_WAIT_POLICY", "lazy", "WEFT_SPIN_US", "-5", "OMP_NESTED", "2",
        "OMP_MAX_ACTIVE_LEVELS", "x", "OMP_THREAD_LIMIT", "0", "OMP_STACKSIZE", "big",
        "OMP_DISPLAY_ENV", "loud", NULL};
    w = load(env2, &o);
    WEFT_ASSERT_EQ(count_lines(w), 10);
    const char *names[] = {"OMP_NUM_THREADS='0'", "OMP_SCHEDULE='fast'",
                           "OMP_DYNAMIC='maybe'", "OMP_WAIT_POLICY='lazy'",
                           "WEFT_SPIN_US='-5'", "OMP_NESTED='2'",
                           "OMP_MAX_ACTIVE_LEVELS='x'", "OMP_THREAD_LIMIT='0'",
                           "OMP_STACKSIZE='big'", "OMP_DISPLAY_ENV='loud'"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        WEFT_ASSERT_TRUE(strstr(w, names[i]) != NULL);
    WEFT_ASSERT_EQ(o.sched_kind, WEFT_SCHED_STATIC);
    WEFT_ASSERT_EQ(o.dynamic, 0);
    WEFT_ASSERT_EQ(o.spin_us, WEFT_SPIN_US_DEFAULT);
    WEFT_ASSERT_EQ(o.thread_limit, WEFT_MAX_THREADS);
    WEFT_ASSERT_EQ(o.display_env, 0);
    free(w);
    weft__options_free(&o);
}

static void test_load_edges(void) {
    /* OMP_NESTED alone enables nesting; OMP_MAX_ACTIVE_LEVELS wins over it;
     * a thread limit caps the default team size; WEFT_SPIN_US overrides the
     * wait policy. */
    static const char *const env[] = {"OMP_NESTED", "true", "OMP_THREAD_LIMIT", "1",
                                      "OMP_WAIT_POLICY", "active", "WEFT_SPIN_US", "0",
                                      NULL};
    struct weft_options o;
    char *w = load(env, &o);
    WEFT_ASSERT_STREQ(w, "");
    WEFT_ASSERT_TRUE(o.max_active_levels > 1);
    WEFT_ASSERT_EQ(o.nthreads, 1);
    WEFT_ASSERT_EQ(o.spin_us, 0);
    free(w);
    weft__options_free(&o);
    static const char *const env2[] = {"OMP_NESTED", "true", "OMP_MAX_ACTIVE_LEVELS", "1",
                                       NULL};
    w = load(env2, &o);
    WEFT_ASSERT_EQ(o.max_active_levels, 1);
    free(w);
    weft__options_free(&o);
}

/* H26: OMP_CANCELLATION=true draws exactly one warning (weft does not
 * implement cancellation); false says nothing; a bad value is named. */
static void test_load_cancellation(void) {
    static const char *const on[] = {"OMP_CANCELLATION", "true", NULL};
    static const char *const off[] = {"OMP_CANCELLATION", "false", NULL};
    static const char *const bad[] = {"OMP_CANCELLATION", "sometimes", NULL};
    struct weft_options o;
    char *w = load(on, &o);
    WEFT_ASSERT_EQ(count_lines(w), 1);
    WEFT_ASSERT_TRUE(strstr(w, "OMP_CANCELLATION=true") != NULL);
    WEFT_ASSERT_TRUE(strstr(w, "does not implement cancellation") != NULL);
    free(w);
    weft__options_free(&o);
    w = load(off, &o);
    WEFT_ASSERT_STREQ(w, "");
    free(w);
    weft__options_free(&o);
    w = load(bad, &o);
    WEFT_ASSERT_EQ(count_lines(w), 1);
    WEFT_ASSERT_TRUE(strstr(w, "OMP_CANCELLATION='sometimes'") != NULL);
    free(w);
    weft__options_free(&o);
}

static void test_display(void) {
    static const char *const env[] = {"OMP_NUM_THREADS", "6", "OMP_SCHEDULE",
                                      "monotonic:dynamic,3", NULL};
    struct weft_options o;
    char *w = load(env, &o);
    free(w);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    weft__options_display(&o, f, 0);
    fclose(f);
    WEFT_ASSERT_TRUE(strstr(buf, "OPENMP DISPLAY ENVIRONMENT BEGIN\n") != NULL);
    WEFT_ASSERT_TRUE(strstr(buf, "  OMP_NUM_THREADS = '6'\n") != NULL);
    WEFT_ASSERT_TRUE(strstr(buf, "  OMP_SCHEDULE = 'MONOTONIC:DYNAMIC,3'\n") != NULL);
    WEFT_ASSERT_TRUE(strstr(buf, "OPENMP DISPLAY ENVIRONMENT END\n") != NULL);
    WEFT_ASSERT_TRUE(strstr(buf, "WEFT_SPIN_US") == NULL);
    free(buf);
    f = open_memstream(&buf, &len);
    weft__options_display(&o, f, 1);
    fclose(f);
    WEFT_ASSERT_TRUE(strstr(buf, "  WEFT_SPIN_US = ") != NULL);
    free(buf);
    weft__options_free(&o);
}

int main(void) {
    static const struct weft_cu_test tests[] = {
        {"long", test_long},
        {"num_threads", test_num_threads},
        {"bool_wait_display", test_bool_wait_display},
        {"schedule", test_schedule},
        {"stacksize", test_stacksize},
        {"load_defaults", test_load_defaults},
        {"load_valid", test_load_valid},
        {"load_invalid", test_load_invalid},
        {"load_edges", test_load_edges},
        {"load_cancellation", test_load_cancellation},
        {"display", test_display},
        {NULL, NULL}};
    return weft_cu_run("env", tests);
}
