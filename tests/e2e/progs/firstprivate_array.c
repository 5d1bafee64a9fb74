/* This file handles firstprivate() of a fixed-size array: each thread gets a
 * copy of the original contents, and writes to the copy do not leak into
 * the original or into other iterations' results. */
#include <stdio.h>

int main(void)
{
    enum { N = 4096 };
    static int out[N];
    int n = N;
    int coef[4] = {1, 10, 100, 1000};

#pragma omp parallel for firstprivate(coef) schedule(static, 16)
    for (int i = 0; i < n; i++) {
        int v = coef[0] + coef[1] * (i % 3) + coef[2] * (i % 5) + coef[3];
        out[i] = v;
        coef[0] = 1;
    }
    long s = 0;
    for (int i = 0; i < n; i++)
        s += (long)out[i] * (i % 7);
    printf("s=%ld coef=%d %d %d %d\n", s, coef[0], coef[1], coef[2], coef[3]);
    return 0;
}
