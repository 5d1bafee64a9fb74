/* This file handles directives split over several lines with backslash
 * continuations, including a break inside a clause's argument list. */
#include <stdio.h>

int main(void)
{
    enum { N = 11111 };
    static int a[N];
    int n = N;
    long s = 0;
    int mx = 0;

#pragma omp parallel \
    for \
    schedule(dynamic, \
             7)
    for (int i = 0; i < n; i++)
        a[i] = (i * 91) % 1009;

#pragma omp parallel for \
    reduction(+: s) \
    reduction(max: \
              mx) \
    schedule(static)
    for (int i = 0; i < n; i++) {
        s += a[i];
        mx = a[i] > mx ? a[i] : mx;
    }
    printf("s=%ld max=%d\n", s, mx);
    return 0;
}
