/* This file handles loop bounds and steps given by expressions: struct
 * members, array elements, pointer dereferences, function results and
 * casts, all free of side effects and evaluated once before the loop. */
#include <stdio.h>

struct range {
    int lo, hi, step;
};

static int limit(int v)
{
    return v * 2 + 1;
}

int main(void)
{
    enum { N = 5000 };
    static long a[N];
    struct range r = {5, 4000, 3};
    struct range *pr = &r;
    int bounds[2] = {100, 4900};
    const int *pb = bounds;
    long s = 0;

#pragma omp parallel for
    for (int i = r.lo; i < r.hi; i += r.step)
        a[i] += i;
#pragma omp parallel for
    for (int i = pr->hi; i > pr->lo; i -= pr->step + 1)
        a[i] += 2 * i;
#pragma omp parallel for
    for (int i = bounds[0]; i <= *(pb + 1); i++)
        a[i] += 3;
#pragma omp parallel for
    for (long i = (long)limit(10); i < (long)limit(2000); i += (long)sizeof(int))
        a[i] -= 1;
#pragma omp parallel for reduction(+: s)
    for (int i = 0; i < (int)(sizeof a / sizeof a[0]); i++)
        s += a[i] * (i % 7 + 1);
    printf("s=%ld\n", s);
    return 0;
}
