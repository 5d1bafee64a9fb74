/* This file handles an end-to-end cluster program built with weftcc: a
 * row-block matrix-vector product, y = A x, with map(from: y[i]) and
 * map(to: A[0:n*m], x[0:m]); repeated so the cached 'to' inputs are reused.
 * Integer-valued doubles keep the result exact whatever the order. */
#include <stdio.h>
#include <stdlib.h>

static void matvec(int n, int m, const double *A, const double *x, double *y) {
#pragma weft parallel for cluster map(from                                     \
                                      : y[i]) map(to                           \
                                                  : A [0:n * m], x [0:m])
    for (int i = 0; i < n; i++) {
        double t = 0;
        for (int j = 0; j < m; j++)
            t += A[(long)i * m + j] * x[j];
        y[i] = t;
    }
}

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 2000, m = 1500;
    double *A = malloc((size_t)n * m * sizeof *A);
    double *x = malloc((size_t)m * sizeof *x);
    double *y = malloc((size_t)n * sizeof *y);
    if (!A || !x || !y)
        return 1;
    for (long k = 0; k < (long)n * m; k++)
        A[k] = (double)((k * 7) % 11) - 5;
    for (int j = 0; j < m; j++)
        x[j] = (double)(j % 5);
    double total = 0;
    for (int rep = 0; rep < 3; rep++) {
        matvec(n, m, A, x, y);
        for (int i = 0; i < n; i++)
            total += y[i] * (double)(i % 3 + rep);
        x[rep] += 1; /* a changed input is sent again */
    }
    printf("total %.0f y0 %.0f y%d %.0f\n", total, y[0], n - 1, y[n - 1]);
    free(A);
    free(x);
    free(y);
    return 0;
}
