/* This file handles tasks in a function whose array parameters have
 * variable sizes (`double a[n][n]`): the task copies the decayed pointers,
 * whose types name n, and depend clauses name blocks of them as
 * two-dimensional sections (`c[i:bs][j:bs]`). A blocked matrix product
 * written as tasks, each block of c updated by a chain of tasks that its
 * inout dependence orders, must equal the plain triple loop. */
#include <stdio.h>

// E2E-OMPCC: clang (gcc 12 -fopenmp loses fill's m, a VLA size only types use)

/* The row length m appears only in the types: the task body never names
 * it, yet indexing a[i][j] needs it. */
static void fill(int m, int rows, double a[rows][m], int seed) {
    for (int i = 0; i < rows; i++)
#pragma omp task depend(out : a [i:1] [0:m])
        for (int j = 0; j < 6; j++)
            a[i][j] = (double)((i * 7 + j * 3 + seed) % 11) - 5.0;
}

static void block_product(int n, int bs, double a[n][n], double b[n][n],
                          double c[n][n]) {
    for (int i = 0; i < n; i += bs)
        for (int j = 0; j < n; j += bs)
            for (int k = 0; k < n; k += bs) {
#pragma omp task depend(in                                                     \
                        : a [i:bs] [k:bs], b [k:bs] [j:bs])                    \
    depend(inout                                                               \
           : c [i:bs] [j:bs])
                for (int ii = i; ii < i + bs; ii++)
                    for (int jj = j; jj < j + bs; jj++) {
                        double s = c[ii][jj];
                        for (int kk = k; kk < k + bs; kk++)
                            s += a[ii][kk] * b[kk][jj];
                        c[ii][jj] = s;
                    }
            }
#pragma omp taskwait
}

/* A local VLA shared by tasks, and its size shared and written by the
 * last task: the types keep the size the VLA was declared with. */
static int shared_vla(int n, int m) {
    double g[n][m];
    int total = 0;
    for (int i = 0; i < n; i++)
#pragma omp task shared(g)
        for (int j = 0; j < m; j++)
            g[i][j] = i * 10 + j;
#pragma omp taskwait
#pragma omp task shared(n, total, g)
    {
        for (int i = 0; i < n; i++)
            total += (int)g[i][m - 1];
        n = 0;
    }
#pragma omp taskwait
    return total * 100 + n;
}

int main(void) {
    enum { N = 6, BS = 2 };
    double a[N][N], b[N][N], c[N][N], ref[N][N];
#pragma omp parallel
#pragma omp single
    {
        fill(N, N, a, 1);
        fill(N, N, b, 4);
#pragma omp taskwait
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++)
                c[i][j] = 0.0;
        block_product(N, BS, a, b, c);
        printf("shared_vla=%d\n", shared_vla(5, 3));
    }
    int bad = 0;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            double s = 0.0;
            for (int k = 0; k < N; k++)
                s += a[i][k] * b[k][j];
            ref[i][j] = s;
            bad += ref[i][j] != c[i][j];
        }
    double tr = 0.0;
    for (int i = 0; i < N; i++)
        tr += c[i][i];
    printf("mismatches=%d trace=%.1f c[0][5]=%.1f c[5][0]=%.1f\n", bad, tr,
           c[0][5], c[5][0]);
    return 0;
}
