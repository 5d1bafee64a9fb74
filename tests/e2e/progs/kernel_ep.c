/* This file handles a NAS EP-like kernel ("embarrassingly parallel"):
 * Gaussian pairs by the polar method from a portable multiplicative LCG
 * whose seed for each batch is found by skip-ahead (so any partition of the
 * batches draws the same numbers), counts of pairs per square annulus in a
 * per-thread array merged in a critical section, and sums of the
 * deviates through a several-variable reduction.
 *
 * Deterministic output: each deviate is rounded to a multiple of 2^-24
 * before it is summed, so every partial sum is exact in a double and the
 * reduction gives the same bits whatever the thread count or order. */
#include <math.h>
#include <stdio.h>
#ifdef _OPENMP
#include <omp.h>
#endif
// E2E-LIBS: -lm

#define MK 12 /* log2 of pairs per batch */
#define MM 8  /* log2 of batches */
#define NK (1 << MK)
#define NN (1 << MM)
#define NQ 10
#define LCG_A 6364136223846793005ULL

typedef unsigned long long u64;

static u64 lcg_pow(u64 a, u64 e) {
    u64 r = 1;
    while (e) {
        if (e & 1)
            r *= a;
        a *= a;
        e >>= 1;
    }
    return r;
}

/* One uniform deviate in (0,1) from the top 53 bits; advances *s. */
static double randlc(u64 *s) {
    *s *= LCG_A;
    return ((double)(*s >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

static double quantize(double v) { return ldexp(rint(ldexp(v, 24)), -24); }

int main(void) {
    double sx, sy, tm, t1, t2, x1, x2, tt;
    double q[NQ], qq[NQ];
    long gc, npairs;
    int i, k, l, nthreads;
    u64 seed, s, ak;

    seed = 271828183ULL * 2 + 1;
    ak = lcg_pow(LCG_A, 2 * (u64)NK);
    sx = 0.0;
    sy = 0.0;
    npairs = 0;
    nthreads = 1;
    for (i = 0; i < NQ; i++)
        q[i] = 0.0;

    tm = 0.0;
#ifdef _OPENMP
    tm = omp_get_wtime();
#endif

#pragma omp parallel default(shared) private(k, i, l, s, t1, t2, x1, x2, tt, qq)
    {
        for (i = 0; i < NQ; i++)
            qq[i] = 0.0;

#pragma omp for reduction(+ : sx, sy, npairs) schedule(static) nowait
        for (k = 0; k < NN; k++) {
            /* seed of batch k: seed * A^(2*NK*k), by skip-ahead */
            s = seed * lcg_pow(ak, (u64)k);
            for (i = 0; i < NK; i++) {
                x1 = 2.0 * randlc(&s) - 1.0;
                x2 = 2.0 * randlc(&s) - 1.0;
                t1 = x1 * x1 + x2 * x2;
                if (t1 <= 1.0 && t1 > 0.0) {
                    t2 = sqrt(-2.0 * log(t1) / t1);
                    t1 = quantize(x1 * t2);
                    t2 = quantize(x2 * t2);
                    tt = fabs(t1) > fabs(t2) ? fabs(t1) : fabs(t2);
                    l = (int)tt;
                    if (l >= NQ)
                        l = NQ - 1;
                    qq[l] += 1.0;
                    sx += t1;
                    sy += t2;
                    npairs++;
                }
            }
        }

#pragma omp critical
        {
            for (i = 0; i < NQ; i++)
                q[i] += qq[i];
        }
#ifdef _OPENMP
#pragma omp master
        nthreads = omp_get_num_threads();
#endif
    }

#ifdef _OPENMP
    tm = omp_get_wtime() - tm;
#endif
    (void)tm;
    (void)nthreads;

    gc = 0;
    for (i = 0; i < NQ; i++)
        gc += (long)q[i];
    printf("EP: pairs=%d accepted=%ld counted=%ld\n", NK * NN, npairs, gc);
    printf("EP: sx=%.7f sy=%.7f\n", sx, sy);
    for (i = 0; i < NQ; i++)
        printf("EP: q[%d]=%.0f\n", i, q[i]);
    return 0;
}
