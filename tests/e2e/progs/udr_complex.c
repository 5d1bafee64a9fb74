/* This file handles user-defined reductions (declare reduction) on a
 * complex-number struct: the `omp_priv = expr` initializer, the
 * function-call initializer that reads omp_orig, a combiner that is a
 * comma expression and one that calls a function, on `parallel for`, on a
 * `parallel` region, on a `for` inside a region, and on a variable that
 * starts from a non-identity value. Sums are of integers, so the order of
 * the partials does not change the text. */
// E2E-SCHEDULES: static dynamic,7 guided,3
#include <stdio.h>

typedef struct {
    double re, im;
} cplx;

#pragma omp declare reduction(cadd:cplx                                        \
                              : omp_out.re += omp_in.re,                       \
                                omp_out.im += omp_in.im)                       \
    initializer(omp_priv = (cplx){0, 0})

static void cmul_into(cplx *out, const cplx *in) {
    cplx r = {out->re * in->re - out->im * in->im,
              out->re * in->im + out->im * in->re};
    *out = r;
}

/* The identity of the product, whatever the original holds. */
static void cone(cplx *priv, const cplx *orig) {
    priv->re = orig->re * 0 + 1;
    priv->im = 0;
}

#pragma omp declare reduction(cmul:cplx                                        \
                              : cmul_into(&omp_out, &omp_in))                  \
    initializer(cone(&omp_priv, &omp_orig))

int main(void) {
    int n = 20000;
    cplx z = {1, 2};
#pragma omp parallel for reduction(cadd : z)
    for (int i = 0; i < n; i++) {
        z.re += i % 97;
        z.im -= 2 * (i % 13);
    }
    printf("parallel for: %.1f %.1f\n", z.re, z.im);

    /* Powers of i: (0+1i)^k cycles through 1, i, -1, -i. */
    cplx p = {2, 0};
#pragma omp parallel for reduction(cmul : p) schedule(runtime)
    for (int k = 0; k < 1003; k++) {
        cplx unit = {0, 1};
        cmul_into(&p, &unit);
    }
    printf("product: %.1f %.1f\n", p.re + 0.0, p.im + 0.0);

    cplx r = {0, 0}, w = {5, 5};
#pragma omp parallel reduction(cadd : r)
    {
        r.re += 1;
#pragma omp for reduction(cadd : w) schedule(runtime)
        for (int i = 0; i < 1000; i++) {
            w.re += i;
            w.im += 1;
        }
    }
    printf("region: %s %.1f %.1f\n", r.re >= 1 ? "ok" : "bad", w.re, w.im);
    return 0;
}
