/* This file handles schedule(dynamic) and schedule(dynamic, k) with uneven
 * work per iteration (so threads really do take chunks in varying order),
 * and a chunk size from a variable. */
#include <stdio.h>

static unsigned work(unsigned i)
{
    unsigned x = i;
    for (unsigned r = 0; r < (i % 64) * 8; r++)
        x = x * 1103515245u + 12345u;
    return x;
}

int main(void)
{
    enum { N = 20000 };
    static unsigned a[N];
    int n = N;
    int chunk = 13;

#pragma omp parallel for schedule(dynamic)
    for (int i = 0; i < n; i++)
        a[i] = work((unsigned)i);
    unsigned long s = 0;
    for (int i = 0; i < n; i++)
        s = s * 31 + a[i];
    printf("dynamic %lu\n", s);

#pragma omp parallel for schedule(dynamic, 1)
    for (int i = 0; i < n; i++)
        a[i] = work(a[i] % 1000u);
    s = 0;
    for (int i = 0; i < n; i++)
        s = s * 31 + a[i];
    printf("dynamic,1 %lu\n", s);

#pragma omp parallel for schedule(dynamic, chunk)
    for (int i = 0; i < n; i++)
        a[i] = a[i] / 3u + (unsigned)i;
    s = 0;
    for (int i = 0; i < n; i++)
        s = s * 31 + a[i];
    printf("dynamic,chunk %lu\n", s);
    return 0;
}
