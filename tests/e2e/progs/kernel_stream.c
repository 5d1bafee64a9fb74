/* This file handles a STREAM-like memory bandwidth kernel written the way
 * the STREAM source is: a STREAM_TYPE macro, arrays with an OFFSET, the
 * thread count found with an atomic increment in a region, the four
 * kernels (copy, scale, add, triad) as parallel for loops timed by
 * omp_get_wtime into a times table that is kept but not printed, a
 * checktick-like timer probe, and the verification that recomputes the
 * expected values serially and counts elements off by more than an
 * epsilon. A macro indexes a 2-D array stored in 1-D (A(i,j)), and a
 * row-sum kernel uses it.
 *
 * Deterministic output: all values are small integers times powers of two,
 * held exactly, so every check is exact. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <sys/types.h>
#ifdef _OPENMP
#include <omp.h>
#endif
// E2E-LIBS: -lm

#ifndef STREAM_ARRAY_SIZE
#define STREAM_ARRAY_SIZE 200000
#endif
#define NTIMES 6
#define OFFSET 0
#ifndef STREAM_TYPE
#define STREAM_TYPE double
#endif
#define MIN(x, y) ((x) < (y) ? (x) : (y))
#define MAX(x, y) ((x) > (y) ? (x) : (y))

#define NR 300
#define NC 200
#define A2(i, j) m[(i)*NC + (j)]

static STREAM_TYPE a[STREAM_ARRAY_SIZE + OFFSET], b[STREAM_ARRAY_SIZE + OFFSET],
    c[STREAM_ARRAY_SIZE + OFFSET];
static double avgtime[4] = {0}, maxtime[4] = {0},
              mintime[4] = {FLT_MAX, FLT_MAX, FLT_MAX, FLT_MAX};
static double m[NR * NC], rowsum[NR];

static double mysecond(void) {
#ifdef _OPENMP
    return omp_get_wtime();
#else
    return 0.0;
#endif
}

static int checktick(void) {
    int i, minDelta, Delta;
    double t1, t2, timesfound[20];
    for (i = 0; i < 20; i++) {
        t1 = mysecond();
        while (((t2 = mysecond()) - t1) < 1.0E-6 && t2 > 0.0)
            ;
        timesfound[i] = t1 = t2;
    }
    minDelta = 1000000;
    for (i = 1; i < 20; i++) {
        Delta = (int)(1.0E6 * (timesfound[i] - timesfound[i - 1]));
        minDelta = MIN(minDelta, MAX(Delta, 0));
    }
    return minDelta;
}

static int check_results(STREAM_TYPE scalar) {
    STREAM_TYPE aj, bj, cj;
    ssize_t j;
    int k, errors = 0;
    aj = 1.0;
    bj = 2.0;
    cj = 0.0;
    aj = 2.0E0 * aj;
    for (k = 0; k < NTIMES; k++) {
        cj = aj;
        bj = scalar * cj;
        cj = aj + bj;
        aj = bj + scalar * cj;
    }
    for (j = 0; j < STREAM_ARRAY_SIZE; j++) {
        if (a[j] != aj * (1 + j % 4))
            errors++;
        if (b[j] != bj * (1 + j % 4))
            errors++;
        if (c[j] != cj * (1 + j % 4))
            errors++;
    }
    return errors;
}

int main(void) {
    int quantum, BytesPerWord, k, i, j;
    ssize_t jj;
    STREAM_TYPE scalar;
    double t, times[4][NTIMES];
    long total;

    BytesPerWord = sizeof(STREAM_TYPE);
    (void)BytesPerWord;
#ifdef _OPENMP
    k = 0;
#pragma omp parallel
#pragma omp atomic
    k++;
    if (k != omp_get_max_threads())
        printf("thread count mismatch: %d vs %d\n", k, omp_get_max_threads());
#endif

#pragma omp parallel for
    for (jj = 0; jj < STREAM_ARRAY_SIZE; jj++) {
        a[jj] = 1.0 * (1 + jj % 4);
        b[jj] = 2.0 * (1 + jj % 4);
        c[jj] = 0.0;
    }
    quantum = checktick();
    (void)quantum;
    t = mysecond();
#pragma omp parallel for
    for (jj = 0; jj < STREAM_ARRAY_SIZE; jj++)
        a[jj] = 2.0E0 * a[jj];
    t = 1.0E6 * (mysecond() - t);
    (void)t;

    scalar = 0.5;
    for (k = 0; k < NTIMES; k++) {
        times[0][k] = mysecond();
#pragma omp parallel for
        for (jj = 0; jj < STREAM_ARRAY_SIZE; jj++)
            c[jj] = a[jj];
        times[0][k] = mysecond() - times[0][k];

        times[1][k] = mysecond();
#pragma omp parallel for
        for (jj = 0; jj < STREAM_ARRAY_SIZE; jj++)
            b[jj] = scalar * c[jj];
        times[1][k] = mysecond() - times[1][k];

        times[2][k] = mysecond();
#pragma omp parallel for
        for (jj = 0; jj < STREAM_ARRAY_SIZE; jj++)
            c[jj] = a[jj] + b[jj];
        times[2][k] = mysecond() - times[2][k];

        times[3][k] = mysecond();
#pragma omp parallel for
        for (jj = 0; jj < STREAM_ARRAY_SIZE; jj++)
            a[jj] = b[jj] + scalar * c[jj];
        times[3][k] = mysecond() - times[3][k];
    }
    for (k = 1; k < NTIMES; k++)
        for (j = 0; j < 4; j++) {
            avgtime[j] = avgtime[j] + times[j][k];
            mintime[j] = MIN(mintime[j], times[j][k]);
            maxtime[j] = MAX(maxtime[j], times[j][k]);
        }

    printf("STREAM: %d elements, %d times, %d errors\n", STREAM_ARRAY_SIZE,
           NTIMES, check_results(scalar));
    printf("STREAM: a[7]=%.6f b[7]=%.6f c[7]=%.6f\n", a[7], b[7], c[7]);

    /* row sums through the indexing macro; each row's sum is exact */
#pragma omp parallel for private(j) schedule(static, 16)
    for (i = 0; i < NR; i++)
        for (j = 0; j < NC; j++)
            A2(i, j) = (double)((i + 1) * (j % 5));
#pragma omp parallel for private(j)
    for (i = 0; i < NR; i++) {
        rowsum[i] = 0.0;
        for (j = 0; j < NC; j++)
            rowsum[i] += A2(i, j);
    }
    total = 0;
#pragma omp parallel for reduction(+ : total)
    for (i = 0; i < NR; i++)
        total += (long)rowsum[i];
    printf("rows: sum of row sums=%ld rowsum[NR-1]=%.1f\n", total,
           rowsum[NR - 1]);
    return 0;
}
