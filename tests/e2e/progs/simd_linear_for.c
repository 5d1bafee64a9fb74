/* This file handles linear on `parallel for simd`, which weft refuses
 * with an error (each thread's private copy would have to start at
 * var_orig + k * step): the serial and gcc -fopenmp builds still agree. */
// E2E-WEFT-REJECTS: 'linear' clause on '#pragma omp parallel for simd' is not supported yet
#include <stdio.h>

int main(void)
{
    int b[100];
    int k = 100;
#pragma omp parallel for simd linear(k : 3)
    for (int i = 0; i < 100; i++) {
        b[i] = k;
        k += 3;
    }
    printf("k %d b %d %d\n", k, b[0], b[99]);
    return 0;
}
