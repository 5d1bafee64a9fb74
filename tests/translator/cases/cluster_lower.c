// This file handles a golden test of cluster loops: body table, constructor, capture flags and sizes, maps
// in logical iterations (step 1; step 2, lb 5; a local array), a reduction (built-in table); a stand-in
// runtime prints what the generated code passes and runs it serially.
// RUN: %weft-translate %s -o - | grep -v '^//' | %FileCheck %s
// RUN: %weft-translate %s -o %t && %cc -std=c99 -Wall -Wextra -Werror -I%inc %t $(dirname %s)/../../cluster_tr/stub_abi.c -o %t.bin && %t.bin | %FileCheck %s --check-prefix=OUT
void step1(int n, const double *x, double *y, double *s_out)
{
    double s = 0;
    #pragma weft parallel for cluster map(to: x[0:n]) map(from: y[i]) reduction(+: s)
    for (int i = 0; i < n; i++) {
        y[i] = 2 * x[i];
        s += x[i];
    }
    *s_out = s;
}
// CHECK: static const struct weft_cluster_body __weft_clb_[[H:[0-9a-f]+]][4];
// CHECK-LABEL: static void __weft_body_1(
// CHECK: (void)sizeof(char[sizeof s == 8 ? 1 : -1]); int64_t __weft_mb_1_1 = (int64_t)((0)); int64_t __weft_ma_1_1 = (int64_t)((1)) - __weft_mb_1_1;
// CHECK-SAME: struct weft_map __weft_maps_1[] = { {WEFT_MAP_TO, 2, sizeof((x)[0]), 0, (int64_t)(0), (uint64_t)(n)}, {WEFT_MAP_FROM, 1, sizeof((y)[0]), (int64_t)((uint64_t)__weft_ma_1_1 * (uint64_t)__weft_st_1_0), (int64_t)((uint64_t)__weft_ma_1_1 * (uint64_t)(int64_t)__weft_lb_1_0 + (uint64_t)__weft_mb_1_1), (uint64_t)(1)} };
// CHECK-SAME: struct weft_cluster_loop __weft_cl_1 = { __weft_lp_1, &__weft_clb_[[H]][0], __weft_maps_1, 2u }; WEFT_parallel_for_cluster(&__weft_cl_1);

void step2(long n, int w, float *row, const float *a)
{
    #pragma weft parallel for cluster map(tofrom: row[(i - 3) * w + 1 : w]) map(to: a[0:n*w]) schedule(static)
    for (long i = 5; i < n; i += 2)
        for (int j = 0; j < w; j++)
            row[(i - 3) * w + 1 + j] += a[i * w + j];
}
// CHECK: int64_t __weft_mb_2_0 = (int64_t)(((0) - 3) * w + 1); int64_t __weft_ma_2_0 = (int64_t)(((1) - 3) * w + 1) - __weft_mb_2_0;
// CHECK-SAME: {WEFT_MAP_TOFROM, {{[0-9]+}}, sizeof((row)[0]),
// CHECK-SAME: (uint64_t)(w)}, {WEFT_MAP_TO, {{[0-9]+}}, sizeof((a)[0]), 0, (int64_t)(0), (uint64_t)(n*w)} };

int local_arr(int m)
{
    double t[64];
    int cnt = 0;
    #pragma weft parallel for cluster map(from: t[i]) reduction(+: cnt)
    for (int i = 0; i < 64; i++) {
        t[i] = 0.5 * i;
        cnt += i % m == 0;
    }
    return cnt + (int)t[63];
}
// CHECK: static const struct weft_capture __weft_caps_1[] = { {4, WEFT_CAP_VALUE}, {8, WEFT_CAP_MAPPED_PTR}, {8, WEFT_CAP_MAPPED_PTR}, {8, WEFT_CAP_VALUE} };
// CHECK-NOT: __weft_crd_
// CHECK: static const struct weft_capture __weft_caps_3[] = { {4, WEFT_CAP_VALUE}, {512, WEFT_CAP_MAPPED_ARRAY}, {4, WEFT_CAP_VALUE}, {4, WEFT_CAP_VALUE} };
// CHECK: static const struct weft_cluster_body __weft_clb_[[H]][4] = {
// CHECK-NEXT: { "{{.*}}cluster_lower.c:9:5", __weft_body_1, &__weft_crd_1, 4u, __weft_caps_1 },
// CHECK-NEXT: { "{{.*}}cluster_lower.c:24:5", __weft_body_2, 0, {{[0-9]+}}u, __weft_caps_2 },
// CHECK-NEXT: { "{{.*}}cluster_lower.c:37:5", __weft_body_3, &__weft_crd_3, 4u, __weft_caps_3 },
// CHECK-NEXT: { "{{.*}}cluster_lower.c:76:5", __weft_body_4, 0, {{[0-9]+}}u, __weft_caps_4 },
// CHECK-NEXT: };
// CHECK-NEXT: __attribute__((constructor)) static void __weft_clreg_[[H]](void)
// CHECK: WEFT_cluster_register(__weft_clb_[[H]], 4);

// OUT: register cluster_lower.c:9:5 ncap 4 red 1
// OUT: register cluster_lower.c:24:5 ncap {{[0-9]+}} red 0
// OUT: register cluster_lower.c:37:5 ncap 4 red 1
// OUT: register cluster_lower.c:76:5 ncap {{[0-9]+}} red 0
// OUT: loop cluster_lower.c:9:5 n 10
// OUT: map kind 1 cap 2 elem 8 a 0 b 0 len 10
// OUT-NEXT: map kind 2 cap 1 elem 8 a 1 b 0 len 1
// OUT: step1 s 45 y9 18
// OUT: loop cluster_lower.c:24:5 n 3
// OUT: map kind 3 cap {{[0-9]+}} elem 4 a 8 b 9 len 4
// OUT-NEXT: map kind 1 cap {{[0-9]+}} elem 4 a 0 b 0 len 44
// OUT: step2 row9 1 row33 0
// OUT: loop cluster_lower.c:37:5 n 64
// OUT: cap 1 size 512 flags 3
// OUT: map kind 2 cap 1 elem 8 a 1 b 0 len 1
// OUT: local_arr 53

/* A decreasing loop: logical k runs from v = n - 1 down, so a = -1. */
void reverse(unsigned n, short *v)
{
    #pragma weft parallel for cluster map(tofrom: v[i - 1])
    for (unsigned i = n; i > 0; i--)
        v[i - 1] = (short)(v[i - 1] * 2 + (short)i);
}
// OUT: loop cluster_lower.c:76:5 n 6
// OUT: map kind 3 cap {{[0-9]+}} elem 2 a -1 b 5 len 1
// OUT: reverse v0 3 v5 18
// H28: the registered reductions are the runtime's built-in table.
// RUN: %weft-translate %s -o - | grep -v '^//' | %FileCheck %s --check-prefix=TAB
// TAB: static const struct weft_red_var __weft_rv_1[] = { {WEFT_RED_ADD, WEFT_RED_T_DOUBLE, __builtin_offsetof(struct __weft_red_1, s), 3, -1, -1, 0} };
// TAB-NEXT: static const struct weft_reduction __weft_crd_1 = { 0, 0, 0, 0, 0, __weft_rv_1, 1u, 0u };
// TAB: static const struct weft_reduction __weft_crd_3 = { 0, 0, 0, 0, 0, __weft_rv_3, 1u, 0u };
