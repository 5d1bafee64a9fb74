/* This file handles the numerical integration of 4/(1+x^2) over [0,1] (pi)
 * in each style of the OpenMP tutorials, in the way old C codes are written
 * (an old-style function definition, `register` locals, a macro for the
 * integrand): SPMD with cyclic manual partitioning by thread number into a
 * padded per-thread array (against false sharing), SPMD with a private
 * partial added in a critical section, the same with an atomic, a
 * worksharing loop with a reduction, and the same in an old-style function
 * with the loop bound and step as parameters.
 *
 * Deterministic output: the partial sums are rounded differently per thread
 * count, so pi is printed to 8 decimals, far above that rounding. */
#include <stdio.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#define NUM_STEPS 400000
#define MAX_THREADS 64
#define PAD 8 /* doubles per 64-byte line */
#define F(x) (4.0 / (1.0 + (x) * (x)))

static double sum_padded[MAX_THREADS][PAD];

/* Old-style (K&R) definition, still valid C11. */
static double integrate_old(n, step)
long n;
double step;
{
    register long i;
    double x, sum = 0.0;
#pragma omp parallel for private(x) reduction(+ : sum) schedule(static)
    for (i = 0; i < n; i++) {
        x = (i + 0.5) * step;
        sum += F(x);
    }
    return step * sum;
}

int main(void) {
    int i, nthreads;
    double x, pi, sum, step, pi_spmd, pi_crit, pi_atomic, pi_red, pi_old, t0;

    step = 1.0 / (double)NUM_STEPS;
    nthreads = 1;
    t0 = 0.0;
#ifdef _OPENMP
    t0 = omp_get_wtime();
    omp_set_num_threads(omp_get_max_threads() > MAX_THREADS
                            ? MAX_THREADS
                            : omp_get_max_threads());
#endif

#pragma omp parallel
    {
        register int k;
        int id, nthrds;
        double xx;
#ifdef _OPENMP
        id = omp_get_thread_num();
        nthrds = omp_get_num_threads();
#else
        id = 0;
        nthrds = 1;
#endif
        if (id == 0)
            nthreads = nthrds;
        sum_padded[id][0] = 0.0;
        for (k = id; k < NUM_STEPS; k += nthrds) {
            xx = (k + 0.5) * step;
            sum_padded[id][0] += F(xx);
        }
    }
    pi = 0.0;
    for (i = 0; i < nthreads; i++)
        pi += sum_padded[i][0] * step;
    pi_spmd = pi;

    pi = 0.0;
#pragma omp parallel private(x, sum)
    {
        int id = 0, nthrds = 1, k, istart, iend;
#ifdef _OPENMP
        id = omp_get_thread_num();
        nthrds = omp_get_num_threads();
#endif
        /* block partition */
        istart = (int)((long)id * NUM_STEPS / nthrds);
        iend = (int)((long)(id + 1) * NUM_STEPS / nthrds);
        sum = 0.0;
        for (k = istart; k < iend; k++) {
            x = (k + 0.5) * step;
            sum += F(x);
        }
#pragma omp critical
        pi += sum * step;
    }
    pi_crit = pi;

    pi = 0.0;
#pragma omp parallel private(x, sum)
    {
        int k;
        sum = 0.0;
#pragma omp for schedule(static, 1000)
        for (k = 0; k < NUM_STEPS; k++) {
            x = (k + 0.5) * step;
            sum += F(x);
        }
        sum *= step;
#pragma omp atomic
        pi += sum;
    }
    pi_atomic = pi;

    sum = 0.0;
#pragma omp parallel for private(x) reduction(+ : sum)
    for (i = 0; i < NUM_STEPS; i++) {
        x = (i + 0.5) * step;
        sum = sum + F(x);
    }
    pi_red = step * sum;

    pi_old = integrate_old((long)NUM_STEPS, step);

#ifdef _OPENMP
    t0 = omp_get_wtime() - t0;
#endif
    (void)t0;
    printf("pi spmd     %.8f\n", pi_spmd);
    printf("pi critical %.8f\n", pi_crit);
    printf("pi atomic   %.8f\n", pi_atomic);
    printf("pi reduce   %.8f\n", pi_red);
    printf("pi old-c    %.8f\n", pi_old);
    return 0;
}
