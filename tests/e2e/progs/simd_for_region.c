/* This file handles `#pragma omp for simd` inside a parallel region
 * (reduction into a variable the region shares, nowait then an explicit
 * barrier, lastprivate, safelen), a plain simd loop run by every thread on
 * its own slice, and `taskloop simd` from a single thread. */
#include <stdio.h>

#define N 600

int main(void)
{
    static int a[N], b[N], c[N];
    long s = 0, ref = 0;
    int lastv = 0;
    for (int i = 0; i < N; i++) {
        a[i] = i % 23;
        ref += 2 * a[i];
    }

#pragma omp parallel shared(s, lastv)
    {
#pragma omp for simd safelen(8) nowait
        for (int i = 0; i < N; i++)
            b[i] = a[i] * 2;
#pragma omp barrier
#pragma omp for simd reduction(+ : s) lastprivate(lastv) aligned(b) simdlen(4)
        for (int i = 0; i < N; i++) {
            s += b[i];
            lastv = b[i] + i;
        }
        long own = 0;
#pragma omp simd reduction(+ : own)
        for (int i = 0; i < N; i++)
            own += b[i];
#pragma omp critical
        if (own != ref)
            printf("bad own %ld\n", own);
#pragma omp single
        {
#pragma omp taskloop simd grainsize(50) safelen(4)
            for (int i = 0; i < N; i++)
                c[i] = b[i] + 1;
        }
    }
    long sc = 0;
    for (int i = 0; i < N; i++)
        sc += c[i];
    printf("s %ld ref %ld last %d c %ld\n", s, ref, lastv, sc);
    return 0;
}
