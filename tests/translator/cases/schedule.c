// This file handles a golden test: schedule kinds, chunk sizes and modifiers in the descriptor.
// RUN: %weft-translate %s -o - | grep -v '^//' | %FileCheck %s
// RUN: %weft-translate %s -o %t && %cc -std=c11 -Wall -Werror -I%inc -fsyntax-only %t
void f(int n, double *a, int c)
{
    #pragma omp parallel for schedule(static)
    for (int i = 0; i < n; i++) a[i] = 0;
    #pragma omp parallel for schedule(dynamic, c * 2)
    for (int i = 0; i < n; i++) a[i] = 1;
    #pragma omp parallel for schedule(monotonic: guided, 8)
    for (int i = 0; i < n; i++) a[i] = 2;
    #pragma omp parallel for schedule(nonmonotonic: dynamic)
    for (int i = 0; i < n; i++) a[i] = 3;
    #pragma omp parallel for schedule(auto)
    for (int i = 0; i < n; i++) a[i] = 4;
    #pragma omp parallel for schedule(runtime)
    for (int i = 0; i < n; i++) a[i] = 5;
}
// CHECK: struct weft_loop __weft_lp_1 = { &__weft_loc_1, __weft_n_1, WEFT_SCHED_STATIC, 0, 0,
// CHECK: struct weft_loop __weft_lp_2 = { &__weft_loc_2, __weft_n_2, WEFT_SCHED_DYNAMIC, 0, (int64_t)(c * 2),
// CHECK: struct weft_loop __weft_lp_3 = { &__weft_loc_3, __weft_n_3, WEFT_SCHED_GUIDED | WEFT_SCHED_MOD_MONOTONIC, 0, (int64_t)(8),
// CHECK: struct weft_loop __weft_lp_4 = { &__weft_loc_4, __weft_n_4, WEFT_SCHED_DYNAMIC | WEFT_SCHED_MOD_NONMONOTONIC, 0, 0,
// CHECK: struct weft_loop __weft_lp_5 = { &__weft_loc_5, __weft_n_5, WEFT_SCHED_AUTO, 0, 0,
// CHECK: struct weft_loop __weft_lp_6 = { &__weft_loc_6, __weft_n_6, WEFT_SCHED_RUNTIME, 0, 0,
