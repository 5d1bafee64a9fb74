/* This file handles the clauses of `sections` in a region and of
 * `parallel sections`: lastprivate (the value of the lexically last
 * section reaches the variable the region shares, and after the region the
 * user's variable), reduction with several operators, firstprivate,
 * private, and nowait followed by a barrier. */
#include <stdio.h>

struct acc {
    int n;
    double w;
};

int main(void)
{
    int last = -1, base = 100, tmp = 0, seen[4] = {0, 0, 0, 0};
    long sum = 0, prod = 1;
    int mx = 0;
    struct acc a = {0, 0.0};
    double after = 0;
#pragma omp parallel
    {
#pragma omp sections lastprivate(last, a) firstprivate(base) \
    reduction(+:sum) reduction(*:prod) reduction(max:mx) private(tmp)
        {
#pragma omp section
            {
                tmp = base + 1;
                last = 1;
                a.n = 1;
                sum += tmp;
                prod *= 2;
                mx = mx > 3 ? mx : 3;
                seen[0]++;
            }
#pragma omp section
            {
                tmp = base + 2;
                last = 2;
                a.n = 2;
                sum += tmp;
                prod *= 3;
                mx = mx > 9 ? mx : 9;
                seen[1]++;
            }
#pragma omp section
            {
                tmp = base + 3;
                last = 3;
                a.n = 3;
                a.w = 2.5;
                sum += tmp;
                prod *= 5;
                mx = mx > 4 ? mx : 4;
                seen[2]++;
            }
        }
        /* after the implied barrier every thread sees the last section's
         * values in the region's variables */
#pragma omp atomic
        after += last * 0.5 + a.n * 0.25;
#pragma omp sections nowait
        {
            /* Two sections may run at once on different threads: both
             * update seen[3], so atomically (plain += raced under TSan). */
#pragma omp section
            {
#pragma omp atomic
                seen[3] += 10;
            }
#pragma omp section
            {
#pragma omp atomic
                seen[3] += 1;
            }
        }
#pragma omp barrier
    }
    printf("last=%d a={%d,%.1f} base=%d sum=%ld prod=%ld max=%d seen=%d,%d,%d,%d\n",
           last, a.n, a.w, base, sum, prod, mx, seen[0], seen[1], seen[2],
           seen[3]);
    (void)after;

    /* parallel sections: lastprivate straight to the user's variable */
    int who = 0;
    long total = 0;
#pragma omp parallel sections lastprivate(who) reduction(+:total) num_threads(2)
    {
        who = 10;
        total += 1;
#pragma omp section
        {
            who = 20;
            total += 2;
        }
#pragma omp section
        {
            who = 30;
            total += 4;
        }
#pragma omp section
        {
            who = 40;
            total += 8;
        }
    }
    printf("parallel sections: who=%d total=%ld\n", who, total);
    return 0;
}
