/* This file handles the cluster sample: a Monte Carlo estimate of pi and of
 * the mean of a heavy per-point kernel, as one weft cluster loop. Each
 * iteration draws its own points from a counter-based generator seeded by
 * the iteration number, so any machine can run any chunk and the result
 * does not depend on who ran what. Build and run:
 *   cc -O2 cluster_mc.c -lm && ./a.out              (serial)
 *   weftcc -O2 cluster_mc.c -lm && ./a.out          (every local core)
 *   weftcc -O2 cluster_mc.c -lm && weftrun -n 4 ./a.out   (plus 3 workers)
 * Counts are integers, so every build prints the same lines. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* splitmix64: a good 64-bit mix of a counter. */
static uint64_t mix(uint64_t z) {
    z += 0x9e3779b97f4a7c15ull;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

int main(int argc, char **argv) {
    long batches = argc > 1 ? atol(argv[1]) : 4000;
    const int per_batch = 2000;
    long *hits = malloc((size_t)batches * sizeof *hits);
    if (!hits)
        return 1;
    long long inside = 0;
#pragma weft parallel for cluster map(from: hits[b]) reduction(+: inside) schedule(dynamic, 16)
    for (long b = 0; b < batches; b++) {
        long h = 0;
        for (int k = 0; k < per_batch; k++) {
            uint64_t r = mix((uint64_t)b * (uint64_t)per_batch + (uint64_t)k);
            uint64_t x = r >> 40, y = (r >> 16) & 0xffffff;
            /* Inside the quarter circle of radius 2^24. */
            if (x * x + y * y < (1ull << 48))
                h++;
        }
        hits[b] = h;
        inside += h;
    }
    long most = 0;
    for (long b = 0; b < batches; b++)
        if (hits[b] > most)
            most = hits[b];
    long long total = (long long)batches * per_batch;
    printf("points %lld inside %lld pi ~ %.6f busiest batch %ld\n", total,
           inside, 4.0 * (double)inside / (double)total, most);
    free(hits);
    return 0;
}
