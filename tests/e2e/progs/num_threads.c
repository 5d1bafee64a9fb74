/* This file handles num_threads(expr): constants, expressions of runtime
 * values, more threads than cores and exactly one thread. */
#include <stdio.h>

static int pick(int n)
{
    return n > 1000 ? 3 : 1;
}

int main(void)
{
    enum { N = 10000 };
    static int a[N];
    int n = N;
    long s = 0;
#pragma omp parallel for num_threads(2)
    for (int i = 0; i < n; i++)
        a[i] = i % 10;
#pragma omp parallel for num_threads(pick(n)) reduction(+: s)
    for (int i = 0; i < n; i++)
        s += a[i];
#pragma omp parallel for num_threads(n / 1000 - 2)
    for (int i = 0; i < n; i++)
        a[i] *= 2;
#pragma omp parallel for num_threads(1) reduction(+: s)
    for (int i = 0; i < n; i++)
        s += a[i];
    printf("s=%ld\n", s);
    return 0;
}
