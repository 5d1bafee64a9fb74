/* This file handles recursive tasks with dependences: each level splits a
 * range, two child tasks write the halves' results (out), a third task
 * combines them (in on both, out on the level's result) with a step that
 * does not commute, and the level waits for its children. */
#include <stdio.h>

static const unsigned long M = 1000000007UL;

static unsigned long leaf(int lo, int hi)
{
    unsigned long h = 7;
    for (int i = lo; i < hi; i++)
        h = (h * 131 + (unsigned long)i) % M;
    return h;
}

static unsigned long tree(int lo, int hi, int depth)
{
    if (hi - lo <= 50)
        return leaf(lo, hi);
    unsigned long l = 0, r = 0, both = 0;
    int mid = lo + (hi - lo) / 3;
#pragma omp task shared(l) depend(out: l) if(depth < 12)
    l = tree(lo, mid, depth + 1);
#pragma omp task shared(r) depend(out: r) if(depth < 12)
    r = tree(mid, hi, depth + 1);
#pragma omp task shared(l, r, both) depend(in: l, r) depend(out: both)
    both = (l * 1000003 + r) % M;
#pragma omp task shared(both) depend(inout: both)
    both = (both * 3 + (unsigned long)depth) % M;
#pragma omp taskwait
    return both;
}

int main(void)
{
    unsigned long r = 0;
#pragma omp parallel
    {
#pragma omp single
        r = tree(0, 20000, 0);
    }
    printf("tree=%lu\n", r);
    return 0;
}
