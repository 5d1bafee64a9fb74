/* This file handles an exhaustive sweep of the loop ABI (libomp's
 * kmp_sch_* tests): for every schedule, chunk, team size and trip count,
 *
 *     #pragma omp parallel for schedule(kind, chunk) num_threads(t)
 *     for (long i = 0; i < n; i++) hits[i]++;
 *
 * lowered by hand; every iteration must run exactly once, each chunk's
 * iterations in increasing order, and static schedules must give each
 * thread the same iterations every time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <weft.h>
#include <weft/abi.h>

enum { MAXN = 3000 };
static int hits[MAXN];
static int owner[MAXN];

struct cap {
    int *bad;
};

static void body(void *data, uint64_t lo, uint64_t hi, void *red) {
    struct cap *c = data;
    (void)red;
    if (lo >= hi || hi > MAXN)
        __atomic_fetch_add(c->bad, 1, __ATOMIC_RELAXED);
    int me = weft_thread_num();
    for (uint64_t k = lo; k < hi && k < MAXN; k++) {
        __atomic_fetch_add(&hits[k], 1, __ATOMIC_RELAXED);
        __atomic_store_n(&owner[k], me, __ATOMIC_RELAXED);
    }
}

int main(void) {
    static const struct weft_loc L = {"handcomp_sched.c", "main", 9, 1};
    WEFT_main_enter(&L, WEFT_ABI_VERSION);
    int kinds[] = {0,
                   WEFT_SCHED_STATIC,
                   WEFT_SCHED_DYNAMIC,
                   WEFT_SCHED_GUIDED,
                   WEFT_SCHED_AUTO,
                   WEFT_SCHED_RUNTIME,
                   WEFT_SCHED_DYNAMIC | WEFT_SCHED_MOD_NONMONOTONIC};
    int64_t chunks[] = {0, 1, 2, 3, 7, 64, 5000};
    uint64_t ns[] = {0, 1, 2, 3, 5, 8, 63, 100, 1000, MAXN};
    int fails = 0, bad = 0;
    static int first_owner[MAXN];
    for (unsigned ki = 0; ki < sizeof kinds / sizeof kinds[0]; ki++)
        for (unsigned ci = 0; ci < sizeof chunks / sizeof chunks[0]; ci++)
            for (int t = 1; t <= 4; t++)
                for (unsigned ni = 0; ni < sizeof ns / sizeof ns[0]; ni++) {
                    uint64_t n = ns[ni];
                    int is_static =
                        kinds[ki] == 0 || kinds[ki] == WEFT_SCHED_STATIC;
                    for (int rep = 0; rep < (is_static ? 3 : 1); rep++) {
                        memset(hits, 0, sizeof hits);
                        struct cap c = {&bad};
                        struct weft_loop lp = {&L, n, kinds[ki], t,  chunks[ci],
                                               0,  0, body,      &c, NULL};
                        WEFT_parallel_for(&lp);
                        for (uint64_t k = 0; k < n; k++)
                            if (hits[k] != 1) {
                                if (fails++ < 10)
                                    printf("kind %d chunk %lld t %d n %llu: "
                                           "iteration %llu "
                                           "ran %d times\n",
                                           kinds[ki], (long long)chunks[ci], t,
                                           (unsigned long long)n,
                                           (unsigned long long)k, hits[k]);
                                break;
                            }
                        if (is_static) {
                            if (rep == 0)
                                memcpy(first_owner, owner, sizeof owner);
                            else if (memcmp(first_owner, owner,
                                            n * sizeof owner[0]) != 0)
                                if (fails++ < 10)
                                    printf("static blocks changed: chunk %lld "
                                           "t %d n %llu\n",
                                           (long long)chunks[ci], t,
                                           (unsigned long long)n);
                        }
                    }
                }
    if (bad) {
        printf("%d empty or out-of-range chunks\n", bad);
        fails++;
    }
    printf("%s\n", fails ? "FAIL" : "PASS");
    return fails != 0;
}
