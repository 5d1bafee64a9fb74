/* This file handles an end-to-end cluster program built with weftcc:
 * y[i] = f(x[i]) on every element, with a sum reduction, as a weft cluster
 * loop; the serial cc build of the same file must print the same lines.
 * Values stay integers below 2^53, so the sum does not depend on order. */
#include <stdio.h>
#include <stdlib.h>

/* Enough work per element that chunks are worth sending to workers. */
static double f(double v) {
    long acc = 0;
    for (int k = 0; k < 200; k++)
        acc += ((long)v * (k + 1)) % 7;
    return (double)acc;
}

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 200000;
    double *x = malloc((size_t)n * sizeof *x);
    double *y = malloc((size_t)n * sizeof *y);
    if (!x || !y)
        return 1;
    for (long i = 0; i < n; i++)
        x[i] = (double)(i % 1000);
    double s = 0;
#pragma weft parallel for cluster map(to: x[0:n]) map(from: y[i]) reduction(+: s) schedule(dynamic, 256)
    for (long i = 0; i < n; i++) {
        y[i] = f(x[i]);
        s += y[i];
    }
    double check = 0;
    for (long i = 0; i < n; i++)
        check += y[i] * (double)(i % 13);
    printf("sum %.0f check %.0f y0 %.0f ylast %.0f\n", s, check, y[0],
           y[n - 1]);
    free(x);
    free(y);
    return 0;
}
