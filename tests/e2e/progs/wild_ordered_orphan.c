/* This file handles orphaned ordered blocks: `#pragma omp ordered` in a
 * function that the body of a loop with the ordered clause calls (it binds
 * to that loop at run time). Output order must be the iterations' order at
 * any thread count and schedule, also when some iterations skip the call,
 * and a loop whose ordered block is written in its own body still works
 * next to it. */
#include <stdio.h>

static unsigned long trace = 7;

static void emit(int k, int v) {
#pragma omp ordered
    {
        trace = trace * 31 + (unsigned long)v;
        printf("%d:%d\n", k, v);
    }
}

static int weight(int k) { return (k * 37) % 11; }

int main(void) {
    int i;
#pragma omp parallel for ordered schedule(dynamic)
    for (i = 0; i < 40; i += 3)
        emit(i, weight(i));

#pragma omp parallel for ordered schedule(static, 2)
    for (int k = 0; k < 30; k++) {
        int w = weight(k) * weight(k);
        /* Every third iteration runs no ordered block. */
        if (k % 3 != 1)
            emit(k, w);
    }

#pragma omp parallel
    {
#pragma omp for ordered schedule(guided)
        for (int k = 50; k > 20; k -= 2) {
            int w = weight(k) + k;
#pragma omp ordered
            printf("in-body %d:%d\n", k, w);
        }
#pragma omp for ordered nowait
        for (int k = 0; k < 12; k++)
            emit(100 + k, k);
    }
    printf("trace=%lu\n", trace);
    return 0;
}
