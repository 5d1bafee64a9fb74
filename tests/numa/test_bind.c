/* This file handles the tests of binding through the process-wide affinity
 * settings: on the real system (hwloc_topology_is_thissystem) each team
 * thread ends up bound to its place's CPUs, as hwloc_get_cpubind reports;
 * under HWLOC_SYNTHETIC binding is impossible, which must give exactly one
 * warning and let the run go on. OMP_DISPLAY_AFFINITY output appears once
 * per change of a team's shape. */
#include "affinity.h"
#include "numa_test.h"
#include "steal.h"

#include <errno.h>
#include <pthread.h>
#include <unistd.h>

/* Redirects fd 2 to a temporary file until capture_end(). */
static FILE *cap_file;
static int cap_saved;

static void capture_begin(void) {
    cap_file = tmpfile();
    CU_ASSERT_FATAL(cap_file != NULL);
    fflush(stderr);
    cap_saved = dup(2);
    dup2(fileno(cap_file), 2);
}

static char *capture_end(void) {
    static char buf[8192];
    fflush(stderr);
    dup2(cap_saved, 2);
    close(cap_saved);
    rewind(cap_file);
    size_t n = fread(buf, 1, sizeof(buf) - 1, cap_file);
    buf[n] = '\0';
    fclose(cap_file);
    return buf;
}

static int count(const char *s, const char *needle) {
    int n = 0;
    for (const char *c = s; (c = strstr(c, needle)) != NULL; c++)
        n++;
    return n;
}

struct member {
    struct weft__bind_slot slot;
    int place_after;
    int ncpus;
    int cpus[64];
};

static void *member_run(void *p) {
    struct member *m = p;
    weft__affinity_enter(&m->slot, NULL);
    m->place_after = weft__affinity_current_place();
    m->ncpus =
        weft__topo_get_bind_self(weft__affinity_global()->topo, m->cpus, 64);
    return NULL;
}

static void test_bind_team(void) {
    const struct weft__affinity *a = weft__affinity_global();
    NT_TRUE(a->places.n >= 1);
    int T = a->places.n < 4 ? a->places.n : 4;
    struct weft__bind_slot plan[4], saved;

    capture_begin();
    int bind = weft__affinity_team_plan(1, T, WEFT_BIND_UNSET, plan);
    char *err = capture_end();
    NT_EQ(bind, 1);
    NT_EQ(count(err, "weft: affinity: level 1 thread"), T);

    /* Threads 1.. on their own pthreads; the primary is this thread. */
    pthread_t th[4];
    struct member m[4];
    capture_begin();
    weft__affinity_enter(&plan[0], &saved);
    for (int i = 1; i < T; i++) {
        m[i].slot = plan[i];
        pthread_create(&th[i], NULL, member_run, &m[i]);
    }
    for (int i = 1; i < T; i++)
        pthread_join(th[i], NULL);
    int primary_place = weft__affinity_current_place();
    weft__affinity_leave(&saved);
    err = capture_end();

    if (a->topo->is_thissystem) {
        NT_STREQ(err, "");
        NT_EQ(primary_place, plan[0].place);
        for (int i = 1; i < T; i++) {
            NT_EQ(m[i].place_after, plan[i].place);
            const struct weft__places *pl = &a->places;
            int n = weft__places_count(pl, plan[i].place);
            NT_EQ(m[i].ncpus, n);
            for (int k = 0; k < n && k < m[i].ncpus; k++)
                NT_EQ(m[i].cpus[k], pl->pus[pl->off[plan[i].place] + k]);
        }
    } else {
        /* Not the running system: nobody is bound, one warning. */
        NT_EQ(count(err, "weft: warning:"), 1);
        NT_EQ(primary_place, -1);
        for (int i = 1; i < T; i++)
            NT_EQ(m[i].place_after, -1);
    }

    /* Same shape again: no new display lines; another shape: new lines. */
    capture_begin();
    weft__affinity_team_plan(1, T, WEFT_BIND_UNSET, plan);
    weft__affinity_team_plan(1, 1, WEFT_BIND_UNSET, plan);
    err = capture_end();
    NT_EQ(count(err, "weft: affinity:"), 1);
}

static void test_settings_global(void) {
    const struct weft__affinity *a = weft__affinity_global();
    /* "threads": one place per PU, every PU once. */
    NT_EQ(a->places.n, a->topo->npus);
    NT_EQ(a->places_set, 1);
    NT_EQ(a->display, 1);
    NT_EQ(weft__affinity_policy(a, WEFT_BIND_UNSET, 1), WEFT_BIND_CLOSE);
    /* Configuration after the settings were built is refused. */
    NT_EQ(weft__affinity_configure("cores", NULL, NULL), -EBUSY);
}

/* A bound team's steal order equals the pure order over its places; an
 * unbound team gets the ring. */
static void test_steal_order_team(void) {
    const struct weft__affinity *a = weft__affinity_global();
    int T = a->places.n < 4 ? a->places.n : 4;
    struct weft__bind_slot plan[4];
    int got[16], want[16], tp[4];
    if (weft__affinity_plan(a->places.n, WEFT_BIND_SPREAD, T,
                            &(struct weft__bind_slot){0, 0, a->places.n},
                            plan) != 0) {
        CU_FAIL("plan");
        return;
    }
    for (int i = 0; i < T; i++)
        tp[i] = plan[i].place;
    NT_EQ(weft__steal_order_team(plan, T, got), 0);
    NT_EQ(weft__steal_order(a->topo, &a->places, tp, T, want), 0);
    for (int i = 0; i < T * (T - 1); i++)
        NT_EQ(got[i], want[i]);
    /* The cached variant computes once per placement. */
    uint64_t sig = 0;
    NT_EQ(weft__steal_order_update(plan, T, got, &sig), 0);
    NT_TRUE(sig != 0);
    for (int i = 0; i < T * (T - 1); i++)
        NT_EQ(got[i], want[i]);
    got[0] = -7;
    NT_EQ(weft__steal_order_update(plan, T, got, &sig), 0);
    NT_EQ(got[0], -7); /* same placement: untouched */
    if (T > 1) {
        uint64_t old = sig;
        NT_EQ(weft__steal_order_update(plan, T - 1, got, &sig), 0);
        NT_TRUE(sig != old);
        if (T - 1 > 1)             /* a team of one has no victims to write */
            NT_TRUE(got[0] != -7); /* recomputed for the new team size */
    }
    NT_EQ(weft__steal_order_team(NULL, 3, got), 0);
    NT_EQ(got[0], 1);
    NT_EQ(got[1], 2);
    NT_EQ(got[2], 2);
    NT_EQ(got[3], 0);
}

int main(void) {
    /* What env.c would hand over from OMP_PLACES, OMP_PROC_BIND and
     * OMP_DISPLAY_AFFINITY. */
    if (weft__affinity_configure("threads", "close", "true") != 0)
        return 1;
    static const struct nt_case cases[] = {
        {"bind_team", test_bind_team},
        {"settings_global", test_settings_global},
        {"steal_order_team", test_steal_order_team},
        {NULL, NULL},
    };
    int rc = nt_run("numa_bind", cases);
    weft__affinity_global_release();
    weft__topo_global_release();
    return rc;
}
