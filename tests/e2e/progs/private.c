/* This file handles private(): scalars and an array that every iteration
 * overwrites before reading, one of them also having an outer value (which
 * is not printed afterwards: OpenMP leaves it unspecified). */
#include <stdio.h>

int main(void)
{
    enum { N = 20000 };
    static long out[N];
    int n = N;
    long t = -7;
    int tmp[4];
    double d = 3.5;

#pragma omp parallel for private(t, tmp, d)
    for (int i = 0; i < n; i++) {
        t = (long)i * 3;
        for (int k = 0; k < 4; k++)
            tmp[k] = i + k;
        d = tmp[3] * 0.5;
        out[i] = t + tmp[0] + tmp[3] + (long)(d * 2);
    }
    unsigned long s = 0;
    for (int i = 0; i < n; i++)
        s = s * 7 + out[i];
    printf("s=%lu\n", s);
    return 0;
}
