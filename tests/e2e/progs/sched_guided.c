/* This file handles schedule(guided) and schedule(guided, k), including a
 * minimum chunk that does not divide the trip count and a loop shorter than
 * the minimum chunk. */
#include <stdio.h>

int main(void)
{
    enum { N = 30011 };
    static long a[N];
    long n = N;

#pragma omp parallel for schedule(guided)
    for (long i = 0; i < n; i++)
        a[i] = (i * i) % 7919;

#pragma omp parallel for schedule(guided, 5)
    for (long i = 0; i < n; i++)
        a[i] = a[i] * 3 + i;

#pragma omp parallel for schedule(guided, 64)
    for (long i = 0; i < 10; i++)
        a[i] = -a[i];

    long s = 0;
    unsigned long x = 0;
    for (long i = 0; i < n; i++) {
        s += a[i];
        x ^= (unsigned long)a[i] << (i % 17);
    }
    printf("guided sum=%ld xor=%lu\n", s, x);
    return 0;
}
