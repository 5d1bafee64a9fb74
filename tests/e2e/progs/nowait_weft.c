/* This file handles `nowait` on a parallel for, which weft accepts as
 * meaningless (the region's join orders everything anyway). It uses the
 * weft spelling, which gcc ignores, because gcc and clang reject nowait on
 * `omp parallel for`. */
#include <stdio.h>

int main(void)
{
    enum { N = 10000 };
    static int a[N], b[N];
    int n = N;
#pragma weft parallel for nowait
    for (int i = 0; i < n; i++)
        a[i] = i * 2;
#pragma weft parallel for schedule(dynamic, 8) nowait
    for (int i = 0; i < n; i++)
        b[i] = a[i] + a[n - 1 - i];
    long s = 0;
    for (int i = 0; i < n; i++)
        s += (long)b[i] * (i % 3);
    printf("s=%ld\n", s);
    return 0;
}
