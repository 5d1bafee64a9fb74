/* This file handles serial loops nested inside the parallel loop's body
 * (a matrix product and a triangular loop whose bounds depend on the outer
 * variable), and a parallel loop whose body has its own inner variables
 * named like outer ones. */
#include <stdio.h>

enum { N = 120 };
static double A[N][N], B[N][N], C[N][N];

int main(void)
{
    int n = N;
    int j = 12345;
    for (int i = 0; i < n; i++)
        for (int k = 0; k < n; k++) {
            A[i][k] = (i + k) % 5;
            B[i][k] = (i * k) % 3;
        }
#pragma omp parallel for
    for (int i = 0; i < n; i++)
        for (int jj = 0; jj < n; jj++) {
            double s = 0;
            for (int k = 0; k < n; k++)
                s += A[i][k] * B[k][jj];
            C[i][jj] = s;
        }
    long tri = 0;
#pragma omp parallel for reduction(+: tri) schedule(dynamic, 3)
    for (int i = 0; i < n; i++) {
        for (int j = 0; j <= i; j++)
            tri += (long)C[i][j];
    }
    double s = 0;
    for (int i = 0; i < n; i++)
        for (int k = 0; k < n; k++)
            s += C[i][k] * (i + 1);
    printf("s=%.17g tri=%ld j=%d\n", s, tri, j);
    return 0;
}
