/* This file handles collapse(2) over rectangular nests: unit steps,
 * non-unit and negative steps, bounds from variables, trip counts that are
 * not multiples of the thread count, and an inner loop of one iteration. */
#include <stdio.h>

enum { R = 61, C = 83 };
static int m[R][C];

int main(void)
{
    int rows = R, cols = C;
#pragma omp parallel for collapse(2)
    for (int i = 0; i < rows; i++)
        for (int j = 0; j < cols; j++)
            m[i][j] = i * 1000 + j;

#pragma omp parallel for collapse(2) schedule(dynamic, 5)
    for (int i = rows - 1; i >= 0; i -= 3)
        for (int j = 1; j < cols; j += 4)
            m[i][j] = -m[i][j];

    long s2 = 0;
#pragma omp parallel for collapse(2) reduction(+: s2)
    for (int i = 0; i < rows; i++)
        for (int j = 5; j < 6; j++)
            s2 += m[i][j];

    long s = 0;
    unsigned long h = 0;
    for (int i = 0; i < rows; i++)
        for (int j = 0; j < cols; j++) {
            s += m[i][j];
            h = h * 31 + (unsigned long)(long)m[i][j];
        }
    printf("s=%ld h=%lu s2=%ld\n", s, h, s2);
    return 0;
}
