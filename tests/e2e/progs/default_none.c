/* This file handles default(none) with every referenced variable listed:
 * shared arrays and sizes, firstprivate scalars, a private temporary, a
 * reduction variable, a global and a const local. */
#include <stdio.h>

int g_bias = 11;

int main(void)
{
    enum { N = 40000 };
    static int a[N];
    int n = N;
    const int mul = 3;
    int tmp;
    long s = 0;

#pragma omp parallel for default(none) shared(a, n, g_bias) firstprivate(mul) private(tmp)
    for (int i = 0; i < n; i++) {
        tmp = i * mul;
        a[i] = tmp % 1000 + g_bias;
    }
#pragma omp parallel for default(none) shared(a, n) reduction(+: s)
    for (int i = 0; i < n; i++)
        s += a[i];
    printf("s=%ld a[n-1]=%d\n", s, a[n - 1]);
    return 0;
}
