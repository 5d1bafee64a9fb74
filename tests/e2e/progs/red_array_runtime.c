/* This file handles array-section reductions whose length is a runtime
 * expression, on a heap array and a VLA, and a section that starts at a
 * non-zero offset (elements outside it are not reduced and keep their
 * values). */
#include <stdio.h>
#include <stdlib.h>

static void run(int nb, int n)
{
    long *h = calloc((size_t)nb, sizeof *h);
    double v[nb + 4];
    for (int b = 0; b < nb + 4; b++)
        v[b] = b;
#pragma omp parallel for reduction(+: h[0:nb])
    for (int i = 0; i < n; i++)
        h[(i * 7) % nb] += i % 5;
#pragma omp parallel for reduction(+: v[2:nb])
    for (int i = 0; i < n; i++)
        v[2 + i % nb] += 0.25;
    long s = 0;
    unsigned long hh = 0;
    for (int b = 0; b < nb; b++) {
        s += h[b];
        hh = hh * 31 + (unsigned long)h[b];
    }
    double vs = 0;
    for (int b = 0; b < nb + 4; b++)
        vs += v[b] * (b + 1);
    printf("nb=%d sum=%ld hash=%lu v0=%g v1=%g vlast=%g vs=%.17g\n", nb, s,
           hh, v[0], v[1], v[nb + 3], vs);
    free(h);
}

int main(int argc, char **argv)
{
    (void)argv;
    run(10 + argc, 50000);
    run(1000 + argc, 123456);
    run(1, 100);
    return 0;
}
