/* This file handles flush: a producer (the single thread that takes the
 * first single) publishes data and then a flag; the other threads wait for
 * the flag with atomic reads and a flush, then read the data. */
#include <stdio.h>

int main(void)
{
    int data = 0, ready = 0, bad = 0;
#pragma omp parallel reduction(|:bad)
    {
#pragma omp single nowait
        {
            data = 42;
#pragma omp flush
#pragma omp atomic write
            ready = 1;
        }
        int r = 0;
        while (!r) {
#pragma omp atomic read
            r = ready;
        }
#pragma omp flush
        int d;
#pragma omp atomic read
        d = data;
        bad |= d != 42;
    }
    printf("data=%d ready=%d bad=%d\n", data, ready, bad);
    return 0;
}
