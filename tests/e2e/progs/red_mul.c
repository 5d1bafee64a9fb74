/* This file handles reduction(*): signed products of +-1 and 2 that stay far
 * from overflow, unsigned products (modular, so order-independent), and a
 * double product of powers of two (exact in binary floating point). */
#include <stdio.h>

int main(void)
{
    int n = 5000;
    long p = 1;
    unsigned long up = 1;
    double dp = 1.0;
    int ip = 3;

#pragma omp parallel for reduction(*: p)
    for (int i = 0; i < n; i++)
        p *= (i % 251 == 0) ? 2 : ((i % 3 == 0) ? -1 : 1);
#pragma omp parallel for reduction(*: up)
    for (int i = 0; i < n; i++)
        up *= 2ul * (unsigned long)i + 1ul;
#pragma omp parallel for reduction(*: dp)
    for (int i = 0; i < n; i++)
        dp *= (i % 100 == 0) ? 0.5 : ((i % 77 == 0) ? 4.0 : 1.0);
#pragma omp parallel for reduction(*: ip)
    for (int i = 0; i < 20; i++)
        ip *= (i % 4 == 0) ? -1 : 1;

    printf("long %ld\nulong %lu\ndouble %.17g\nint %d\n", p, up, dp, ip);
    return 0;
}
