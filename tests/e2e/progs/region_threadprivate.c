/* This file handles threadprivate variables: copyin gives each thread the
 * primary thread's value at region start; each thread's copy persists
 * between regions (same team size: OpenMP keeps it with dynamic off). */
#include <stdio.h>

static int counter = 5;
static double factor;
#pragma omp threadprivate(counter, factor)

int main(void)
{
    int bad = 0, total = 0;
    counter = 10;
    factor = 2.5;
#pragma omp parallel copyin(counter, factor) reduction(|:bad)
    {
        bad |= counter != 10 || factor != 2.5;
        counter += 1;
    }
#pragma omp parallel reduction(+:total)
    total += counter == 11 ? 1 : 0;
#pragma omp parallel copyin(counter) reduction(|:bad)
    bad |= counter != 10;
    printf("bad=%d all-kept=%d primary=%d\n", bad, total > 0, counter);
    return 0;
}
