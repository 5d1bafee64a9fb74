/* This file handles a k-means clustering kernel in the shape of Rodinia's
 * OpenMP kmeans: each iteration assigns every point to its nearest centre
 * in a worksharing loop with a reduction on the number of changed
 * memberships, accumulating per-thread partial centre sums in rows of
 * arrays allocated for omp_get_max_threads() threads (indexed by
 * omp_get_thread_num()), which are merged into the new centres in a
 * critical section; the loop stops when few points change or after a
 * maximum number of iterations.
 *
 * Deterministic output: coordinates are integers and centres are integer
 * means (sums divided with integer division), so every distance and every
 * centre is exact; ties between equally distant centres go to the lower
 * index. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#else
#define omp_get_thread_num() 0
#define omp_get_max_threads() 1
#endif

#define NPTS 30000
#define NDIM 4
#define NCLUST 6
#define MAXITER 40

static int feature[NPTS][NDIM];
static int membership[NPTS];

int main(void) {
    int i, j, k, n, loop, delta, nthreads, index, converged;
    long(*partial_sum)[NCLUST][NDIM];
    long(*partial_len)[NCLUST];
    long new_sum[NCLUST][NDIM], new_len[NCLUST];
    long centre[NCLUST][NDIM];
    long checksum;
    unsigned long long s = 0x853c49e6748fea9bULL;
    double t0;

    /* points around NCLUST hidden centres */
    for (i = 0; i < NPTS; i++) {
        int c = i % NCLUST;
        for (j = 0; j < NDIM; j++) {
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            feature[i][j] =
                (c * 37 + j * 11) % 100 * 10 + (int)((s >> 40) % 301) - 150;
        }
        membership[i] = -1;
    }
    for (k = 0; k < NCLUST; k++)
        for (j = 0; j < NDIM; j++)
            centre[k][j] = feature[k * NCLUST][j];

    nthreads = omp_get_max_threads();
    partial_sum = calloc((size_t)nthreads, sizeof *partial_sum);
    partial_len = calloc((size_t)nthreads, sizeof *partial_len);
    if (!partial_sum || !partial_len) {
        perror("calloc");
        return 1;
    }

    t0 = 0.0;
#ifdef _OPENMP
    t0 = omp_get_wtime();
#endif
    loop = 0;
    converged = 0;
    do {
        delta = 0;
        memset(new_sum, 0, sizeof new_sum);
        memset(new_len, 0, sizeof new_len);
#pragma omp parallel shared(feature, membership, centre, partial_sum,          \
                            partial_len, new_sum,                              \
                            new_len) private(i, j, k, index)
        {
            int tid = omp_get_thread_num();
            for (k = 0; k < NCLUST; k++) {
                partial_len[tid][k] = 0;
                for (j = 0; j < NDIM; j++)
                    partial_sum[tid][k][j] = 0;
            }
#pragma omp for schedule(static) reduction(+ : delta)
            for (i = 0; i < NPTS; i++) {
                long best = -1, dd;
                index = 0;
                for (k = 0; k < NCLUST; k++) {
                    dd = 0;
                    for (j = 0; j < NDIM; j++)
                        dd += (feature[i][j] - centre[k][j]) *
                              (feature[i][j] - centre[k][j]);
                    if (best < 0 || dd < best) {
                        best = dd;
                        index = k;
                    }
                }
                if (membership[i] != index)
                    delta++;
                membership[i] = index;
                partial_len[tid][index]++;
                for (j = 0; j < NDIM; j++)
                    partial_sum[tid][index][j] += feature[i][j];
            }
#pragma omp critical
            {
                for (k = 0; k < NCLUST; k++) {
                    new_len[k] += partial_len[tid][k];
                    for (j = 0; j < NDIM; j++)
                        new_sum[k][j] += partial_sum[tid][k][j];
                }
            }
        }
        for (k = 0; k < NCLUST; k++)
            if (new_len[k] > 0)
                for (j = 0; j < NDIM; j++)
                    centre[k][j] = new_sum[k][j] / new_len[k];
        loop++;
        if (delta < NPTS / 1000)
            converged = 1;
    } while (!converged && loop < MAXITER);
#ifdef _OPENMP
    t0 = omp_get_wtime() - t0;
#endif
    (void)t0;

    printf("kmeans: %d points, %d clusters, %d iterations, %s\n", NPTS, NCLUST,
           loop, converged ? "converged" : "not converged");
    checksum = 0;
    for (k = 0; k < NCLUST; k++) {
        n = 0;
        for (i = 0; i < NPTS; i++)
            n += membership[i] == k;
        printf("cluster %d: %5d points, centre (%ld, %ld, %ld, %ld)\n", k, n,
               centre[k][0], centre[k][1], centre[k][2], centre[k][3]);
        checksum += (long)n * (k + 1);
    }
    printf("kmeans: checksum %ld\n", checksum);
    free(partial_sum);
    free(partial_len);
    return 0;
}
