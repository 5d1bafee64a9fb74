/* This file handles a translate + compile + run test: every accepted clause and spelling:
 * schedules with modifiers, num_threads, if, proc_bind, nowait,
 * default(none) with shared/firstprivate, `#pragma weft`, _Pragma in a
 * macro and in code, and a pragma split over continuation lines. */
#include <stdio.h>

#define PFOR _Pragma("omp parallel for schedule(static, 4)")
#define SCALE(x) ((x) * 2)

static int use_threads(void) { return 2; }

int main(void)
{
    int n = 500;
    long r[500];
    int flag = 1;
    #pragma omp parallel for schedule(monotonic: dynamic, 16) num_threads(use_threads()) if(parallel: flag) proc_bind(close) nowait
    for (int i = 0; i < n; i++)
        r[i] = i;
    #pragma omp parallel for schedule(nonmonotonic: guided, 8) if(0) proc_bind(spread)
    for (int i = 0; i < n; i += 2)
        r[i] += 1;
    #pragma weft parallel for \
        schedule(static) \
        default(none) shared(r) firstprivate(n)
    for (int i = 0; i < n; i++)
        r[i] = SCALE(r[i]);
    PFOR
    for (int i = 0; i < n; i++)
        r[i] += 3;
    _Pragma("omp parallel for schedule(auto)")
    for (int i = 0; i < n; i++)
        r[i] -= 1;
    long s = 0;
    for (int i = 0; i < n; i++)
        s += r[i] * (i % 5);
    printf("clauses %ld\n", s);
    return 0;
}
