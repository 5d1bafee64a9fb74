/* This file handles proc_bind(primary), the OpenMP 5.1 name of
 * proc_bind(master), which libclang 14 does not know (gcc 12 does). */
#include <stdio.h>

int main(void)
{
    enum { N = 20000 };
    static int a[N];
    int n = N;
    long s = 0;
#pragma omp parallel for proc_bind(primary)
    for (int i = 0; i < n; i++)
        a[i] = i % 321;
#pragma omp parallel for proc_bind(primary) reduction(+: s)
    for (int i = 0; i < n; i++)
        s += a[i];
    printf("s=%ld\n", s);
    return 0;
}
