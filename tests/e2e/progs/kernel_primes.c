/* This file handles prime counting by trial division, the standard example
 * of irregular work (large n cost more than small ones): a parallel for
 * with schedule(dynamic, chunk) and a reduction, the same count with
 * schedule(guided) and with schedule(runtime), the largest prime gap found
 * with a critical section that keeps the gap and where it starts, and
 * per-thread counts merged with an atomic update.
 *
 * Deterministic output: integers only; ties between equal gaps are broken
 * by the smaller start. */
#include <stdio.h>
#ifdef _OPENMP
#include <omp.h>
#endif
// E2E-SCHEDULES: dynamic,7 guided static,100

#define NMAX 120000

static int is_prime(int n) {
    int d;
    if (n < 2)
        return 0;
    if (n % 2 == 0)
        return n == 2;
    for (d = 3; d * d <= n; d += 2)
        if (n % d == 0)
            return 0;
    return 1;
}

static int next_prime(int n) {
    do
        n++;
    while (!is_prime(n));
    return n;
}

int main(void) {
    int n, count_dyn, count_guided, count_rt, count_atomic, local;
    int best_gap, best_start, gap, np, seen;
    long sum_primes;
    double t0;

    t0 = 0.0;
#ifdef _OPENMP
    t0 = omp_get_wtime();
#endif

    count_dyn = 0;
    sum_primes = 0;
#pragma omp parallel for schedule(dynamic, 100) reduction(+ : count_dyn, sum_primes)
    for (n = 2; n <= NMAX; n++)
        if (is_prime(n)) {
            count_dyn++;
            sum_primes += n;
        }

    count_guided = 0;
#pragma omp parallel for schedule(guided) reduction(+ : count_guided)
    for (n = NMAX; n >= 2; n--)
        count_guided += is_prime(n);

    count_rt = 0;
#pragma omp parallel for schedule(runtime) reduction(+ : count_rt)
    for (n = 3; n <= NMAX; n += 2)
        count_rt += is_prime(n);
    count_rt += 1; /* 2 */

    /* largest gap between consecutive primes below NMAX */
    best_gap = 0;
    best_start = 0;
    count_atomic = 0;
#pragma omp parallel private(n, gap, np, local, seen)
    {
        local = 0;
#pragma omp for schedule(dynamic, 256) nowait
        for (n = 2; n < NMAX; n++) {
            if (!is_prime(n))
                continue;
            local++;
            np = next_prime(n);
            gap = np - n;
#pragma omp atomic read
            seen = best_gap;
            if (gap >= seen) {
#pragma omp critical(gapmax)
                {
                    if (gap > best_gap || (gap == best_gap && n < best_start)) {
#pragma omp atomic write
                        best_gap = gap;
                        best_start = n;
                    }
                }
            }
        }
#pragma omp atomic
        count_atomic += local;
    }

#ifdef _OPENMP
    t0 = omp_get_wtime() - t0;
#endif
    (void)t0;
    printf("primes <= %d: dynamic %d guided %d runtime %d atomic %d\n", NMAX,
           count_dyn, count_guided, count_rt, count_atomic);
    printf("sum of primes: %ld\n", sum_primes);
    printf("largest gap below %d: %d after %d\n", NMAX, best_gap, best_start);
    return 0;
}
