/* This file handles schedule(auto): the implementation picks the schedule,
 * the result must not depend on it. */
#include <stdio.h>

int main(void)
{
    enum { N = 40000 };
    static short a[N];
    int n = N;
    long s = 0;

#pragma omp parallel for schedule(auto)
    for (int i = 0; i < n; i++)
        a[i] = (short)((i * 37) % 2001 - 1000);

#pragma omp parallel for schedule(auto) reduction(+: s)
    for (int i = 0; i < n; i++)
        s += a[i] * (i % 3);

    printf("auto s=%ld a[777]=%d\n", s, a[777]);
    return 0;
}
