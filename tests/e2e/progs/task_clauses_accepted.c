/* This file handles the task clauses weft accepts and lowers: untied
 * (runs tied), mergeable, priority (no effect on the result), if(false)
 * and if(task: ...) (undeferred: done when the construct ends),
 * depend(mutexinoutset) (ordered against in and out like inout), and the
 * same clauses on taskloop. (depend(inoutset) is OpenMP 5.1, which gcc 12
 * does not parse: the translator tests cover it.) */
#include <stdio.h>

static int prio(int p) { return p % 3; }

int main(void)
{
    long acc = 0, set = 1, sum[4] = {0};
    int undeferred_ok = 0;
    static long v[1000];
#pragma omp parallel
#pragma omp single
    {
        for (int t = 0; t < 8; t++) {
#pragma omp task untied mergeable priority(prio(t)) firstprivate(t) shared(sum)
            {
#pragma omp atomic
                sum[t % 4] += t * t;
            }
        }
        int done = 0;
#pragma omp task if(0) shared(done)
        done = 1;
        undeferred_ok += done;
        done = 0;
#pragma omp task if(task: undeferred_ok < 0) shared(done)
        done = 2;
        undeferred_ok += done;
        /* out, then a mutexinoutset set, then in: the in task sees all. */
#pragma omp task depend(out: acc) shared(acc)
        acc = 10;
        for (int k = 1; k <= 5; k++) {
#pragma omp task depend(mutexinoutset: acc) shared(acc) firstprivate(k)
            acc += k;
        }
#pragma omp task depend(in: acc) depend(out: set) shared(acc, set)
        set = acc * 2;
        for (int k = 1; k <= 3; k++) {
#pragma omp task depend(mutexinoutset: set) shared(set) firstprivate(k)
            set += k * 100;
        }
#pragma omp task depend(in: set) shared(set)
        set = set * 3 + 1;
#pragma omp taskloop untied mergeable priority(prio(1)) grainsize(100) shared(v) final(undeferred_ok > 100)
        for (int i = 0; i < 1000; i++)
            v[i] = i % 17;
#pragma omp taskwait
    }
    long s = 0;
    for (int i = 0; i < 1000; i++)
        s += v[i];
    printf("sum=%ld %ld %ld %ld acc=%ld set=%ld undeferred=%d v=%ld\n", sum[0],
           sum[1], sum[2], sum[3], acc, set, undeferred_ok, s);
    return 0;
}
