/* This file handles default(none) with threadprivate variables, which
 * OpenMP predetermines (a region may name them without listing them): each
 * thread keeps its own copy, and const data the region shares is listed. */
#include <stdio.h>

static int hits;
static long weight = 1;
#pragma omp threadprivate(hits, weight)

int main(void) {
    enum { N = 500 };
    const int scale = 3;
    int data[N];
    for (int i = 0; i < N; i++)
        data[i] = i % 17;
    long total = 0;
    int calls = 0;
#pragma omp parallel default(none) shared(data, scale) \
    reduction(+ : total, calls)
    {
        hits = 0;
        weight = scale;
#pragma omp for
        for (int i = 0; i < N; i++) {
            hits++;
            total += weight * data[i];
        }
        calls += hits;
    }
    printf("total=%ld calls=%d\n", total, calls);
    return 0;
}
