/* This file handles `for` inside a parallel region with every schedule
 * (static, static with a chunk, dynamic, guided, auto, runtime) and the
 * properties OpenMP promises: each iteration runs exactly once; static
 * gives each thread one contiguous block, in thread order; static with a
 * chunk deals chunks round-robin; dynamic hands out whole chunks; guided
 * chunks are at least the chunk size (except the last). Violations are
 * counted and printed, so a wrong schedule changes the output. */
#include <stdio.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#else
static int omp_get_thread_num(void) { return 0; }
static int omp_get_num_threads(void) { return 1; }
#endif
// E2E-SCHEDULES: static dynamic,5 guided,3 auto

enum { N = 1003, CH = 7 };
static int hits[N], owner[N];

/* Every iteration ran exactly once; clears the counts. */
static int once(void)
{
    int bad = 0;
    for (int i = 0; i < N; i++)
        bad += hits[i] != 1;
    memset(hits, 0, sizeof hits);
    return bad;
}

/* Runs of consecutive iterations with one owner shorter than min_run,
 * not counting the run that ends the loop. */
static int short_runs(int min_run)
{
    int bad = 0, start = 0;
    for (int i = 1; i <= N; i++)
        if (i == N || owner[i] != owner[i - 1]) {
            if (i < N && i - start < min_run)
                bad++;
            start = i;
        }
    return bad;
}

int main(void)
{
    long sum = 0;
    int nth = 1, bad_static = 0, bad_chunk = 0, bad_dyn = 0, bad_guided = 0;
    int miss[6];
#pragma omp parallel reduction(+:sum)
    {
        int t = omp_get_thread_num();
#pragma omp single
        nth = omp_get_num_threads();
#pragma omp for schedule(static)
        for (int i = 0; i < N; i++) {
            hits[i]++;
            owner[i] = t;
            sum += i;
        }
#pragma omp single
        {
            /* one block per thread, blocks in thread order */
            for (int i = 1; i < N; i++)
                bad_static += owner[i] < owner[i - 1];
            miss[0] = once();
        }
#pragma omp for schedule(static, CH)
        for (int i = 0; i < N; i++) {
            hits[i]++;
            owner[i] = t;
            sum += 2 * i;
        }
#pragma omp single
        {
            for (int i = 0; i < N; i++)
                bad_chunk += owner[i] != (i / CH) % nth;
            miss[1] = once();
        }
#pragma omp for schedule(dynamic, CH)
        for (int i = 0; i < N; i++) {
            hits[i]++;
            owner[i] = t;
            sum += 3 * i;
        }
#pragma omp single
        {
            /* a thread's chunks are aligned blocks of CH iterations */
            for (int i = 0; i < N; i++)
                bad_dyn += owner[i] != owner[i - i % CH];
            miss[2] = once();
        }
#pragma omp for schedule(guided, CH)
        for (int i = 0; i < N; i++) {
            hits[i]++;
            owner[i] = t;
            sum += 4 * i;
        }
#pragma omp single
        {
            bad_guided = short_runs(CH);
            miss[3] = once();
        }
#pragma omp for schedule(auto)
        for (int i = 0; i < N; i++) {
            hits[i]++;
            sum += 5 * i;
        }
#pragma omp single
        miss[4] = once();
#pragma omp for schedule(runtime)
        for (int i = 0; i < N; i++) {
            hits[i]++;
            sum += 6 * i;
        }
#pragma omp single
        miss[5] = once();
    }
    printf("sum=%ld (expect %ld)\n", sum, 21L * N * (N - 1) / 2);
    printf("each once: static=%d chunk=%d dynamic=%d guided=%d auto=%d "
           "runtime=%d\n",
           miss[0], miss[1], miss[2], miss[3], miss[4], miss[5]);
    printf("static blocks in order: %d; static,%d round-robin: %d; dynamic "
           "chunks whole: %d; guided runs >= chunk: %d\n",
           bad_static, CH, bad_chunk, bad_dyn, bad_guided);
    return 0;
}
