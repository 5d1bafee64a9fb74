/* This file handles a weft-bench test program whose -fopenmp builds print
 * the serial output on their first run only: the first run creates a
 * marker file in the working directory and later runs print something
 * else, so weft-bench must check every run's output, not just the first. */
#include <stdio.h>

int main(void) {
    int parallel = 0;
#ifdef _OPENMP
    parallel = 1;
#endif
    FILE *marker = parallel ? fopen("flaky_output.marker", "r") : NULL;
    if (marker) {
        fclose(marker);
        printf("result 41\n");
        return 0;
    }
    if (parallel) {
        marker = fopen("flaky_output.marker", "w");
        if (!marker)
            return 2;
        fclose(marker);
    }
    printf("result 42\n");
    return 0;
}
