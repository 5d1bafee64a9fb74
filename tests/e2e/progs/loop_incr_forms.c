/* This file handles every increment form of a canonical loop: i++, ++i,
 * i--, --i, i += k, i -= k, i = i + k, i = k + i and i = i - k, with
 * constant and variable k. */
#include <stdio.h>

enum { N = 3000 };
static int a[N];

static unsigned long take(void)
{
    unsigned long h = 3;
    for (int i = 0; i < N; i++) {
        h = h * 33 + (unsigned)a[i];
        a[i] = 0;
    }
    return h;
}

int main(void)
{
    int n = N, k = 7;
#pragma omp parallel for
    for (int i = 0; i < n; i++)
        a[i] = i;
    printf("i++ %lu\n", take());
#pragma omp parallel for
    for (int i = 0; i < n; ++i)
        a[i] = 2 * i;
    printf("++i %lu\n", take());
#pragma omp parallel for
    for (int i = n - 1; i >= 0; i--)
        a[i] = 3 * i;
    printf("i-- %lu\n", take());
#pragma omp parallel for
    for (int i = n - 1; i >= 0; --i)
        a[i] = 4 * i;
    printf("--i %lu\n", take());
#pragma omp parallel for
    for (int i = 1; i < n; i += k)
        a[i] = 5 * i;
    printf("+= k %lu\n", take());
#pragma omp parallel for
    for (int i = n - 2; i >= 0; i -= 4)
        a[i] = 6 * i;
    printf("-= 4 %lu\n", take());
#pragma omp parallel for
    for (int i = 0; i < n; i = i + 5)
        a[i] = 7 * i;
    printf("i = i + 5 %lu\n", take());
#pragma omp parallel for
    for (int i = 2; i < n; i = k + i)
        a[i] = 8 * i;
    printf("i = k + i %lu\n", take());
#pragma omp parallel for
    for (int i = n - 1; i > 0; i = i - k)
        a[i] = 9 * i;
    printf("i = i - k %lu\n", take());
    return 0;
}
