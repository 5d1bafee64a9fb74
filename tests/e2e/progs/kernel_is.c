/* This file handles a NAS IS-like kernel: integer keys ranked by a bucket
 * sort. Each thread counts its static share of the keys into its own row
 * of a per-thread histogram (found through omp_get_thread_num), a prefix
 * sum over (bucket, thread) gives every thread its own write offsets, and
 * a second loop with the same static schedule scatters the keys: OpenMP
 * guarantees both loops give each thread the same iterations, which the
 * offsets rely on. Then each bucket is ranked by counting (dynamic
 * schedule: buckets differ in size) and the result is verified.
 *
 * Deterministic output: integers only. */
#include <stdio.h>
#include <stdlib.h>
#ifdef _OPENMP
#include <omp.h>
#else
#define omp_get_thread_num() 0
#define omp_get_num_threads() 1
#define omp_get_max_threads() 1
#endif

#define TOTAL_KEYS (1 << 18)
#define MAX_KEY (1 << 14)
#define NUM_BUCKETS (1 << 8)
#define SHIFT 6 /* log2(MAX_KEY / NUM_BUCKETS) */
#define MAX_THREADS 64

static int key_array[TOTAL_KEYS], key_buff2[TOTAL_KEYS];
static int sorted[TOTAL_KEYS];
static int bucket_size[MAX_THREADS][NUM_BUCKETS];
static int bucket_ptrs[MAX_THREADS][NUM_BUCKETS];
static int bucket_start[NUM_BUCKETS + 1];
static int key_count[MAX_KEY];

/* NAS-style keys: the sum of four uniforms, so the distribution is
 * bell-shaped and the buckets are uneven. */
static void create_seq(void) {
    unsigned long long s = 314159265ULL;
    int i, j;
    long k;
    for (i = 0; i < TOTAL_KEYS; i++) {
        k = 0;
        for (j = 0; j < 4; j++) {
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            k += (long)(s >> 33) % (MAX_KEY / 4);
        }
        key_array[i] = (int)k;
    }
}

int main(void) {
    int i, k, b, t, nthr, myid, num_threads, errors;
    long checksum;
    int *work_buff;
    double t0;

    create_seq();
    nthr = omp_get_max_threads();
    if (nthr > MAX_THREADS) {
        printf("too many threads\n");
        return 1;
    }
    t0 = 0.0;
#ifdef _OPENMP
    t0 = omp_get_wtime();
#endif
    num_threads = 1;

#pragma omp parallel private(i, k, b, t, myid, work_buff)
    {
        myid = omp_get_thread_num();
#pragma omp single
        num_threads = omp_get_num_threads();
        work_buff = bucket_size[myid];
        for (b = 0; b < NUM_BUCKETS; b++)
            work_buff[b] = 0;

#pragma omp for schedule(static)
        for (i = 0; i < TOTAL_KEYS; i++)
            work_buff[key_array[i] >> SHIFT]++;

            /* offsets: bucket b's block starts after the buckets below it,
             * and thread t's part of it after threads 0..t-1 */
#pragma omp single
        {
            bucket_start[0] = 0;
            for (b = 0; b < NUM_BUCKETS; b++) {
                k = bucket_start[b];
                for (t = 0; t < num_threads; t++) {
                    bucket_ptrs[t][b] = k;
                    k += bucket_size[t][b];
                }
                bucket_start[b + 1] = k;
            }
        }

#pragma omp for schedule(static)
        for (i = 0; i < TOTAL_KEYS; i++) {
            k = key_array[i];
            key_buff2[bucket_ptrs[myid][k >> SHIFT]++] = k;
        }

        /* rank within each bucket by counting its keys */
#pragma omp for schedule(dynamic, 4)
        for (b = 0; b < NUM_BUCKETS; b++) {
            int lo = b << SHIFT, hi = (b + 1) << SHIFT, pos;
            for (k = lo; k < hi; k++)
                key_count[k] = 0;
            for (i = bucket_start[b]; i < bucket_start[b + 1]; i++)
                key_count[key_buff2[i]]++;
            pos = bucket_start[b];
            for (k = lo; k < hi; k++)
                while (key_count[k]-- > 0)
                    sorted[pos++] = k;
        }
    }

#ifdef _OPENMP
    t0 = omp_get_wtime() - t0;
#endif
    (void)t0;
    (void)num_threads;

    errors = 0;
    checksum = 0;
#pragma omp parallel for reduction(+ : errors, checksum)
    for (i = 0; i < TOTAL_KEYS; i++) {
        if (i > 0 && sorted[i - 1] > sorted[i])
            errors++;
        checksum += (long)sorted[i] * (i % 1000 + 1);
    }
    printf("IS: keys=%d buckets=%d errors=%d\n", TOTAL_KEYS, NUM_BUCKETS,
           errors);
    printf("IS: checksum=%ld\n", checksum);
    printf("IS: median=%d min=%d max=%d\n", sorted[TOTAL_KEYS / 2], sorted[0],
           sorted[TOTAL_KEYS - 1]);
    for (b = 0; b < NUM_BUCKETS; b += 51)
        printf("IS: bucket %d holds %d keys\n", b,
               bucket_start[b + 1] - bucket_start[b]);
    return 0;
}
