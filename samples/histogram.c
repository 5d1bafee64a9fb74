/* This file handles the histogram sample: it bins a large stream of
 * pseudo-random values with an array-section reduction,
 * reduction(+: hist[0:NB]): every thread counts into its own copy of the
 * bins and the copies are added at the end. Counts are integers, so the
 * result is identical for every thread count.
 *
 * Usage: histogram [N]   (number of values, default 500000000)
 * stdout: the bins' total, the fullest and emptiest bin and a checksum;
 * stderr: the elapsed time. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define NB 256

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* A stateless hash (splitmix64's finaliser): value i of the stream, so any
 * thread can produce any element without shared generator state. */
static unsigned long long mix(unsigned long long z) {
    z += 0x9e3779b97f4a7c15ull;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 500000000L;
    if (n < 0) {
        fprintf(stderr, "usage: %s [N >= 0]\n", argv[0]);
        return 2;
    }
    long hist[NB] = {0};
    double t0 = now();
#pragma omp parallel for reduction(+ : hist [0:NB])
    for (long i = 0; i < n; i++) {
        unsigned long long r = mix((unsigned long long)i);
        /* Sum of two uniform bytes: a triangular distribution. */
        hist[((r & 0xff) + ((r >> 8) & 0xff)) >> 1]++;
    }
    double t1 = now();
    long total = 0, most = 0, least = n;
    unsigned long long check = 0;
    for (int k = 0; k < NB; k++) {
        total += hist[k];
        if (hist[k] > most)
            most = hist[k];
        if (hist[k] < least)
            least = hist[k];
        check = check * 1000003ull + (unsigned long long)hist[k];
    }
    printf("histogram n=%ld: total=%ld max=%ld min=%ld checksum=%llu\n", n,
           total, most, least, check);
    fprintf(stderr, "time: %.3f s\n", t1 - t0);
    return 0;
}
