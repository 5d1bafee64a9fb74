/* This file handles the end-to-end NUMA tests through the ABI, as generated
 * code calls it: schedule(auto) and schedule(nonmonotonic: dynamic) run the
 * work-stealing schedule (every iteration exactly once, reductions right),
 * and under OMP_PLACES=threads OMP_PROC_BIND=close each team thread runs on
 * its place. Hand-lowered from:
 *
 *     #pragma omp parallel for schedule(auto) reduction(+:sum)
 *     for (long i = 0; i < n; i++) { hits[i]++; sum += i;
 *                                    where[omp_get_thread_num()] =
 *                                        omp_get_place_num(); }
 */
#include "affinity.h"
#include "numa_test.h"
#include "weft.h"
#include "weft/abi.h"

#include <stdatomic.h>

enum { N = 100003, MAXT = 64 };

struct cap {
    _Atomic unsigned char *hits;
    _Atomic int *where; /* place of each team thread, -2 if it ran nothing */
};

static void red_init(void *data, void *slot) { *(long long *)slot = 0; }
static void red_combine(void *data, void *into, const void *from) {
    *(long long *)into += *(const long long *)from;
}
static long long red_result;
static void red_fini(void *data, void *slot) {
    red_result = *(long long *)slot;
}
static const struct weft_reduction red = {sizeof(long long), 0, red_init,
                                          red_combine, red_fini, NULL, 0, 0};

static void body(void *data, uint64_t lo, uint64_t hi, void *partial) {
    struct cap *c = data;
    long long *sum = partial;
    for (uint64_t i = lo; i < hi; i++) {
        atomic_fetch_add_explicit(&c->hits[i], 1, memory_order_relaxed);
        *sum += (long long)i;
    }
    int t = weft_thread_num();
    if (t >= 0 && t < MAXT)
        atomic_store_explicit(&c->where[t], weft_place_num(),
                              memory_order_relaxed);
}

static void run_loop(int sched, int64_t chunk) {
    static const struct weft_loc loc = {__FILE__, "run_loop", 1, 1};
    static _Atomic unsigned char hits[N];
    static _Atomic int where[MAXT];
    struct cap c = {hits, where};
    for (int i = 0; i < N; i++)
        atomic_store_explicit(&hits[i], 0, memory_order_relaxed);
    for (int i = 0; i < MAXT; i++)
        atomic_store_explicit(&where[i], -2, memory_order_relaxed);
    red_result = -1;
    struct weft_loop lp = {&loc, N,    sched, 0,   chunk, WEFT_BIND_UNSET,
                           0,    body, &c,    &red};
    WEFT_parallel_for(&lp);

    int bad = 0;
    for (int i = 0; i < N; i++)
        bad += atomic_load_explicit(&hits[i], memory_order_relaxed) != 1;
    NT_EQ(bad, 0);
    NT_EQ(red_result, (long long)N * (N - 1) / 2);

    /* Bound teams (the ctest sets OMP_PLACES=threads OMP_PROC_BIND=close
     * and two threads): thread t runs on place t when the machine can
     * bind. */
    const struct weft__topo *t = weft__topo_global();
    int bound = weft__affinity_policy(weft__affinity_global(), WEFT_BIND_UNSET,
                                      1) != WEFT_BIND_FALSE;
    for (int i = 0; i < 2; i++) {
        int w = atomic_load_explicit(&where[i], memory_order_relaxed);
        if (!bound || !t->is_thissystem)
            NT_TRUE(w == -1 || w == -2); /* never bound */
        else if (weft_num_places() >= 2 && weft_max_threads() == 2)
            NT_TRUE(w == i || w == -2);
    }
}

static void test_auto(void) {
    run_loop(WEFT_SCHED_AUTO, 0);
    run_loop(WEFT_SCHED_AUTO, 7);
}

static void test_nonmonotonic_dynamic(void) {
    run_loop(WEFT_SCHED_DYNAMIC | WEFT_SCHED_MOD_NONMONOTONIC, 0);
    run_loop(WEFT_SCHED_DYNAMIC | WEFT_SCHED_MOD_NONMONOTONIC, 1);
    /* Plain dynamic keeps its shared counter; same results. */
    run_loop(WEFT_SCHED_DYNAMIC, 16);
}

/* Many forks of the same shape: the hot team keeps its binding. */
static void test_repeat(void) {
    for (int r = 0; r < 200; r++)
        run_loop(r % 2 ? WEFT_SCHED_AUTO : WEFT_SCHED_STATIC, 0);
}

int main(void) {
    static const struct nt_case cases[] = {
        {"auto", test_auto},
        {"nonmonotonic_dynamic", test_nonmonotonic_dynamic},
        {"repeat", test_repeat},
        {NULL, NULL},
    };
    return nt_run("numa_pool", cases);
}
