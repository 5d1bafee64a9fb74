// This file handles a golden test: scalar reductions: the partial struct, identities,
// combiners, the fold into the originals, and register accumulation.
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
// CHECK: struct __weft_red_1 { double s; double mn; int mx; unsigned int m; };
// CHECK-LABEL: static void __weft_red_init_1(
// CHECK: __weft_r->s = (double)0;
// CHECK-NEXT: __weft_r->mn = (double)(__builtin_huge_val());
// CHECK-NEXT: __weft_r->mx = (int)(-(int64_t)(((uint64_t)1 << 31) - 1) - 1);
// CHECK-NEXT: __weft_r->m = (unsigned int)0;
// CHECK-LABEL: static void __weft_red_comb_1(
// CHECK: __weft_i->s = __weft_i->s + __weft_f->s;
// CHECK-NEXT: if (__weft_f->mn < __weft_i->mn) __weft_i->mn = __weft_f->mn;
// CHECK-NEXT: if (__weft_f->mx > __weft_i->mx) __weft_i->mx = __weft_f->mx;
// CHECK-NEXT: __weft_i->m = __weft_i->m | __weft_f->m;
// CHECK-LABEL: static void __weft_red_fini_1(
// CHECK: (*(double *)__weft_cap[[[S:[0-9]+]]]) = (*(double *)__weft_cap[[[S]]]) + __weft_r->s;
// CHECK-LABEL: static void __weft_body_1(
// CHECK: double s = ((struct __weft_red_1 *)__weft_red)->s;
// CHECK: int mx = ((struct __weft_red_1 *)__weft_red)->mx;
// CHECK: ((struct __weft_red_1 *)__weft_red)->s = s;
// CHECK: struct weft_reduction __weft_rd_1 = { 0, 0, __weft_red_init_1, __weft_red_comb_1, __weft_red_fini_1 }; __weft_rd_1.size = sizeof(struct __weft_red_1);
// CHECK-SAME: (void *)__weft_cap_1, &__weft_rd_1 };
