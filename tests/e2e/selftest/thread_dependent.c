/* This file handles the harness's own check: it prints the team size, which
 * differs between thread counts, so run-e2e.sh must report a failure (the
 * ctest is registered WILL_FAIL). It proves that a wrong parallel result
 * cannot pass unnoticed. */
#include <stdio.h>
#ifdef _OPENMP
#include <omp.h>
#endif

int main(void)
{
    int team[64] = {0};
#pragma omp parallel for
    for (int i = 0; i < 64; i++) {
#ifdef _OPENMP
        team[i] = omp_get_num_threads();
#else
        team[i] = 1;
#endif
    }
    printf("team=%d\n", team[63]);
    return 0;
}
