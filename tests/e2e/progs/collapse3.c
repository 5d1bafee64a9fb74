/* This file handles collapse(3): a 3-D fill and a reduction over the
 * collapsed space, with mixed loop-variable types and steps. */
#include <stdio.h>

enum { X = 13, Y = 17, Z = 19 };
static long cube[X][Y][Z];

int main(void)
{
    int nx = X, ny = Y, nz = Z;
    long sum = 0;
#pragma omp parallel for collapse(3) schedule(guided)
    for (int x = 0; x < nx; x++)
        for (long y = 0; y < ny; y++)
            for (unsigned z = 0; z < (unsigned)nz; z++)
                cube[x][y][z] = x * 10000L + y * 100 + (long)z;

#pragma omp parallel for collapse(3) reduction(+: sum)
    for (int x = nx - 1; x >= 0; x--)
        for (int y = 0; y < ny; y += 2)
            for (int z = 1; z <= nz - 1; z += 3)
                sum += cube[x][y][z] * (x + 1);

    unsigned long h = 0;
    for (int x = 0; x < nx; x++)
        for (int y = 0; y < ny; y++)
            for (int z = 0; z < nz; z++)
                h = h * 33 + (unsigned long)cube[x][y][z];
    printf("sum=%ld h=%lu\n", sum, h);
    return 0;
}
