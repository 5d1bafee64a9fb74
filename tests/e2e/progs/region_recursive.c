/* This file handles parallel regions in recursive functions: a region at
 * every level of a recursion (each level's region ends before the next
 * level starts, so none is nested), and a recursion that calls itself from
 * inside its own region (inner regions nested in outer ones: inactive with
 * the default max-active-levels, so each runs on a team of one), with
 * worksharing, single and reductions at every depth. */
#include <stdio.h>

enum { N = 512 };
static double buf[N];

/* Halves the active range at every level; each level smooths its range in
 * a region, then recurses on the left half. */
static double level_sum(int lo, int hi, int depth)
{
    if (hi - lo < 8)
        return depth;
    double s = 0;
#pragma omp parallel
    {
#pragma omp for reduction(+:s)
        for (int i = lo; i < hi; i++) {
            buf[i] = buf[i] * 0.5 + depth;
            s += buf[i];
        }
    }
    return s + level_sum(lo, lo + (hi - lo) / 2, depth + 1);
}

/* Recursion from inside the region: every team member calls it, so the
 * results are combined with a reduction over the team. */
static long tree(int depth)
{
    if (depth == 0)
        return 1;
    long sub = 0, here = 0;
#pragma omp parallel reduction(+:here)
    {
#pragma omp single
        sub = tree(depth - 1) + tree(depth - 1);
#pragma omp for
        for (int i = 0; i < depth; i++)
            here += i + 1;
    }
    return sub + here;
}

int main(void)
{
    for (int i = 0; i < N; i++)
        buf[i] = i % 16;
    double ls = level_sum(0, N, 1);
    long t = tree(5);
    double b = 0;
    for (int i = 0; i < N; i++)
        b += buf[i] * (i % 5);
    printf("level_sum=%.3f tree=%ld buf=%.3f\n", ls, t, b);
    return 0;
}
