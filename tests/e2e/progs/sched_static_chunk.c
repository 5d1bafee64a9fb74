/* This file handles schedule(static, k): round-robin chunks of several
 * sizes, including a chunk of 1, a chunk larger than the whole loop and a
 * chunk size given by a runtime expression. */
#include <stdio.h>

static unsigned long checksum(const int *a, int n)
{
    unsigned long h = 5381;
    for (int i = 0; i < n; i++)
        h = h * 33 + (unsigned)a[i];
    return h;
}

int main(void)
{
    enum { N = 5000 };
    static int a[N];
    int n = N;
    int k = n / 37 + 1;

#pragma omp parallel for schedule(static, 7)
    for (int i = 0; i < n; i++)
        a[i] = i * 3;
    printf("static,7 %lu\n", checksum(a, n));

#pragma omp parallel for schedule(static, 1)
    for (int i = 0; i < n; i++)
        a[i] += i % 11;
    printf("static,1 %lu\n", checksum(a, n));

#pragma omp parallel for schedule(static, 100000)
    for (int i = 0; i < n; i++)
        a[i] -= i / 5;
    printf("static,100000 %lu\n", checksum(a, n));

#pragma omp parallel for schedule(static, k + 1)
    for (int i = 0; i < n; i++)
        a[i] ^= k;
    printf("static,k+1 %lu\n", checksum(a, n));
    return 0;
}
