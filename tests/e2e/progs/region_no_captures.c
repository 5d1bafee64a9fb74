/* This file handles a parallel region whose body captures no variable of
 * the enclosing function: it only uses its own locals and calls functions
 * (the capture block is then empty). The output does not depend on the
 * thread count: each thread adds its number once, the sum is checked
 * against n*(n-1)/2 computed from the team size. */
#include <stdio.h>
#ifdef _OPENMP
#include <omp.h>
#endif

static long total;
static int team;

static void add(int t, int n)
{
#pragma omp atomic
    total += t;
#pragma omp single
    team = n;
}

int main(void)
{
#pragma omp parallel
    {
        int t = 0, n = 1;
#ifdef _OPENMP
        t = omp_get_thread_num();
        n = omp_get_num_threads();
#endif
        add(t, n);
    }
    printf("consistent=%d\n", total == (long)team * (team - 1) / 2);
    return 0;
}
