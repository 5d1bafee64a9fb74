/* This file handles lastprivate(): the value from the sequentially last
 * iteration survives the loop, for scalars written in every iteration, for
 * the loop variable declared before the loop, with a non-unit step and a
 * negative step, and together with firstprivate on the same variable (the
 * body reads k only through k / 1000, which every iteration preserves, so
 * the result does not depend on which earlier iterations a thread ran). */
#include <stdio.h>

int main(void)
{
    int n = 10007;
    long last = -1;
    int i;
    double dl = 0;
    int k = 7000;

#pragma omp parallel for lastprivate(last, dl)
    for (i = 0; i < n; i++) {
        last = (long)i * i;
        dl = i * 0.5;
    }
    printf("last=%ld dl=%g\n", last, dl);

#pragma omp parallel for lastprivate(i)
    for (i = 3; i < n; i += 7)
        ;
    printf("i after += 7 loop: %d\n", i);

    int j;
    long jv = 0;
#pragma omp parallel for lastprivate(j, jv)
    for (j = n; j > 0; j -= 3)
        jv = j * 2L;
    printf("j=%d jv=%ld\n", j, jv);

#pragma omp parallel for firstprivate(k) lastprivate(k)
    for (int t = 0; t < 100; t++)
        k = (k / 1000) * 1000 + t;
    printf("k=%d\n", k);
    return 0;
}
