/* This file handles lastprivate on loops that run zero times: there is no
 * sequentially last iteration, so the original variables keep their
 * values, as in the serial program. */
// E2E-OMPCC: clang (gcc 12 -fopenmp copies an undefined private value back when a lastprivate loop has no iterations)
#include <stdio.h>

int main(int argc, char **argv)
{
    (void)argv;
    int n = argc - 1;
    int last = -3;
    long l2 = 77;
    int lastv = 0;

#pragma omp parallel for lastprivate(last)
    for (int i = 5; i <= 4; i++)
        last = i;
#pragma omp parallel for lastprivate(l2) schedule(dynamic)
    for (int i = 0; i < n; i++)
        l2 = i;
#pragma omp parallel for lastprivate(lastv)
    for (int i = 0; i < n + 3; i++)
        lastv = i * 10;
    printf("last=%d l2=%ld lastv=%d\n", last, l2, lastv);
    return 0;
}
