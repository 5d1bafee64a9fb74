// This file handles a golden test: scalar reductions: the partial struct, the
// runtime's built-in table for arithmetic types (H28: no helper functions, a
// static const descriptor), generated identities, combiners and fold for a type
// outside the table (_Complex), and register accumulation.
// RUN: %weft-translate %s -o - | grep -v '^//' | %FileCheck %s
// RUN: %weft-translate %s -o %t && %cc -std=c99 -Wall -Wextra -Werror -Wno-unused-parameter -I%inc -fsyntax-only %t
typedef double real;
void stats(int n, const real *x, real *sum, real *lo, int *hi, unsigned *mask)
{
    real s = 0, mn = 1e300;
    int mx = -1;
    unsigned m = 0;
    #pragma omp parallel for reduction(+: s) reduction(min: mn) reduction(max: mx) reduction(|: m)
    for (int i = 0; i < n; i++) {
        s += x[i];
        if (x[i] < mn) mn = x[i];
        if (i > mx) mx = i;
        m |= 1u << (i & 31);
    }
    *sum = s; *lo = mn; *hi = mx; *mask = m;
}
_Complex double csum(int n, const _Complex double *z)
{
    _Complex double t = 0;
    #pragma omp parallel for reduction(+: t)
    for (int i = 0; i < n; i++)
        t += z[i];
    return t;
}
// CHECK: struct __weft_red_1 { double s; double mn; int mx; unsigned int m; };
// CHECK-NEXT: static const struct weft_red_var __weft_rv_1[] = { {WEFT_RED_ADD, WEFT_RED_T_DOUBLE, __builtin_offsetof(struct __weft_red_1, s), [[S:[0-9]+]], -1, -1, 0}, {WEFT_RED_MIN, WEFT_RED_T_DOUBLE, __builtin_offsetof(struct __weft_red_1, mn), {{[0-9]+}}, -1, -1, 0}, {WEFT_RED_MAX, WEFT_RED_T_I32, __builtin_offsetof(struct __weft_red_1, mx), {{[0-9]+}}, -1, -1, 0}, {WEFT_RED_OR, WEFT_RED_T_U32, __builtin_offsetof(struct __weft_red_1, m), {{[0-9]+}}, -1, -1, 0} };
// CHECK-NEXT: static const struct weft_reduction __weft_rd_1 = { sizeof(struct __weft_red_1), 0, 0, 0, 0, __weft_rv_1, 4u, 0u };
// CHECK-NOT: __weft_red_init_1
// CHECK-LABEL: static void __weft_body_1(
// CHECK: double s = ((struct __weft_red_1 *)__weft_red)->s;
// CHECK: int mx = ((struct __weft_red_1 *)__weft_red)->mx;
// CHECK: ((struct __weft_red_1 *)__weft_red)->s = s;
// A literal step is not captured: slot 0 is the lower bound, then s.
// CHECK: void *__weft_cap_1[] = { (void *)&__weft_lb_1_0, (void *)&s,
// CHECK-SAME: (void *)__weft_cap_1, &__weft_rd_1 };
// CHECK: struct __weft_red_2 { _Complex double t; };
// CHECK-LABEL: static void __weft_red_init_2(
// CHECK: __weft_r->t = (_Complex double)0;
// CHECK-LABEL: static void __weft_red_comb_2(
// CHECK: __weft_i->t = __weft_i->t + __weft_f->t;
// CHECK-LABEL: static void __weft_red_fini_2(
// CHECK: (*(_Complex double *)__weft_cap[[[T:[0-9]+]]]) = (*(_Complex double *)__weft_cap[[[T]]]) + __weft_r->t;
// CHECK: static const struct weft_reduction __weft_rd_2 = { sizeof(struct __weft_red_2), 0, __weft_red_init_2, __weft_red_comb_2, __weft_red_fini_2, 0, 0u, 0u };
// CHECK: void *__weft_cap_2[] = { (void *)&__weft_lb_2_0, (void *)&t,
