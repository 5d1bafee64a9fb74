/* This file handles reduction(&&) and reduction(||), each in a case that
 * comes out true and one that comes out false. */
#include <stdio.h>

int main(void)
{
    enum { N = 50000 };
    static int a[N];
    int n = N;
    for (int i = 0; i < n; i++)
        a[i] = i % 1000;

    int all_small = 1, all_pos = 1, any_big = 0, any_neg = 0;
#pragma omp parallel for reduction(&&: all_small, all_pos)
    for (int i = 0; i < n; i++) {
        all_small = all_small && a[i] < 1000;
        all_pos = all_pos && a[i] > 0;
    }
#pragma omp parallel for reduction(||: any_big) reduction(||: any_neg)
    for (int i = 0; i < n; i++) {
        any_big = any_big || a[i] == 999;
        any_neg = any_neg || a[i] < 0;
    }
    printf("all_small=%d all_pos=%d any_big=%d any_neg=%d\n", all_small,
           all_pos, any_big, any_neg);
    return 0;
}
