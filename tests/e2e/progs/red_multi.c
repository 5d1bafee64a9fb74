/* This file handles several reduction clauses with several variables each,
 * mixing operators and types on one loop, plus a reduction variable that
 * starts from a non-identity value. */
#include <stdio.h>

int main(void)
{
    int n = 123457;
    long sum = 10, cnt = 0;
    unsigned x = 0xdeadbeefu;
    int mx = -1, mn = 1 << 30;
    double ds = 0.5;

#pragma omp parallel for reduction(+: sum, cnt, ds) reduction(^: x) reduction(max: mx) reduction(min: mn)
    for (int i = 0; i < n; i++) {
        int v = (i * 31) % 1001;
        sum += v;
        if (v % 2 == 0)
            cnt++;
        x ^= (unsigned)v << (i % 20);
        if (v > mx)
            mx = v;
        if (v < mn)
            mn = v;
        ds += v * 0.5;
    }
    printf("sum=%ld cnt=%ld x=%08x max=%d min=%d ds=%.17g\n", sum, cnt, x,
           mx, mn, ds);
    return 0;
}
