// This file handles a golden test: user-defined reductions (H27): the
// combiner and initializer text with omp_out / omp_in / omp_priv /
// omp_orig replaced by the partials' and the original's slots, the zeroed
// private copy without an initializer, an array section of structs, and
// the declaration lines kept (blank) so later lines keep their numbers.
// RUN: %weft-translate %s -o - | grep -v '^//' | %FileCheck %s
// RUN: %weft-translate %s -o %t && %cc -std=c99 -Wall -Wextra -Werror -Wno-unused-parameter -I%inc -fsyntax-only %t
typedef struct {
    double re, im;
} cplx;
struct cnt {
    long n;
};
void cset(cplx *p, const cplx *o);
#pragma omp declare reduction(cadd : cplx : omp_out.re += omp_in.re, \
                              omp_out.im += omp_in.im)                \
    initializer(cset(&omp_priv, &omp_orig))
#pragma omp declare reduction(count : struct cnt : omp_out.n += omp_in.n)
int f(int n, cplx *z, struct cnt *h)
{
    cplx s = {0, 0};
    struct cnt c = {0};
    #pragma omp parallel for reduction(cadd : s) reduction(count : c, h[0:4])
    for (int i = 0; i < n; i++) {
        s.re += z[i].re;
        c.n++;
        h[i % 4].n++;
    }
    return (int)c.n;
}
// CHECK: struct __weft_red_3 { cplx s; struct cnt c; };
// CHECK-LABEL: static void __weft_red_init_3(
// CHECK: cset(&(__weft_r->s), &(*(cplx *)__weft_cap[[[S:[0-9]+]]]));
// CHECK-NEXT: __builtin_memset((void *)&(__weft_r->c), 0, sizeof(__weft_r->c));
// CHECK-NEXT: { struct cnt *__weft_a = {{.*}} __builtin_memset((void *)&(__weft_a[__weft_j]), 0, sizeof(__weft_a[__weft_j])); } }
// CHECK-LABEL: static void __weft_red_comb_3(
// CHECK: (__weft_i->s).re += (*(cplx *)&__weft_f->s).re, (__weft_i->s).im += (*(cplx *)&__weft_f->s).im;
// CHECK-NEXT: (__weft_i->c).n += (*(struct cnt *)&__weft_f->c).n;
// CHECK-NEXT: (__weft_a[__weft_j]).n += (*(struct cnt *)&__weft_b[__weft_j]).n; } }
// CHECK-LABEL: static void __weft_red_fini_3(
// CHECK: (*(cplx *)__weft_cap[[[S]]]).re += (__weft_r->s).re, (*(cplx *)__weft_cap[[[S]]]).im += (__weft_r->s).im;
// CHECK: (__weft_o[__weft_j]).n += (__weft_a[__weft_j]).n; } }
// CHECK-LABEL: static void __weft_body_3(
// CHECK: cplx s = ((struct __weft_red_3 *)__weft_red)->s;
// CHECK: #line 19 "{{.*}}udr_lower.c"
// CHECK-NEXT: int f(int n, cplx *z, struct cnt *h)
// CHECK: return (int)c.n;
