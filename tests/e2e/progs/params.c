/* This file handles function parameters in the body: restrict and
 * pointer-to-const parameters, scalar parameters by value (one of them
 * modified before the loop) and a struct parameter. Parameters declared
 * with array syntax: see params_array.c. */
#include <stdio.h>

struct scale {
    double mul;
    double add;
};

static void axpb(int n, const double *restrict x, double *restrict y,
                 struct scale sc, int stride)
{
    stride *= 2;
#pragma omp parallel for
    for (int i = 0; i < n; i++)
        y[i] = x[i] * sc.mul + sc.add + (i % stride);
}

static long dot(int n, const int *a, const int *b)
{
    long s = 0;
#pragma omp parallel for reduction(+: s)
    for (int i = 0; i < n; i++)
        s += (long)a[i] * b[i];
    return s;
}

int main(void)
{
    enum { N = 10000 };
    static double x[N], y[N];
    static int a[N], b[N];
    for (int i = 0; i < N; i++) {
        x[i] = i * 0.5;
        a[i] = i % 10;
        b[i] = i % 7 - 3;
    }
    struct scale sc = {2.0, 0.25};
    axpb(N, x, y, sc, 4);
    double s = 0;
    for (int i = 0; i < N; i++)
        s += y[i];
    printf("s=%.17g dot=%ld\n", s, dot(N, a, b));
    return 0;
}
