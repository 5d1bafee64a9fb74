/* This file handles a histogram computed four ways, as optimisation
 * tutorials compare them: an atomic increment per sample into the shared
 * bins; a private histogram per thread merged into the shared one in a
 * critical section; per-thread rows of a shared 2-D array (indexed by
 * omp_get_thread_num(), the rows summed by a worksharing loop over the
 * bins); and an array-section reduction. A lock-protected variant updates
 * a shared min/max summary of the samples.
 *
 * Deterministic output: integer bin counts, which all four ways must give
 * exactly. */
#include <stdio.h>
#include <stdlib.h>
#ifdef _OPENMP
#include <omp.h>
#else
#define omp_get_thread_num() 0
#define omp_get_num_threads() 1
#define omp_get_max_threads() 1
#endif

#define NSAMPLES 400000
#define NBINS 64
#define MAXT 64

static unsigned short samples[NSAMPLES];
static long h_atomic[NBINS], h_critical[NBINS], h_rows[NBINS], h_red[NBINS];
static long rows[MAXT][NBINS];

int main(void) {
    long i;
    int b, tid, nthreads, smin, smax, differ;
    long local[NBINS];
    unsigned int x = 12345u;
    double t0;
#ifdef _OPENMP
    omp_lock_t lock;
#endif

    /* a skewed distribution: the sum of two uniforms, squared-ish */
    for (i = 0; i < NSAMPLES; i++) {
        x = x * 1664525u + 1013904223u;
        samples[i] = (unsigned short)((x >> 20) % 2048 + (x >> 8) % 2048);
    }
    if (omp_get_max_threads() > MAXT) {
        printf("too many threads\n");
        return 1;
    }

    t0 = 0.0;
#ifdef _OPENMP
    t0 = omp_get_wtime();
#endif

#pragma omp parallel for schedule(static)
    for (i = 0; i < NSAMPLES; i++) {
#pragma omp atomic
        h_atomic[samples[i] * NBINS / 4096]++;
    }

#pragma omp parallel private(local, b, i)
    {
        for (b = 0; b < NBINS; b++)
            local[b] = 0;
#pragma omp for nowait
        for (i = 0; i < NSAMPLES; i++)
            local[samples[i] * NBINS / 4096]++;
#pragma omp critical(merge)
        for (b = 0; b < NBINS; b++)
            h_critical[b] += local[b];
    }

    nthreads = 1;
#pragma omp parallel default(none)                                             \
    shared(rows, samples, h_rows, nthreads) private(tid, b, i)
    {
        tid = omp_get_thread_num();
#pragma omp single
        nthreads = omp_get_num_threads();
        for (b = 0; b < NBINS; b++)
            rows[tid][b] = 0;
        /* manual block partition of the samples by thread number */
        {
            long chunk = (NSAMPLES + nthreads - 1) / nthreads;
            long lo = tid * chunk,
                 hi = lo + chunk < NSAMPLES ? lo + chunk : NSAMPLES;
            for (i = lo; i < hi; i++)
                rows[tid][samples[i] * NBINS / 4096]++;
        }
#pragma omp barrier
#pragma omp for
        for (b = 0; b < NBINS; b++) {
            int t;
            long s = 0;
            for (t = 0; t < nthreads; t++)
                s += rows[t][b];
            h_rows[b] = s;
        }
    }

#pragma omp parallel for reduction(+ : h_red[:NBINS])
    for (i = 0; i < NSAMPLES; i++)
        h_red[samples[i] * NBINS / 4096]++;

    smin = 1 << 30;
    smax = -1;
#ifdef _OPENMP
    omp_init_lock(&lock);
#endif
#pragma omp parallel private(i)
    {
        int mn = 1 << 30, mx = -1;
#pragma omp for schedule(guided, 1000)
        for (i = 0; i < NSAMPLES; i++) {
            if (samples[i] < mn)
                mn = samples[i];
            if (samples[i] > mx)
                mx = samples[i];
        }
#ifdef _OPENMP
        omp_set_lock(&lock);
#endif
        if (mn < smin)
            smin = mn;
        if (mx > smax)
            smax = mx;
#ifdef _OPENMP
        omp_unset_lock(&lock);
#endif
    }
#ifdef _OPENMP
    omp_destroy_lock(&lock);
    t0 = omp_get_wtime() - t0;
#endif
    (void)t0;

    differ = 0;
    for (b = 0; b < NBINS; b++)
        if (h_atomic[b] != h_critical[b] || h_atomic[b] != h_rows[b] ||
            h_atomic[b] != h_red[b])
            differ++;
    printf("histogram: %d samples, %d bins, %d bins differ between methods\n",
           NSAMPLES, NBINS, differ);
    printf("histogram: min=%d max=%d\n", smin, smax);
    for (b = 0; b < NBINS; b += 8)
        printf("bins %2d-%2d: %6ld %6ld %6ld %6ld %6ld %6ld %6ld %6ld\n", b,
               b + 7, h_atomic[b], h_atomic[b + 1], h_atomic[b + 2],
               h_atomic[b + 3], h_atomic[b + 4], h_atomic[b + 5],
               h_atomic[b + 6], h_atomic[b + 7]);
    return 0;
}
