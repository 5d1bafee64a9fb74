/* A program built from an install prefix by weftcc: a parallel loop with a
 * reduction, plus the user API from weft.h. */
#include <stdio.h>
#include <weft.h>

int main(void)
{
    long n = 100000, s = 0;
#pragma omp parallel for reduction(+: s)
    for (long i = 0; i < n; i++)
        s += i % 10;
    printf("s=%ld procs_ok=%d\n", s, weft_num_procs() >= 1);
    return 0;
}
