/* This file handles barriers separating phases of a region: each phase
 * reads what every thread wrote in the phase before. */
#include <stdio.h>

int main(void)
{
    enum { N = 2048, PH = 6 };
    static double x[N], y[N];
    double chk = 0;
    for (int i = 0; i < N; i++)
        x[i] = i % 13;
#pragma omp parallel
    {
        for (int ph = 0; ph < PH; ph++) {
#pragma omp for nowait
            for (int i = 0; i < N; i++)
                y[i] = 0.5 * (x[(i + N - 1) % N] + x[(i + 1) % N]);
#pragma omp barrier
#pragma omp for nowait
            for (int i = 0; i < N; i++)
                x[i] = y[i] + 1.0;
#pragma omp barrier
        }
#pragma omp for reduction(+:chk)
        for (int i = 0; i < N; i++)
            chk += x[i] * (i % 3);
    }
    printf("chk=%.6f x0=%.6f\n", chk, x[0]);
    return 0;
}
