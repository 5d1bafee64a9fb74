/* This file handles `declare reduction` with the built-in identifiers
 * min, max and + for a struct type, and a brace initializer
 * (`initializer(omp_priv = { ... })`): the loop's struct variables use the
 * declarations, while an int reduced with min in the same loop keeps the
 * built-in operator. */
#include <limits.h>
#include <stdio.h>

struct box {
    int lo, hi;
};

struct acc {
    long sum;
    int count;
};

#pragma omp declare reduction(                                                 \
    min                                                                        \
    : struct box                                                               \
    : omp_out.lo = omp_in.lo < omp_out.lo ? omp_in.lo : omp_out.lo,            \
      omp_out.hi = omp_in.hi < omp_out.hi ? omp_in.hi : omp_out.hi)            \
    initializer(omp_priv = {INT_MAX, INT_MAX})

#pragma omp declare reduction(                                                 \
    max                                                                        \
    : struct box                                                               \
    : omp_out.lo = omp_in.lo > omp_out.lo ? omp_in.lo : omp_out.lo,            \
      omp_out.hi = omp_in.hi > omp_out.hi ? omp_in.hi : omp_out.hi)            \
    initializer(omp_priv = {INT_MIN, INT_MIN})

#pragma omp declare reduction(+ : struct acc : \
        omp_out.sum += omp_in.sum, omp_out.count += omp_in.count) \
        initializer(omp_priv = { 0, 0 })

int main(void) {
    enum { N = 1000 };
    static int v[N];
    for (int i = 0; i < N; i++)
        v[i] = (i * 7919) % 1009 - 500;
    struct box smallest = {INT_MAX, INT_MAX}, largest = {INT_MIN, INT_MIN};
    struct acc total = {0, 0};
    int least = INT_MAX;
#pragma omp parallel for reduction(min : smallest, least) \
    reduction(max : largest) reduction(+ : total)
    for (int i = 0; i < N; i++) {
        int a = v[i], b = v[(i * 31) % N];
        int lo = a < b ? a : b, hi = a < b ? b : a;
        if (lo < smallest.lo)
            smallest.lo = lo;
        if (hi < smallest.hi)
            smallest.hi = hi;
        if (lo > largest.lo)
            largest.lo = lo;
        if (hi > largest.hi)
            largest.hi = hi;
        total.sum += a;
        total.count += a > 0;
        least = a < least ? a : least;
    }
    printf("smallest=(%d,%d) largest=(%d,%d) sum=%ld positive=%d least=%d\n",
           smallest.lo, smallest.hi, largest.lo, largest.hi, total.sum,
           total.count, least);
    return 0;
}
