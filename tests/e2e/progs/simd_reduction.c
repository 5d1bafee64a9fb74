/* This file handles `#pragma omp simd` as real codes write it: a dot
 * product with reduction, aligned and safelen in a serial function, a simd
 * inner loop with its own reduction and private variable nested in a
 * parallel for, a simd loop with collapse, and `declare simd` on the
 * functions the loops call. The simd loops run in order, so every sum is
 * exact (integer-valued doubles and integers). */
#include <stdio.h>

#define N 256

#pragma omp declare simd uniform(a) linear(i : 1) notinbranch
static double scaled(const double *a, int i)
{
    return a[i] * 3.0;
}

#pragma omp declare simd simdlen(4)
#pragma omp declare simd simdlen(8) inbranch
static long sq(long x)
{
    return x * x;
}

static double dot(const double *a, const double *b, int n)
{
    double s = 0;
#pragma omp simd reduction(+ : s) aligned(a, b : 16) safelen(16) simdlen(4)
    for (int i = 0; i < n; i++)
        s += a[i] * b[i];
    return s;
}

int main(void)
{
    static double a[N] __attribute__((aligned(64)));
    static double b[N] __attribute__((aligned(64)));
    static long rows[32];
    long grid[16][16];
    for (int i = 0; i < N; i++) {
        a[i] = i % 17;
        b[i] = (i * 7) % 13;
    }
    for (int i = 0; i < 16; i++)
        for (int j = 0; j < 16; j++)
            grid[i][j] = i * 16 + j;

    printf("dot %.1f\n", dot(a, b, N));

#pragma omp parallel for
    for (int r = 0; r < 32; r++) {
        long s = 0, t;
#pragma omp simd reduction(+ : s) private(t) order(concurrent)
        for (int j = 0; j < 64; j++) {
            t = sq(r + j) + (long)scaled(a, j);
            s += t;
        }
        rows[r] = s;
    }
    long total = 0;
    for (int r = 0; r < 32; r++)
        total += rows[r];
    printf("rows %ld %ld %ld\n", rows[0], rows[31], total);

    long m = 0;
#pragma omp simd collapse(2) reduction(max : m) if(simd : N > 8)
    for (int i = 0; i < 16; i++)
        for (int j = 0; j < 16; j++)
            m = grid[i][j] * (i % 3) > m ? grid[i][j] * (i % 3) : m;
    printf("max %ld\n", m);
    return 0;
}
