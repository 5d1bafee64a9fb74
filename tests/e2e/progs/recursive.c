/* This file handles a parallel loop inside a recursive function (called
 * outside any parallel region at each level) and a parallel loop whose body
 * calls a recursive function. */
#include <stdio.h>

static long fib(int k)
{
    return k < 2 ? k : fib(k - 1) + fib(k - 2);
}

static long level(int depth, int width)
{
    if (depth == 0)
        return 1;
    long s = 0;
#pragma omp parallel for reduction(+: s)
    for (int i = 0; i < width; i++)
        s += (i % 7) * depth;
    return s + level(depth - 1, width / 2 + 1);
}

int main(void)
{
    enum { N = 30 };
    long f[N];
#pragma omp parallel for schedule(dynamic)
    for (int i = 0; i < N; i++)
        f[i] = fib(i % 25);
    long s = 0;
    for (int i = 0; i < N; i++)
        s += f[i];
    printf("fib sum=%ld level=%ld\n", s, level(8, 10000));
    return 0;
}
