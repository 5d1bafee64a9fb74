/* This file handles an array-section reduction with a constant section,
 * reduction(+: hist[0:256]), on a histogram whose buckets every thread
 * touches, and a second constant section on a long array. */
#include <stdio.h>

int main(void)
{
    enum { N = 300000 };
    static unsigned char data[N];
    int n = N;
    for (int i = 0; i < n; i++)
        data[i] = (unsigned char)((i * 2654435761u) >> 24);

    int hist[256] = {0};
    long wsum[4] = {1, 2, 3, 4};
#pragma omp parallel for reduction(+: hist[0:256])
    for (int i = 0; i < n; i++)
        hist[data[i]]++;
#pragma omp parallel for reduction(+: wsum[0:4])
    for (int i = 0; i < n; i++)
        wsum[data[i] & 3] += data[i];

    unsigned long h = 0;
    long total = 0;
    for (int b = 0; b < 256; b++) {
        h = h * 1000003ul + (unsigned long)hist[b];
        total += hist[b];
    }
    printf("total=%ld hash=%lu\n", total, h);
    printf("wsum %ld %ld %ld %ld\n", wsum[0], wsum[1], wsum[2], wsum[3]);
    return 0;
}
