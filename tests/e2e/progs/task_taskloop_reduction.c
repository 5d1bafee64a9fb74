/* This file handles taskloop reduction (OpenMP 5.0) on integers with
 * + * min max & | ^ && ||, on a pointer-based array section, with the
 * original values folded in; and taskloop if(0) (undeferred tasks) and
 * final(1). Integer results do not depend on the order of the tasks. */
#include <stdio.h>

#define N 5000

static int v[N];

static void reduce(long *out, int n)
{
    long sum = 100, prod = 1;
    int mn = 1 << 30, mx = -(1 << 30);
    unsigned band = ~0u, bor = 0, bxor = 0;
    int land = 1, lor = 0;
    long hist[8] = {0};
    long *h = hist;
#pragma omp taskloop reduction(+: sum) reduction(min: mn) reduction(max: mx) \
    reduction(&: band) reduction(|: bor) reduction(^: bxor) grainsize(97)
    for (int i = 0; i < n; i++) {
        sum += v[i];
        if (v[i] < mn)
            mn = v[i];
        if (v[i] > mx)
            mx = v[i];
        band &= (unsigned)v[i] | 0x100u;
        bor |= (unsigned)v[i] & 0xff0u;
        bxor ^= (unsigned)v[i] * 2654435761u;
    }
#pragma omp taskloop reduction(*: prod) reduction(&&: land) \
    reduction(||: lor) num_tasks(7)
    for (int i = 1; i <= 20; i++) {
        prod *= (i % 4) + 1;
        land = land && v[i] >= 0;
        lor = lor || v[i] == 4242;
    }
#pragma omp taskloop reduction(+: h[0:8]) if(0)
    for (int i = 0; i < n; i++)
        h[v[i] & 7] += 1;
#pragma omp taskloop reduction(+: sum) final(1) grainsize(1000)
    for (int i = 0; i < n; i++)
        sum += i & 1;
    out[0] = sum;
    out[1] = prod;
    out[2] = mn;
    out[3] = mx;
    out[4] = (long)band;
    out[5] = (long)bor;
    out[6] = (long)bxor;
    out[7] = land * 10 + lor;
    for (int b = 0; b < 8; b++)
        out[8 + b] = hist[b];
}

int main(void)
{
    long out[16];
    for (int i = 0; i < N; i++)
        v[i] = (i * 7919) % 10007 - 300;
    v[17] = 4242;
#pragma omp parallel
#pragma omp single
    reduce(out, N);
    for (int i = 0; i < 16; i++)
        printf("%ld%c", out[i], i == 15 ? '\n' : ' ');
    return 0;
}
