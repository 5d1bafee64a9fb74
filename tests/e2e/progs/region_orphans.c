/* This file handles orphaned constructs: `for` (with reduction, lastprivate
 * and nowait), `single` (with copyprivate), `barrier`, `critical`,
 * and `master` in functions that bind to whatever team calls
 * them: called from a region they share the work among its threads, and
 * called outside any region they run on a team of one, with the same
 * results; also called from a region inside a loop, twice in a row. */
#include <stdio.h>

enum { N = 2000 };
static int v[N];
static long total, crit, masters, singles;
static int lastidx;

/* Sums v[lo..hi) into total; every thread of the team must call it. The
 * reduction and lastprivate variables are file-scope: shared by the team
 * (a local here would be private to each thread of the region). */
static void sum_range(int lo, int hi)
{
#pragma omp for reduction(+:total) lastprivate(lastidx) schedule(dynamic, 64)
    for (int i = lo; i < hi; i++) {
        total += v[i];
        lastidx = i;
    }
}

static int broadcast(int seed)
{
    int val = -1;
#pragma omp single copyprivate(val)
    {
        val = seed * 7;
        singles++;
    }
    return val;
}

static void phases(int *out)
{
#pragma omp for nowait
    for (int i = 0; i < N; i++)
        v[i] = i % 10;
#pragma omp barrier
#pragma omp for
    for (int i = 0; i < N; i++)
        out[i] = v[(i + 1) % N] + v[(i + N - 1) % N];
#pragma omp critical
    crit += 1;
#pragma omp master
    masters++;
}

static void report(const char *where, const int *out)
{
    long o = 0;
    for (int i = 0; i < N; i++)
        o += out[i] * (i % 7);
    printf("%s: total=%ld last=%d out=%ld\n", where, total, lastidx, o);
}

int main(void)
{
    static int out[N];
    int bc_bad = 0;
    /* from a region */
#pragma omp parallel reduction(|:bc_bad)
    {
        phases(out);
        sum_range(0, N);
        sum_range(N / 2, N);
        bc_bad |= broadcast(6) != 42;
    }
    long crit_in = crit, masters_in = masters;
    report("region", out);
    /* outside any region: a team of one */
    total = 0;
    crit = masters = 0;
    phases(out);
    sum_range(0, N);
    sum_range(N / 2, N);
    bc_bad |= broadcast(3) != 21;
    report("alone", out);
    /* from a region, in a loop */
    total = 0;
#pragma omp parallel
    for (int r = 0; r < 4; r++)
        sum_range(r * 100, r * 100 + 150);
    printf("loop: total=%ld last=%d singles=%ld crit-in-region=%d masters=%ld,%ld "
           "crit-alone=%ld bc_bad=%d\n",
           total, lastidx, singles, crit_in > 0, masters_in, masters, crit,
           bc_bad);
    return 0;
}
