/* This file handles pointer loop variables: `for (double *p = a; p < a +
 * n; p++)`, a pointer declared before the loop, a step of 2 elements,
 * a char pointer, a downward pointer loop and a != test. */
#include <stdio.h>

int main(void)
{
    enum { N = 10001 };
    static double a[N];
    static char text[N];
    int n = N;
    double *q;

#pragma omp parallel for
    for (double *p = a; p < a + n; p++)
        *p = (double)(p - a) * 0.5;
#pragma omp parallel for
    for (q = a; q < a + n; q += 2)
        *q += 1.0;
#pragma omp parallel for
    for (char *c = text; c != text + n; c++)
        *c = (char)('a' + (c - text) % 26);
#pragma omp parallel for
    for (double *p = a + n - 1; p >= a; p--)
        *p *= 2.0;
    long s = 0;
#pragma omp parallel for reduction(+: s)
    for (const char *c = text; c < text + n; c += 3)
        s += *c;
    double ds = 0;
    for (int i = 0; i < n; i++)
        ds += a[i];
    printf("ds=%.17g s=%ld text=%.10s\n", ds, s, text + 5);
    return 0;
}
