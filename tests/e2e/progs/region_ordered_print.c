/* This file handles `ordered` inside `for ordered` loops of a region: the
 * ordered blocks print in iteration order whatever the schedule (static
 * with chunk 1, dynamic, guided, nowait), also when some iterations skip
 * their ordered block, while the unordered part of each iteration runs in
 * parallel; a running value built inside the ordered blocks (a
 * non-commutative combination) shows any reordering. */
#include <stdio.h>

static unsigned long mix(unsigned long h, int i)
{
    return h * 31 + (unsigned long)i;
}

int main(void)
{
    enum { N = 40 };
    unsigned long h1 = 7, h2 = 7, h3 = 7;
    static double work[N];
#pragma omp parallel
    {
#pragma omp for ordered schedule(static, 1)
        for (int i = 0; i < N; i++) {
            work[i] = i * 0.5; /* unordered part */
#pragma omp ordered
            {
                printf("%d%c", i, i % 10 == 9 ? '\n' : ' ');
                h1 = mix(h1, i);
            }
        }
#pragma omp for ordered schedule(dynamic, 3) nowait
        for (int i = 0; i < N; i++) {
            if (i % 3 == 0)
                continue; /* no ordered block in this iteration */
#pragma omp ordered
            h2 = mix(h2, i);
        }
#pragma omp barrier
#pragma omp for ordered schedule(guided, 2)
        for (int i = N - 1; i >= 0; i -= 2) {
            double w = work[i] * 2;
#pragma omp ordered
            {
                printf("[%d]", (int)w);
                h3 = mix(h3, (int)w);
            }
        }
#pragma omp single
        printf("\n");
    }
    printf("h1=%lu h2=%lu h3=%lu\n", h1, h2, h3);
    return 0;
}
