/* This file handles code that asks for the thread number and team size
 * through omp_get_thread_num() and omp_get_num_threads(), guarded by
 * #ifdef _OPENMP; the printed results do not depend on the thread count:
 * only checks that the values are consistent. */
#include <stdio.h>
#ifdef _OPENMP
#include <omp.h>
#endif

int main(void)
{
    enum { N = 1000 };
    static int tid[N], nth[N];
    int n = N;
#pragma omp parallel for schedule(static)
    for (int i = 0; i < n; i++) {
#ifdef _OPENMP
        tid[i] = omp_get_thread_num();
        nth[i] = omp_get_num_threads();
#else
        tid[i] = 0;
        nth[i] = 1;
#endif
    }
    int bad = 0;
    int used = 0;
    for (int i = 0; i < n; i++) {
        if (nth[i] != nth[0] || tid[i] < 0 || tid[i] >= nth[i])
            bad++;
        /* static schedule: thread numbers never decrease along i */
        if (i > 0 && tid[i] < tid[i - 1])
            bad++;
        if (tid[i] > used)
            used = tid[i];
    }
    int max_threads = 1;
#ifdef _OPENMP
    max_threads = omp_get_max_threads();
#endif
    printf("bad=%d team_ok=%d\n", bad,
           nth[0] >= 1 && nth[0] <= max_threads && used < nth[0]);
    return 0;
}
