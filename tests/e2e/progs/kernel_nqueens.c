/* This file handles an N-queens solution count in the shape of the BOTS
 * nqueens kernel: a task per candidate column at each level above a depth
 * cut-off, each task working on its own copy of the partial board (a VLA
 * copied from the parent's board, passed to the task as a pointer to the
 * parent's array and copied inside it, which the parent's taskwait keeps
 * alive), solutions counted in a threadprivate counter that each thread
 * adds to the shared total in a critical section at the end of the region,
 * and a second count with per-level results through shared variables.
 *
 * Deterministic output: integers only. */
#include <stdio.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#define CUTOFF 3

static int mycount;
#pragma omp threadprivate(mycount)

static int ok(int n, const char *a) {
    int i, j;
    char p, q;
    for (i = 0; i < n; i++) {
        p = a[i];
        for (j = i + 1; j < n; j++) {
            q = a[j];
            if (q == p || q == p - (j - i) || q == p + (j - i))
                return 0;
        }
    }
    return 1;
}

static void nqueens_tp(int n, int j, const char *a, int depth) {
    int i;
    if (n == j) {
        mycount++;
        return;
    }
    for (i = 0; i < n; i++) {
#pragma omp task untied firstprivate(i) if (depth < CUTOFF)
        {
            char b[n];
            memcpy(b, a, (size_t)j);
            b[j] = (char)i;
            if (ok(j + 1, b))
                nqueens_tp(n, j + 1, b, depth + 1);
        }
    }
#pragma omp taskwait
}

/* Same search, results returned through per-column shared counters. */
static long nqueens_ret(int n, int j, const char *a, int depth) {
    long csols[32], total = 0;
    int i;
    if (n == j)
        return 1;
    for (i = 0; i < n; i++) {
        csols[i] = 0;
#pragma omp task shared(csols) firstprivate(i) if (depth < CUTOFF)
        {
            char b[n];
            memcpy(b, a, (size_t)j);
            b[j] = (char)i;
            if (ok(j + 1, b))
                csols[i] = nqueens_ret(n, j + 1, b, depth + 1);
        }
    }
#pragma omp taskwait
    for (i = 0; i < n; i++)
        total += csols[i];
    return total;
}

int main(void) {
    int n, total;
    long ret;
    double t0;
    char board[1];

    for (n = 4; n <= 9; n++) {
        total = 0;
        t0 = 0.0;
#ifdef _OPENMP
        t0 = omp_get_wtime();
#endif
#pragma omp parallel shared(total, n, board)
        {
            mycount = 0;
#pragma omp single
            nqueens_tp(n, 0, board, 0);
#pragma omp critical
            total += mycount;
        }
        ret = 0;
#pragma omp parallel
        {
#pragma omp single
            ret = nqueens_ret(n, 0, board, 0);
        }
#ifdef _OPENMP
        t0 = omp_get_wtime() - t0;
#endif
        (void)t0;
        printf("queens(%d): %d solutions (threadprivate), %ld (returned)\n", n,
               total, ret);
    }
    return 0;
}
