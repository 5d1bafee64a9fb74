/* This file handles two dynamic-programming kernels of the Rodinia/textbook
 * kind. Floyd-Warshall all-pairs shortest paths: the k loop runs inside one
 * parallel region and each step's row updates are a worksharing loop (its
 * barrier orders the steps; row k is not changed by step k, so reading it
 * while other rows change is safe). Needleman-Wunsch alignment scores: the
 * score matrix filled by anti-diagonals, each diagonal a parallel for whose
 * bounds depend on the diagonal number, cells of a diagonal independent.
 *
 * Deterministic output: integers only. */
#include <stdio.h>
#include <stdlib.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#define NV 240
#define INF 1000000
#define LEN 900
#define GAP 2

static int dist[NV][NV];
static int score[LEN + 1][LEN + 1];
static char s1[LEN], s2[LEN];

static int max3(int a, int b, int c) {
    int m = a > b ? a : b;
    return m > c ? m : c;
}

int main(void) {
    int i, j, k, d, unreachable, diam;
    long total;
    unsigned int seed = 7u;
    int *rowk;
    double t0;
    static const char alphabet[4] = {'A', 'C', 'G', 'T'};

    for (i = 0; i < NV; i++)
        for (j = 0; j < NV; j++) {
            seed = seed * 1103515245u + 12345u;
            if (i == j)
                dist[i][j] = 0;
            else if ((seed >> 16) % 100 < 4)
                dist[i][j] = 1 + (int)((seed >> 8) % 50);
            else
                dist[i][j] = INF;
        }

    t0 = 0.0;
#ifdef _OPENMP
    t0 = omp_get_wtime();
#endif
#pragma omp parallel default(none) shared(dist) private(i, j, k, rowk)
    for (k = 0; k < NV; k++) {
        rowk = dist[k];
#pragma omp for schedule(static)
        for (i = 0; i < NV; i++) {
            int dik = dist[i][k];
            if (dik == INF)
                continue;
            for (j = 0; j < NV; j++)
                if (rowk[j] != INF && dik + rowk[j] < dist[i][j])
                    dist[i][j] = dik + rowk[j];
        }
    }

    unreachable = 0;
    diam = 0;
    total = 0;
#pragma omp parallel for private(j) reduction(+ : unreachable, total) reduction(max : diam)
    for (i = 0; i < NV; i++)
        for (j = 0; j < NV; j++) {
            if (dist[i][j] == INF) {
                unreachable++;
            } else {
                total += dist[i][j];
                if (dist[i][j] > diam)
                    diam = dist[i][j];
            }
        }
    printf(
        "floyd: n=%d unreachable pairs=%d diameter=%d sum=%ld d[0][n-1]=%d\n",
        NV, unreachable, diam, total, dist[0][NV - 1]);

    /* two related sequences: s2 is s1 with mutations, insertions, deletions */
    for (i = 0; i < LEN; i++) {
        seed = seed * 1103515245u + 12345u;
        s1[i] = alphabet[(seed >> 16) & 3];
    }
    for (i = 0, j = 0; j < LEN; j++) {
        seed = seed * 1103515245u + 12345u;
        switch ((seed >> 16) % 20) {
        case 0:
            s2[j] = alphabet[(seed >> 8) & 3];
            break;
        case 1:
            i += 2;
            s2[j] = s1[i < LEN ? i : LEN - 1];
            break;
        default:
            s2[j] = s1[i < LEN ? i : LEN - 1];
            i++;
        }
    }
    for (i = 0; i <= LEN; i++) {
        score[i][0] = -GAP * i;
        score[0][i] = -GAP * i;
    }
    /* diagonal d holds the cells (i, j) with i + j = d, 1 <= i, j <= LEN */
    for (d = 2; d <= 2 * LEN; d++) {
        int lo = d - LEN > 1 ? d - LEN : 1, hi = d - 1 < LEN ? d - 1 : LEN;
#pragma omp parallel for schedule(static) firstprivate(d) if (hi - lo > 64)
        for (i = lo; i <= hi; i++) {
            int jj = d - i;
            int match = s1[i - 1] == s2[jj - 1] ? 3 : -1;
            score[i][jj] = max3(score[i - 1][jj - 1] + match,
                                score[i - 1][jj] - GAP, score[i][jj - 1] - GAP);
        }
    }
#ifdef _OPENMP
    t0 = omp_get_wtime() - t0;
#endif
    (void)t0;
    total = 0;
#pragma omp parallel for reduction(+ : total) private(j)
    for (i = 0; i <= LEN; i += 7)
        for (j = 0; j <= LEN; j += 11)
            total += score[i][j];
    printf("nw: len=%d score=%d sampled sum=%ld\n", LEN, score[LEN][LEN],
           total);
    return 0;
}
