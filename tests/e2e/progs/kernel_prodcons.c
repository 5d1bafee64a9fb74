/* This file handles the coordination patterns of tutorial and application
 * codes around a small blocked pipeline: a producer/consumer pair in
 * `parallel sections` synchronised by a flag with flush and atomic
 * read/write (the consumer spins), statistics in `parallel sections` with
 * default(none) and lastprivate, a run-time parameter read by one thread
 * and broadcast with single copyprivate, results printed in iteration
 * order from a dynamically scheduled loop with `ordered`, a master block
 * followed by an explicit barrier, and a nested parallel region (inner
 * teams split their block of work by their own thread number, so the
 * result does not depend on whether nesting is active).
 *
 * Deterministic output: integers, and doubles whose sums are exact. */
#include <stdio.h>
#include <stdlib.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#define N 20000
#define NBLK 8

static double A[N];
static long blocksum[NBLK];

static void fill_rand(int n, double *a) {
    int i;
    unsigned int seed = 1u;
    for (i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        a[i] = (double)((seed >> 16) % 100);
    }
}

static double sum_array(int n, const double *a) {
    int i;
    double sum = 0.0;
    for (i = 0; i < n; i++)
        sum += a[i];
    return sum;
}

/* Called from a region: opens a nested one over a block of A. */
static long block_work(int blk) {
    long total = 0;
    int lo = blk * (N / NBLK), hi = lo + N / NBLK;
#pragma omp parallel num_threads(2) reduction(+ : total)
    {
        int me = 0, nt = 1, i;
#ifdef _OPENMP
        me = omp_get_thread_num();
        nt = omp_get_num_threads();
#endif
        for (i = lo + me; i < hi; i += nt)
            total += (long)A[i] * (i % 3 + 1);
    }
    return total;
}

int main(void) {
    double sum = 0.0, runtime;
    int flag = 0, flg_tmp, i, param, b;
    long grand = 0, inorder = 0;
    int mismatches = 0;

    runtime = 0.0;
#ifdef _OPENMP
    runtime = omp_get_wtime();
#endif

#pragma omp parallel sections
    {
#pragma omp section
        {
            fill_rand(N, A);
#pragma omp flush
#pragma omp atomic write
            flag = 1;
#pragma omp flush(flag)
        }
#pragma omp section
        {
            while (1) {
#pragma omp flush(flag)
#pragma omp atomic read
                flg_tmp = flag;
                if (flg_tmp == 1)
                    break;
            }
#pragma omp flush
            sum = sum_array(N, A);
        }
    }
    printf("producer/consumer: sum=%.1f\n", sum);

    /* independent statistics of A, one per section; `stage` ends with the
     * value of the lexically last section */
    {
        double lo = 1e300, hi = -1e300;
        long evens = 0;
        int stage = 0;
#pragma omp parallel sections default(none)                                    \
    shared(A, lo, hi, evens) private(i) lastprivate(stage)
        {
#pragma omp section
            {
                for (i = 0; i < N; i++)
                    lo = A[i] < lo ? A[i] : lo;
                stage = 1;
            }
#pragma omp section
            {
                for (i = 0; i < N; i++)
                    hi = A[i] > hi ? A[i] : hi;
                stage = 2;
            }
#pragma omp section
            {
                for (i = 0; i < N; i++)
                    evens += (long)A[i] % 2 == 0;
                stage = 3;
            }
        }
        printf("sections: min=%.0f max=%.0f evens=%ld last stage=%d\n", lo, hi,
               evens, stage);
    }

    param = 0;
#pragma omp parallel firstprivate(param) private(i, b)                         \
    shared(grand, inorder, blocksum, mismatches)
    {
#pragma omp single copyprivate(param)
        {
            char *env = getenv("KERNEL_PRODCONS_PARAM");
            param = env ? atoi(env) : 7;
        }
        /* every thread has param now */
#pragma omp for schedule(dynamic, 1) ordered
        for (b = 0; b < NBLK; b++) {
            long s = block_work(b) + param;
            blocksum[b] = s;
#pragma omp ordered
            {
                printf("block %d: %ld\n", b, s);
                inorder = inorder * 3 + s % 1000;
            }
        }
#pragma omp master
        {
            for (i = 0; i < NBLK; i++)
                grand += blocksum[i];
        }
#pragma omp barrier
        /* every thread must see the master's total after the barrier */
        {
            long mine = 0;
            for (i = 0; i < NBLK; i++)
                mine += blocksum[i];
            if (mine != grand) {
#pragma omp atomic
                mismatches++;
            }
        }
    }
#ifdef _OPENMP
    runtime = omp_get_wtime() - runtime;
#endif
    (void)runtime;
    printf("grand total %ld, order check %ld, mismatches %d\n", grand, inorder,
           mismatches);
    return 0;
}
