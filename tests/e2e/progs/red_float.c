/* This file handles reduction(+) on float and double. The data are small
 * multiples of 1/8, so every partial sum is exactly representable (below
 * 2^24/8 for float, far below 2^53/8 for double) and reassociation cannot
 * change any printed digit. */
#include <stdio.h>

int main(void)
{
    enum { N = 200000 };
    static double x[N];
    int n = N;
    for (int i = 0; i < n; i++)
        x[i] = (double)(i % 41 - 20) * 0.125;

    double s = 0.0, sq = 0.0;
    float fs = 0.0f;
#pragma omp parallel for reduction(+: s, sq)
    for (int i = 0; i < n; i++) {
        s += x[i];
        sq += x[i] * x[i];
    }
#pragma omp parallel for reduction(+: fs)
    for (int i = 0; i < 10000; i++)
        fs += (float)(i % 9) * 0.5f;
    printf("sum %.17g\nsumsq %.17g\nfloat %.9g\n", s, sq, (double)fs);
    return 0;
}
