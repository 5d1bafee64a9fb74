/* This file handles a weft-bench test program that fails on request:
 * "always" makes every build exit 7, "parallel" only the builds that define
 * _OPENMP, each after a message on stderr that weft-bench must show. */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "";
    int parallel = 0;
#ifdef _OPENMP
    parallel = 1;
#endif
    if (strcmp(mode, "always") == 0 ||
        (strcmp(mode, "parallel") == 0 && parallel)) {
        fprintf(stderr, "weft_bench_failure_marker: asked to fail\n");
        return 7;
    }
    printf("ok\n");
    return 0;
}
