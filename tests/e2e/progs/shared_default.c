/* This file handles explicit shared() and default(shared): arrays and
 * pointers written through by all threads, and scalars read by all. */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    int n = 50000;
    double *x = malloc(sizeof(double) * (size_t)n);
    double *y = malloc(sizeof(double) * (size_t)n);
    double a = 2.5;
    int off = 3;

#pragma omp parallel for shared(x, y, n)
    for (int i = 0; i < n; i++) {
        x[i] = i % 100;
        y[i] = (i % 17) * 0.5;
    }
#pragma omp parallel for default(shared)
    for (int i = 0; i < n; i++)
        y[i] = a * x[i] + y[i] + off;
#pragma omp parallel for default(shared) shared(a)
    for (int i = 0; i < n - 1; i++)
        x[i] = y[i + 1] - a;

    double s = 0;
    for (int i = 0; i < n; i++)
        s += x[i] + y[i];
    printf("s=%.17g x0=%g y_last=%g\n", s, x[0], y[n - 1]);
    free(x);
    free(y);
    return 0;
}
