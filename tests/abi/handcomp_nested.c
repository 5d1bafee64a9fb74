/* This file handles hand-lowered nested regions, as weftcc would emit:
 *
 *     omp_set_max_active_levels(2);
 *     #pragma omp parallel num_threads(2)
 *     {
 *         int outer = omp_get_thread_num();
 *         #pragma omp parallel num_threads(2)
 *         {
 *             record(outer, omp_get_thread_num(), omp_get_level(),
 *                    omp_get_ancestor_thread_num(1), omp_get_team_size(2));
 *         }
 *     }
 *
 * With nesting on, 4 inner threads at level 2 whose ancestors at level 1
 * are 0 and 1; with nesting off (max active levels 1), inner teams of one.
 * Repeated many times to catch races in nested team reuse. */
#include <stdio.h>
#include <weft.h>
#include <weft/abi.h>

static const struct weft_loc LO = {"handcomp_nested.c", "main", 3, 5};
static const struct weft_loc LI = {"handcomp_nested.c", "main", 6, 9};

struct rec {
    int seen[2][2];
    int bad;
};

static void inner(void *data, void *red) {
    struct rec *r = data;
    (void)red;
    int outer = weft_ancestor_thread_num(1), me = weft_thread_num();
    if (weft_level() != 2 || outer < 0 || outer > 1 || me < 0 || me > 1 ||
        weft_team_size(1) != 2 || weft_ancestor_thread_num(2) != me ||
        weft_ancestor_thread_num(0) != 0 || weft_ancestor_thread_num(3) != -1)
        __atomic_fetch_add(&r->bad, 1, __ATOMIC_RELAXED);
    else
        __atomic_fetch_add(&r->seen[outer][me], 1, __ATOMIC_RELAXED);
}

static void outer_fn(void *data, void *red) {
    (void)red;
    struct weft_region in = {&LI, inner, data, 2, 0, 0, NULL};
    WEFT_parallel(&in);
}

int main(void) {
    WEFT_main_enter(&LO, WEFT_ABI_VERSION);
    int fails = 0;
    for (int nest = 0; nest < 2; nest++) {
        weft_set_max_active_levels(nest ? 2 : 1);
        for (int rep = 0; rep < 500; rep++) {
            struct rec r = {{{0}}, 0};
            struct weft_region out = {&LO, outer_fn, &r, 2, 0, 0, NULL};
            WEFT_parallel(&out);
            int want1 = nest ? 1 : 0;
            if (r.bad || r.seen[0][0] != 1 || r.seen[1][0] != 1 ||
                r.seen[0][1] != want1 || r.seen[1][1] != want1) {
                if (fails++ < 5)
                    printf("nest=%d rep %d: bad %d seen %d %d %d %d\n", nest,
                           rep, r.bad, r.seen[0][0], r.seen[0][1], r.seen[1][0],
                           r.seen[1][1]);
            }
        }
    }
    printf("%s\n", fails ? "FAIL" : "PASS");
    return fails != 0;
}
