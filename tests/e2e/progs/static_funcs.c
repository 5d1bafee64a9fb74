/* This file handles parallel loops in static functions, in a static inline
 * function, in a function with internal-linkage helpers called from the
 * body, and in two functions with loops of the same shape. */
#include <stdio.h>

static int sq(int v)
{
    return v * v;
}

static inline long fill(int *a, int n)
{
    long s = 0;
#pragma omp parallel for reduction(+: s)
    for (int i = 0; i < n; i++) {
        a[i] = sq(i % 50);
        s += a[i];
    }
    return s;
}

static long again(int *a, int n)
{
    long s = 0;
#pragma omp parallel for reduction(+: s)
    for (int i = 0; i < n; i++) {
        a[i] = sq(i % 30) + 1;
        s += a[i];
    }
    return s;
}

int main(void)
{
    static int a[6000];
    long s1 = fill(a, 6000);
    long s2 = again(a, 5000);
    long s3 = fill(a + 10, 100);
    printf("%ld %ld %ld a[4000]=%d a[5500]=%d\n", s1, s2, s3, a[4000],
           a[5500]);
    return 0;
}
