/* This file handles a weft-bench test program that does not compile (a
 * missing semicolon), so that weft-bench must stop with the compiler's
 * output: the serial build is required. */
#include <stdio.h>

int main(void) {
    int weft_bench_marker = 1
    printf("%d\n", weft_bench_marker);
    return 0;
}
