/* This file handles the monotonic: and nonmonotonic: schedule modifiers on
 * every schedule kind that allows them. */
#include <stdio.h>

int main(void)
{
    enum { N = 9999 };
    static unsigned a[N];
    int n = N;
    unsigned long s1 = 0, s2 = 0;

#pragma omp parallel for schedule(monotonic: static)
    for (int i = 0; i < n; i++)
        a[i] = (unsigned)i * 2654435761u;

#pragma omp parallel for schedule(monotonic: static, 3)
    for (int i = 0; i < n; i++)
        a[i] ^= a[i] >> 13;

#pragma omp parallel for schedule(nonmonotonic: dynamic, 4)
    for (int i = 0; i < n; i++)
        a[i] += (unsigned)i % 5u;

#pragma omp parallel for schedule(monotonic: dynamic)
    for (int i = 0; i < n; i++)
        a[i] = a[i] * 3u + 1u;

#pragma omp parallel for schedule(nonmonotonic: guided) reduction(+: s1)
    for (int i = 0; i < n; i++)
        s1 += a[i] % 1000u;

#pragma omp parallel for schedule(monotonic: guided, 9) reduction(^: s2)
    for (int i = 0; i < n; i++)
        s2 ^= (unsigned long)a[i] << (i % 29);

    printf("modifiers s1=%lu s2=%lu\n", s1, s2);
    return 0;
}
