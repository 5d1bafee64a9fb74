/* This file handles loop variables of every integer type: int, long,
 * unsigned, unsigned long, size_t, long long, char, signed char, unsigned
 * char, short and unsigned short, declared in the loop header. */
#include <stdio.h>
#include <stddef.h>

static long out[1000];

static unsigned long sum_out(void)
{
    unsigned long h = 0;
    for (int i = 0; i < 1000; i++) {
        h = h * 31 + (unsigned long)out[i];
        out[i] = 0;
    }
    return h;
}

int main(void)
{
#pragma omp parallel for
    for (int i = 0; i < 1000; i++)
        out[i] = i;
    printf("int %lu\n", sum_out());
#pragma omp parallel for
    for (long i = 10; i < 1000; i++)
        out[i] = i * 2;
    printf("long %lu\n", sum_out());
#pragma omp parallel for
    for (unsigned i = 0; i < 1000u; i += 3)
        out[i] = (long)i * 3;
    printf("unsigned %lu\n", sum_out());
#pragma omp parallel for
    for (unsigned long i = 999; i > 0; i--)
        out[i] = (long)i * 5;
    printf("unsigned long %lu\n", sum_out());
#pragma omp parallel for
    for (size_t i = 0; i < 1000; i += 2)
        out[i] = (long)i + 7;
    printf("size_t %lu\n", sum_out());
#pragma omp parallel for
    for (long long i = 500; i < 1000; i++)
        out[i] = (long)(i - 499);
    printf("long long %lu\n", sum_out());
#pragma omp parallel for
    for (char c = 'a'; c <= 'z'; c++)
        out[(int)c] = c;
    printf("char %lu\n", sum_out());
#pragma omp parallel for
    for (unsigned char c = 0; c < 255; c++)
        out[c] = c * 3;
    printf("unsigned char %lu\n", sum_out());
#pragma omp parallel for
    for (short s = -400; s < 500; s += 7)
        out[s + 400] = s;
    printf("short %lu\n", sum_out());
#pragma omp parallel for
    for (unsigned short s = 999; s >= 10; s -= 9)
        out[s] = s;
    printf("unsigned short %lu\n", sum_out());
    return 0;
}
