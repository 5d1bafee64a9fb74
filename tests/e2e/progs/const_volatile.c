/* This file handles const and volatile variables: const scalars and
 * arrays read in the body, a pointer to const, a volatile array written by
 * every iteration, and a volatile scalar read in the body. */
#include <stdio.h>

int main(void)
{
    enum { N = 8000 };
    const int n = N;
    const double half = 0.5;
    static const int weights[4] = {1, 3, 5, 7};
    static volatile long vout[N];
    volatile int vscale = 3;
    const int *w = weights;

#pragma omp parallel for
    for (int i = 0; i < n; i++)
        vout[i] = (long)(i * half) * w[i % 4] + weights[(i + 1) % 4] * vscale;
    long s = 0;
    for (int i = 0; i < n; i++)
        s += vout[i] ^ i;
    printf("s=%ld\n", s);
    return 0;
}
