/* This file handles a hand-lowered parallel region with the constructs
 * that bind to its team, as weftcc would emit it for:
 *
 *     long total = 0, crit = 0, singles = 0, hist_sum = 0;
 *     #pragma omp parallel reduction(+:total)
 *     {
 *         for (int r = 0; r < 200; r++) {
 *             #pragma omp for nowait schedule(dynamic, 3)
 *             for (int i = 0; i < 50; i++) total += i;
 *             #pragma omp for schedule(guided) reduction(+:hist_sum)
 *             for (int i = 0; i < 40; i++) hist_sum += 1;
 *             #pragma omp single
 *             singles++;
 *             #pragma omp critical(c)
 *             crit++;
 *             #pragma omp barrier
 *         }
 *     }
 *
 * Checks: total = 200 * sum(0..49), hist_sum = 200 * 40, singles = 200,
 * crit = 200 * team size. */
#include <stdio.h>
#include <weft.h>
#include <weft/abi.h>

struct cap {
    long *total, *crit, *singles, *hist_sum;
    int *team;
};
struct red1 {
    long total;
};

static const struct weft_loc L1 = {"handcomp_region.c", "main", 5, 1};
static const struct weft_loc L2 = {"handcomp_region.c", "main", 8, 9};
static const struct weft_loc L3 = {"handcomp_region.c", "main", 10, 9};
static const struct weft_loc L4 = {"handcomp_region.c", "main", 12, 9};
static const struct weft_loc L5 = {"handcomp_region.c", "main", 14, 9};
static const struct weft_loc L6 = {"handcomp_region.c", "main", 16, 9};
static void *crit_c;

/* The nowait loop folds into the region's reduction partial, which the
 * region body passes to it through the loop's capture block. */
struct loopcap {
    struct red1 *part;
};
static void body_total(void *data, uint64_t lo, uint64_t hi, void *red) {
    struct loopcap *lc = data;
    (void)red; /* no reduction clause on this loop */
    for (uint64_t i = lo; i < hi; i++)
        lc->part->total += (long)i;
}
static void body_hist(void *data, uint64_t lo, uint64_t hi, void *red) {
    (void)data;
    *(long *)red += (long)(hi - lo);
}
static void hinit(void *d, void *s) {
    (void)d;
    *(long *)s = 0;
}
static void hcomb(void *d, void *a, const void *b) {
    (void)d;
    *(long *)a += *(const long *)b;
}
static void hfini(void *d, void *s) {
    struct cap *c = d;
    *c->hist_sum += *(long *)s;
}
static void rinit(void *d, void *s) {
    (void)d;
    ((struct red1 *)s)->total = 0;
}
static void rcomb(void *d, void *a, const void *b) {
    (void)d;
    ((struct red1 *)a)->total += ((const struct red1 *)b)->total;
}
static void rfini(void *d, void *s) {
    struct cap *c = d;
    *c->total += ((struct red1 *)s)->total;
}

static void region(void *data, void *red) {
    struct cap *c = data;
    static const struct weft_reduction HR = {sizeof(long), 0,    hinit, hcomb,
                                             hfini,        NULL, 0,     0};
    struct loopcap lc = {red};
    if (weft_thread_num() == 0)
        *c->team = weft_num_threads();
    for (int r = 0; r < 200; r++) {
        struct weft_loop l1 = {&L2, 50,  WEFT_SCHED_DYNAMIC, 0,
                               3,   0,   WEFT_LOOP_NOWAIT,   body_total,
                               &lc, NULL};
        WEFT_for(&l1);
        struct weft_loop l2 = {&L3, 40, WEFT_SCHED_GUIDED, 0, 0,
                               0,   0,  body_hist,         c, &HR};
        WEFT_for(&l2);
        if (WEFT_single_begin(&L4))
            (*c->singles)++;
        WEFT_single_end(&L4, 0);
        WEFT_critical_begin(&L5, "c", &crit_c);
        (*c->crit)++;
        WEFT_critical_end(&L5, &crit_c);
        WEFT_barrier(&L6);
    }
}

int main(void) {
    static const struct weft_reduction R = {
        sizeof(struct red1), 0, rinit, rcomb, rfini, NULL, 0, 0};
    WEFT_main_enter(&L1, WEFT_ABI_VERSION);
    int fails = 0;
    for (int t = 1; t <= 4; t++) {
        long total = 0, crit = 0, singles = 0, hist_sum = 0;
        int team = 0;
        struct cap c = {&total, &crit, &singles, &hist_sum, &team};
        struct weft_region rg = {&L1, region, &c, t, 0, 0, &R};
        WEFT_parallel(&rg);
        if (team != t || total != 200L * 1225 || hist_sum != 200L * 40 ||
            singles != 200 || crit != 200L * t) {
            printf("t=%d: team %d total %ld hist %ld singles %ld crit %ld\n", t,
                   team, total, hist_sum, singles, crit);
            fails++;
        }
    }
    printf("%s\n", fails ? "FAIL" : "PASS");
    return fails != 0;
}
