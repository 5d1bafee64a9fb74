/* This file handles proc_bind(spread), proc_bind(close) and
 * proc_bind(master): placement hints that must not change results. */
#include <stdio.h>

int main(void)
{
    enum { N = 30000 };
    static unsigned a[N];
    int n = N;
    unsigned long s = 0;
#pragma omp parallel for proc_bind(spread)
    for (int i = 0; i < n; i++)
        a[i] = (unsigned)i * 40503u;
#pragma omp parallel for proc_bind(close)
    for (int i = 0; i < n; i++)
        a[i] ^= a[i] >> 7;
#pragma omp parallel for proc_bind(master) reduction(+: s)
    for (int i = 0; i < n; i++)
        s += a[i] % 65536u;
    printf("s=%lu\n", s);
    return 0;
}
