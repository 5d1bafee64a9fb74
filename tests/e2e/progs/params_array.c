/* This file handles parameters declared with array syntax, which C adjusts
 * to pointers: `const int a[]`, `int b[n]` (a VLA parameter), `double
 * c[static 4]` and a 2-D `double m[][cols]` (a pointer to VLA rows). */
#include <stdio.h>

static long dot(int n, const int a[], const int b[n])
{
    long s = 0;
#pragma omp parallel for reduction(+: s)
    for (int i = 0; i < n; i++)
        s += (long)a[i] * b[i];
    return s;
}

static void scale4(int n, double c[static 4], double k)
{
#pragma omp parallel for
    for (int i = 0; i < n; i++)
        c[i] *= k;
}

static double rows(int r, int cols, double m[][cols])
{
    double s = 0;
#pragma omp parallel for reduction(+: s)
    for (int i = 0; i < r; i++)
        for (int j = 0; j < cols; j++)
            s += m[i][j] * (j + 1);
    return s;
}

int main(void)
{
    enum { N = 10000 };
    static int a[N], b[N];
    static double c[N];
    static double m[50][30];
    for (int i = 0; i < N; i++) {
        a[i] = i % 10;
        b[i] = i % 7 - 3;
        c[i] = i % 4;
    }
    for (int i = 0; i < 50; i++)
        for (int j = 0; j < 30; j++)
            m[i][j] = i - j;
    scale4(N, c, 0.5);
    double cs = 0;
    for (int i = 0; i < N; i++)
        cs += c[i];
    printf("dot=%ld cs=%g rows=%g\n", dot(N, a, b), cs, rows(50, 30, m));
    return 0;
}
