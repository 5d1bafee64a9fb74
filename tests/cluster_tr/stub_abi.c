/* This file handles a stand-in for libweft's cluster entry points in the
 * translator's cluster golden test (cases/cluster_lower.c): it prints what
 * the generated code registers and passes (keys, capture flags and sizes,
 * maps in logical iterations), then runs each loop serially so the test
 * also checks results. Not a runtime: one thread, no workers. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <weft/abi.h>

uint64_t WEFT_trip_count(const struct weft_loc *loc, uint64_t lb, uint64_t ub,
                         int64_t step, int cmp, unsigned type) {
    (void)loc;
    (void)type;
    int64_t l = (int64_t)lb, u = (int64_t)ub;
    if (cmp == WEFT_CMP_LE)
        u += 1;
    if (cmp == WEFT_CMP_GE)
        u -= 1;
    if (step > 0)
        return l < u ? (uint64_t)((u - l + step - 1) / step) : 0;
    return l > u ? (uint64_t)((l - u - step - 1) / -step) : 0;
}

void WEFT_main_enter(const struct weft_loc *loc, int abi_version) {
    (void)loc;
    (void)abi_version;
}

void WEFT_cluster_register(const struct weft_cluster_body *b, unsigned n) {
    for (unsigned i = 0; i < n; i++) {
        const char *k = strrchr(b[i].key, '/');
        printf("register %s ncap %u red %d\n", k ? k + 1 : b[i].key,
               b[i].ncap, b[i].red != NULL);
    }
}

/* H28: the built-in reduction table, for what this test uses only (scalar
 * `+` on double and int): identity 0, then original += partial. Anything
 * else is reported and aborts, so a new case cannot pass by accident. */
static void table_red(const struct weft_reduction *r, void **cap, void *slot,
                      int fini) {
    for (unsigned i = 0; i < r->nvars; i++) {
        const struct weft_red_var *v = &r->vars[i];
        char *p = (char *)slot + v->offset;
        if (v->op != WEFT_RED_ADD || v->len_cap >= 0 ||
            (v->type != WEFT_RED_T_DOUBLE && v->type != WEFT_RED_T_I32)) {
            fprintf(stderr, "stub: table entry op %u type %u unsupported\n",
                    v->op, v->type);
            abort();
        }
        if (v->type == WEFT_RED_T_DOUBLE) {
            if (fini)
                *(double *)cap[v->orig_cap] += *(double *)p;
            else
                *(double *)p = 0;
        } else {
            if (fini)
                *(int *)cap[v->orig_cap] += *(int *)p;
            else
                *(int *)p = 0;
        }
    }
}

void WEFT_parallel_for_cluster(const struct weft_cluster_loop *cl) {
    const struct weft_cluster_body *e = cl->entry;
    const char *k = strrchr(e->key, '/');
    printf("loop %s n %llu\n", k ? k + 1 : e->key,
           (unsigned long long)cl->loop.n);
    for (unsigned i = 0; i < e->ncap; i++)
        printf("  cap %u size %zu flags %u\n", i, e->caps[i].size,
               e->caps[i].flags);
    for (unsigned i = 0; i < cl->nmap; i++) {
        const struct weft_map *m = &cl->maps[i];
        printf("  map kind %u cap %u elem %zu a %lld b %lld len %llu\n",
               m->kind, m->cap, m->elem_size, (long long)m->a,
               (long long)m->b, (unsigned long long)m->len);
    }
    const struct weft_reduction *red = cl->loop.red;
    void *slot = NULL;
    if (red) {
        slot = calloc(1, red->size + 64);
        if (red->init)
            red->init(cl->loop.data, slot);
        else
            table_red(red, (void **)cl->loop.data, slot, 0);
    }
    cl->loop.body(cl->loop.data, 0, cl->loop.n, slot);
    if (red && red->fini)
        red->fini(cl->loop.data, slot);
    else if (red)
        table_red(red, (void **)cl->loop.data, slot, 1);
    free(slot);
}

void step1(int n, const double *x, double *y, double *s_out);
void step2(long n, int w, float *row, const float *a);
int local_arr(int m);
void reverse(unsigned n, short *v);

int main(void) {
    double x[10], y[10], s = 0;
    for (int i = 0; i < 10; i++)
        x[i] = i;
    step1(10, x, y, &s);
    printf("step1 s %g y9 %g\n", s, y[9]);
    float row[64] = {0}, a[64];
    for (int i = 0; i < 64; i++)
        a[i] = 1;
    step2(11, 4, row, a);
    printf("step2 row9 %g row33 %g\n", row[9], row[33]);
    printf("local_arr %d\n", local_arr(3));
    short v[6] = {1, 2, 3, 4, 5, 6};
    reverse(6, v);
    printf("reverse v0 %d v5 %d\n", v[0], v[5]);
    return 0;
}
