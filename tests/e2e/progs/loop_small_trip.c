/* This file handles loops with one iteration and with fewer iterations than
 * threads, under each schedule, with reductions and lastprivate. */
#include <stdio.h>

int main(void)
{
    int out[8] = {0};
    long s = 0;
    int last = 0;

#pragma omp parallel for
    for (int i = 0; i < 1; i++)
        out[i] = 11;
#pragma omp parallel for schedule(dynamic) reduction(+: s)
    for (int i = 0; i < 2; i++)
        s += i + 1;
#pragma omp parallel for schedule(guided) lastprivate(last)
    for (int i = 0; i < 3; i++) {
        out[i + 1] += i * 10;
        last = i;
    }
#pragma omp parallel for schedule(static, 4)
    for (int i = 7; i > 4; i--)
        out[i] = i;
#pragma omp parallel for num_threads(8) reduction(+: s)
    for (int i = 0; i < 3; i++)
        s += 100;
#pragma omp parallel for collapse(2) reduction(+: s)
    for (int i = 0; i < 1; i++)
        for (int j = 0; j < 2; j++)
            s += 1000 * (j + 1);
    printf("out=%d %d %d %d %d %d %d %d s=%ld last=%d\n", out[0], out[1],
           out[2], out[3], out[4], out[5], out[6], out[7], s, last);
    return 0;
}
