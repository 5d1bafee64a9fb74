/* This file handles loop variables declared before the loop (`i = lb` in
 * the init), of several types; the loop variable is private in the loop,
 * and a value assigned after the loop is what is printed. */
#include <stdio.h>

int main(void)
{
    enum { N = 7777 };
    static int a[N];
    int n = N;
    int i;
    long l;
    unsigned u;

#pragma omp parallel for
    for (i = 0; i < n; i++)
        a[i] = i % 91;
#pragma omp parallel for
    for (l = n - 1; l >= 0; l--)
        a[l] += (int)(l % 7);
#pragma omp parallel for
    for (u = 1; u < (unsigned)n; u += 2)
        a[u] *= 2;
    i = 0;
    unsigned long s = 0;
    for (i = 0; i < n; i++)
        s = s * 3 + a[i];
    printf("s=%lu\n", s);
    return 0;
}
