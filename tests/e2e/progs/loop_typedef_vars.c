/* This file handles loop variables whose types are typedefs: a local
 * typedef, ptrdiff_t, int64_t, uint32_t, uint8_t and int16_t. */
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>

static long out[3000];

static unsigned long take(void)
{
    unsigned long h = 11;
    for (int i = 0; i < 3000; i++) {
        h = h * 37 + (unsigned long)out[i];
        out[i] = 0;
    }
    return h;
}

int main(void)
{
    typedef int idx_t;
#pragma omp parallel for
    for (idx_t i = 0; i < 3000; i += 2)
        out[i] = i;
    printf("idx_t %lu\n", take());
#pragma omp parallel for
    for (ptrdiff_t i = 2999; i >= 0; i -= 3)
        out[i] = (long)i * 2;
    printf("ptrdiff_t %lu\n", take());
#pragma omp parallel for
    for (int64_t i = -1000; i < 2000; i++)
        out[i + 1000] = (long)i;
    printf("int64_t %lu\n", take());
#pragma omp parallel for
    for (uint32_t i = 10; i < 3000u; i += 10)
        out[i] = (long)i * 7;
    printf("uint32_t %lu\n", take());
#pragma omp parallel for
    for (uint8_t i = 250; i > 5; i--)
        out[i] = i;
    printf("uint8_t %lu\n", take());
#pragma omp parallel for
    for (int16_t i = -1500; i < 1500; i += 11)
        out[i + 1500] = i;
    printf("int16_t %lu\n", take());
    return 0;
}
