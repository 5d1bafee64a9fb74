/* This file handles a hand-lowered `parallel for` with reductions, as
 * weftcc would emit it for:
 *
 *     double sum = 0; long cnt = 0; double mx = -1;
 *     #pragma omp parallel for reduction(+:sum,cnt) reduction(max:mx) \
 *                              schedule(dynamic, 7)
 *     for (int i = 3; i <= n; i += 2) {
 *         sum += a[i];
 *         cnt++;
 *         if (a[i] > mx) mx = a[i];
 *     }
 *
 * It runs the loop for several n (zero-trip included) and compares with the
 * serial loop. */
#include <stdio.h>
#include <stdlib.h>
#include <weft/abi.h>

struct cap {
    double *a;
    int lb, step;
    double *sum;
    long *cnt;
    double *mx;
};
struct red {
    double sum;
    long cnt;
    double mx;
};

static void body(void *data, uint64_t lo, uint64_t hi, void *redp) {
    struct cap *c = data;
    struct red *r = redp;
    double sum = r->sum, mx = r->mx;
    long cnt = r->cnt;
    for (uint64_t k = lo; k < hi; k++) {
        int i = (int)((unsigned)c->lb + (unsigned)k * (unsigned)c->step);
        sum += c->a[i];
        cnt++;
        if (c->a[i] > mx)
            mx = c->a[i];
    }
    r->sum = sum;
    r->cnt = cnt;
    r->mx = mx;
}
static void red_init(void *data, void *slot) {
    (void)data;
    struct red *r = slot;
    r->sum = 0;
    r->cnt = 0;
    r->mx = -1e300;
}
static void red_combine(void *data, void *into, const void *from) {
    (void)data;
    struct red *a = into;
    const struct red *b = from;
    a->sum += b->sum;
    a->cnt += b->cnt;
    if (b->mx > a->mx)
        a->mx = b->mx;
}
static void red_fini(void *data, void *slot) {
    struct cap *c = data;
    struct red *r = slot;
    *c->sum += r->sum;
    *c->cnt += r->cnt;
    if (r->mx > *c->mx)
        *c->mx = r->mx;
}

int main(void) {
    static const struct weft_loc L = {"handcomp_sum.c", "main", 4, 5};
    static const struct weft_reduction R = {sizeof(struct red),
                                            _Alignof(struct red),
                                            red_init,
                                            red_combine,
                                            red_fini,
                                            NULL,
                                            0,
                                            0};
    WEFT_main_enter(&L, WEFT_ABI_VERSION);
    int fails = 0;
    enum { MAXN = 100000 };
    double *a = malloc(sizeof(double) * (MAXN + 1));
    for (int i = 0; i <= MAXN; i++)
        a[i] = (double)((i * 7919) % 1000);
    int ns[] = {0, 1, 2, 3, 4, 5, 17, 100, 1001, MAXN};
    for (unsigned t = 0; t < sizeof ns / sizeof ns[0]; t++) {
        int n = ns[t];
        for (int rep = 0; rep < 50; rep++) {
            double sum = 0, mx = -1;
            long cnt = 0;
            struct cap c = {a, 3, 2, &sum, &cnt, &mx};
            uint64_t trip =
                WEFT_trip_count(&L, (uint64_t)(int64_t)3, (uint64_t)(int64_t)n,
                                2, WEFT_CMP_LE, 32 | WEFT_TYPE_SIGNED);
            struct weft_loop lp = {
                &L, trip, WEFT_SCHED_DYNAMIC, 0, 7, 0, 0, body, &c, &R};
            WEFT_parallel_for(&lp);
            double es = 0, em = -1;
            long ec = 0;
            for (int i = 3; i <= n; i += 2) {
                es += a[i];
                ec++;
                if (a[i] > em)
                    em = a[i];
            }
            if (es != sum || ec != cnt || em != mx) {
                printf("n=%d: got sum %g cnt %ld max %g, want %g %ld %g\n", n,
                       sum, cnt, mx, es, ec, em);
                fails++;
            }
        }
    }
    free(a);
    printf("%s\n", fails ? "FAIL" : "PASS");
    return fails != 0;
}
