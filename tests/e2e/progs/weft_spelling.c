/* This file handles the `#pragma weft parallel for` spelling with clauses;
 * the serial build and gcc -fopenmp ignore it (gcc warns about an unknown
 * pragma), weftcc runs it in parallel; all must agree. */
#include <stdio.h>

int main(void)
{
    enum { N = 50000 };
    static double x[N];
    int n = N;
    long s = 0;
    int hist[8] = {0};
#pragma weft parallel for schedule(dynamic, 100)
    for (int i = 0; i < n; i++)
        x[i] = (i % 1000) * 0.125;
#pragma weft parallel for reduction(+: s) reduction(+: hist[0:8])
    for (int i = 0; i < n; i++) {
        s += (long)(x[i] * 8);
        hist[i % 8]++;
    }
    long tmp = -1;
#pragma weft parallel for collapse(2) private(tmp)
    for (int i = 0; i < 10; i++)
        for (int j = 0; j < 10; j++) {
            tmp = i * j;
            x[i * 10 + j] = tmp;
        }
    double t = 0;
    for (int i = 0; i < n; i++)
        t += x[i];
    printf("s=%ld hist=%d,%d t=%.17g\n", s, hist[0], hist[7], t);
    return 0;
}
