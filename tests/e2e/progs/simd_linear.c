/* This file handles linear(var[:step]) on `#pragma omp simd`: the loop
 * runs in order and the body steps the variable by the linear step, as
 * OpenMP requires of a simd loop that changes it (gcc relies on it), so
 * every iteration sees var_orig + k * step and var ends at
 * var_orig + trip * step; pointers and a negative step too. */
#include <stdio.h>

int main(void)
{
    int a[64];
    double src[128], dst[64];
    for (int i = 0; i < 128; i++)
        src[i] = i * 0.5;

    int j = 7;
#pragma omp simd linear(j : 2) safelen(8)
    for (int i = 0; i < 64; i++) {
        a[i] = j * 3;
        j += 2;
    }
    printf("j %d a %d %d\n", j, a[0], a[63]);

    const double *p = src + 1;
#pragma omp simd linear(p : 2) aligned(dst : 8)
    for (int i = 0; i < 64; i++) {
        dst[i] = *p;
        p += 2;
    }
    printf("p %ld dst %.1f %.1f\n", (long)(p - src), dst[0], dst[63]);

    long down = 1000, s = 0;
#pragma omp simd linear(down : -5) reduction(+ : s)
    for (int i = 0; i < 40; i++) {
        s += down;
        down -= 5;
    }
    printf("down %ld s %ld\n", down, s);
    return 0;
}
