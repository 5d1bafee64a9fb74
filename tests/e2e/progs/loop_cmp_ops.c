/* This file handles every comparison of a canonical loop test: <, <=, >,
 * >=, and !=, with the variable on the left and on the right of the test. */
#include <stdio.h>

enum { N = 1000 };
static int a[N + 1];

static unsigned long take(void)
{
    unsigned long h = 7;
    for (int i = 0; i <= N; i++) {
        h = h * 131 + (unsigned)a[i];
        a[i] = 0;
    }
    return h;
}

int main(void)
{
    int n = N;
#pragma omp parallel for
    for (int i = 0; i < n; i++)
        a[i] = i + 1;
    printf("< %lu\n", take());
#pragma omp parallel for
    for (int i = 0; i <= n; i++)
        a[i] = i + 2;
    printf("<= %lu\n", take());
#pragma omp parallel for
    for (int i = n; i > 0; i--)
        a[i] = i + 3;
    printf("> %lu\n", take());
#pragma omp parallel for
    for (int i = n; i >= 0; i -= 2)
        a[i] = i + 4;
    printf(">= %lu\n", take());
#pragma omp parallel for
    for (int i = 0; i != n; i++)
        a[i] = i + 5;
    printf("!= up %lu\n", take());
#pragma omp parallel for
    for (int i = n; i != 0; i--)
        a[i] = i + 6;
    printf("!= down %lu\n", take());
#pragma omp parallel for
    for (int i = 0; n > i; i++)
        a[i] = i + 7;
    printf("ub > i %lu\n", take());
#pragma omp parallel for
    for (int i = n; 10 <= i; i--)
        a[i] = i + 8;
    printf("lb <= i %lu\n", take());
    return 0;
}
