/* This file handles a weft-bench test program whose output depends on
 * _OPENMP, which only the -fopenmp builds define, so weft-bench must report
 * that those builds print something else than the serial build. */
#include <stdio.h>

int main(void) {
    printf("first line is the same\n");
#ifdef _OPENMP
    printf("built with OpenMP %d\n", _OPENMP);
#else
    printf("built serial\n");
#endif
    printf("last line is the same\n");
    return 0;
}
