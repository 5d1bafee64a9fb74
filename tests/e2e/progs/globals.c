/* This file handles global variables in the body: an external global
 * array, a static global array, a global scalar read by every iteration, a
 * global reduction variable and a global pointer. */
#include <stdio.h>

enum { N = 20000 };
int g_in[N];
static long s_out[N];
int g_scale = 3;
static long s_total;
long *g_ptr = s_out;
static const int k_off = 17;

int main(void)
{
    int n = N;
#pragma omp parallel for
    for (int i = 0; i < n; i++)
        g_in[i] = (i * 13) % 257;
#pragma omp parallel for
    for (int i = 0; i < n; i++)
        s_out[i] = (long)g_in[i] * g_scale + k_off;
#pragma omp parallel for reduction(+: s_total)
    for (int i = 0; i < n; i++)
        s_total += g_ptr[i];
    g_scale = 5;
#pragma omp parallel for
    for (int i = 0; i < n; i++)
        g_ptr[i] -= g_scale;
    long check = 0;
    for (int i = 0; i < n; i++)
        check += s_out[i] * (i % 5);
    printf("total=%ld check=%ld\n", s_total, check);
    return 0;
}
