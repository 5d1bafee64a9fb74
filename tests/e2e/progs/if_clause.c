/* This file handles if(expr): true and false, computed at run time, and the
 * if(parallel: expr) form; results must be the same either way. */
#include <stdio.h>

int main(int argc, char **argv)
{
    (void)argv;
    enum { N = 20000 };
    static long a[N];
    int n = N;
    long s = 0;
    int big = n > 100;
    int never = argc > 100;

#pragma omp parallel for if(big)
    for (int i = 0; i < n; i++)
        a[i] = i;
#pragma omp parallel for if(never) reduction(+: s)
    for (int i = 0; i < n; i++)
        s += a[i];
#pragma omp parallel for if(parallel: n > 10) reduction(+: s)
    for (int i = 0; i < n; i++)
        s += a[i] * 2;
#pragma omp parallel for if(0)
    for (int i = 0; i < n; i++)
        a[i] = -a[i];
    printf("s=%ld a[5]=%ld\n", s, a[5]);
    return 0;
}
