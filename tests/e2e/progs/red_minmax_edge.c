/* This file handles min/max reductions whose loops run zero times (the
 * original value survives) and on char and unsigned long, plus a max whose
 * answer is the initial value. */
#include <stdio.h>
#include <limits.h>

int main(int argc, char **argv)
{
    (void)argv;
    int n0 = argc - 1;
    int m0 = 42;
    unsigned long ulmax = 7, ulmin = ULONG_MAX;
    signed char cmax = -100;
    int keep = 1000;

#pragma omp parallel for reduction(max: m0)
    for (int i = 0; i < n0; i++)
        m0 = i > m0 ? i : m0;
#pragma omp parallel for reduction(max: ulmax) reduction(min: ulmin)
    for (int i = 0; i < 1000; i++) {
        unsigned long v = (unsigned long)i * 0x9e3779b97f4a7c15ul;
        if (v > ulmax) ulmax = v;
        if (v < ulmin) ulmin = v;
    }
#pragma omp parallel for reduction(max: cmax)
    for (int i = 0; i < 300; i++) {
        signed char c = (signed char)(i % 120 - 60);
        if (c > cmax) cmax = c;
    }
#pragma omp parallel for reduction(max: keep)
    for (int i = 0; i < 500; i++)
        keep = i > keep ? i : keep;
    printf("m0=%d ulmax=%lu ulmin=%lu cmax=%d keep=%d\n", m0, ulmax, ulmin,
           (int)cmax, keep);
    return 0;
}
