/* This file handles `continue` in the body (also inside a nested serial
 * loop, where it belongs to that loop), and a goto to a label that stays
 * inside the body. */
#include <stdio.h>

int main(void)
{
    enum { N = 30000 };
    static int a[N];
    int n = N;
    long s = 0;
#pragma omp parallel for reduction(+: s)
    for (int i = 0; i < n; i++) {
        if (i % 3 == 0)
            continue;
        for (int k = 0; k < 5; k++) {
            if (k == 2)
                continue;
            s += k;
        }
        if (i % 5 == 0)
            goto skip;
        a[i] = i;
        s += i;
    skip:
        a[i] += 1;
    }
    long t = 0;
    for (int i = 0; i < n; i++)
        t += a[i];
    printf("s=%ld t=%ld\n", s, t);
    return 0;
}
