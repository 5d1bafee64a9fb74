/* This file handles orphaned worksharing: `for` (with a reduction into a
 * file-scope variable) in a function called from a region, and the same
 * function called outside any region, where its team is the caller alone. */
#include <stdio.h>

static double total;
static int hist[8];

static void accumulate(const int *v, int n)
{
#pragma omp for reduction(+:total)
    for (int i = 0; i < n; i++)
        total += v[i] * 0.5;
#pragma omp for
    for (int k = 0; k < 8; k++)
        hist[k] += k * n;
}

int main(void)
{
    enum { N = 3000 };
    static int v[N];
    for (int i = 0; i < N; i++)
        v[i] = i % 101;
#pragma omp parallel
    accumulate(v, N);
    printf("in region: total=%.1f hist7=%d\n", total, hist[7]);
    accumulate(v, N / 2);
    printf("outside: total=%.1f hist7=%d\n", total, hist[7]);
#pragma omp parallel
    {
        accumulate(v, 10);
        accumulate(v, 20);
    }
    printf("twice: total=%.1f hist3=%d\n", total, hist[3]);
    return 0;
}
