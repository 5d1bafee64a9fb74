/* This file handles `#pragma omp parallel for nowait`, which weft accepts
 * (nowait is meaningless there) although gcc and clang reject it. */
// E2E-NO-GCC: gcc rejects nowait on '#pragma omp parallel for'
#include <stdio.h>

int main(void)
{
    enum { N = 10000 };
    static int a[N];
    int n = N;
#pragma omp parallel for nowait
    for (int i = 0; i < n; i++)
        a[i] = i * 3;
    long s = 0;
    for (int i = 0; i < n; i++)
        s += a[i];
    printf("s=%ld\n", s);
    return 0;
}
