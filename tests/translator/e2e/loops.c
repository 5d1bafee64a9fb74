/* This file handles a translate + compile + run test: loop forms (unsigned, negative steps, !=,
 * pointers, char, steps > 1, reversed tests), nested loops in the body,
 * loops in static and recursive functions, several loops in a function,
 * continue and inner break, goto inside the body. */
#include <stdio.h>

#define N 1000

static int a[N];

static long fib_sum(int depth, int n)
{
    long part[16] = {0};
    if (depth == 0)
        return n;
    #pragma omp parallel for
    for (int i = 0; i < 16; i++)
        part[i] = (i * depth) % 5;
    long s = 0;
    for (int i = 0; i < 16; i++)
        s += part[i];
    return s + fib_sum(depth - 1, n + 1);
}

int main(void)
{
    long out[N];
    unsigned int u;
    #pragma omp parallel for
    for (u = 0; u < N; u += 3)
        a[u] = (int)u * 2;
    #pragma omp parallel for
    for (int i = N - 1; i >= 0; i--)
        out[i] = a[i] + i;
    long s1 = 0;
    for (int i = 0; i < N; i++)
        s1 += out[i];
    printf("unsigned/negative %ld\n", s1);

    #pragma omp parallel for
    for (long i = 10; i != 910; i += 20)
        out[i] = -i;
    #pragma omp parallel for
    for (long i = 900; N > i; i++)
        out[i] = 2 * i;
    long s2 = 0;
    for (int i = 0; i < N; i++)
        s2 += out[i];
    printf("ne/reversed %ld\n", s2);

    double buf[256];
    double *end = buf + 256;
    #pragma omp parallel for
    for (double *p = buf; p < end; p++)
        *p = (double)(p - buf) / 2;
    #pragma omp parallel for
    for (double *p = end - 1; p >= buf; p -= 2)
        *p += 1;
    double s3 = 0;
    for (int i = 0; i < 256; i++)
        s3 += buf[i];
    printf("pointer %.1f\n", s3);

    int hist[128] = {0};
    #pragma omp parallel for
    for (signed char c = 0; c < 100; c++)
        hist[c] = c * 3;
    #pragma omp parallel for
    for (unsigned short k = 200; k > 100; k = k - 1)
        hist[k - 100] += 1;
    long s4 = 0;
    for (int i = 0; i < 128; i++)
        s4 += hist[i] * (i + 1);
    printf("char/short %ld\n", s4);

    long tri[100];
    #pragma omp parallel for
    for (int i = 0; i < 100; i++) {
        long t = 0;
        for (int j = 0; j <= i; j++) {
            if (j % 7 == 3)
                continue;
            if (j > 90)
                break;
            t += j;
        }
        switch (i % 3) {
        case 0: t *= 2; break;
        default: break;
        }
        if (i % 2)
            goto odd;
        tri[i] = t;
        continue;
    odd:
        tri[i] = -t;
    }
    long s5 = 0;
    for (int i = 0; i < 100; i++)
        s5 += tri[i];
    printf("nested %ld\n", s5);
    printf("recursive %ld\n", fib_sum(4, 0));
    return 0;
}
