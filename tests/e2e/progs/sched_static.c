/* This file handles schedule(static) with no chunk: every element is written
 * exactly once by the team, and the checksum over the array is printed. */
#include <stdio.h>

#define N 100003

static long a[N];

int main(void)
{
    long n = N;
#pragma omp parallel for schedule(static)
    for (long i = 0; i < n; i++)
        a[i] = i * 7 % 1009 - 500;
    long sum = 0;
    unsigned long h = 1469598103934665603ul;
    for (long i = 0; i < n; i++) {
        sum += a[i];
        h = (h ^ (unsigned long)a[i]) * 1099511628211ul;
    }
    printf("static sum=%ld hash=%lu\n", sum, h);
    return 0;
}
