/* This file handles a weft-bench test program that compiles serial but not
 * under -fopenmp: weft-bench must report that variant's compiler output and
 * still measure the others. */
#include <stdio.h>

#ifdef _OPENMP
#error "weft_bench_openmp_marker: this build is meant to fail"
#endif

int main(void) {
    printf("serial build works\n");
    return 0;
}
