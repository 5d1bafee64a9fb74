/* This file handles `sections` inside a region (with a reduction and
 * firstprivate) and the combined `parallel sections`. */
#include <stdio.h>

static long fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

int main(void)
{
    long r[4] = {0, 0, 0, 0};
    long sum = 0;
    int last = -1;
#pragma omp parallel
    {
#pragma omp sections reduction(+:sum) firstprivate(last)
        {
#pragma omp section
            { r[0] = fib(20); sum += 1; }
#pragma omp section
            { r[1] = fib(21); sum += 10; }
#pragma omp section
            { r[2] = fib(22); sum += 100; r[3] = last + 1; }
        }
    }
    printf("sections: %ld %ld %ld sum=%ld r3=%ld\n", r[0], r[1], r[2], sum, r[3]);
    long q[3] = {0, 0, 0};
#pragma omp parallel sections num_threads(3)
    {
        q[0] = fib(15);
#pragma omp section
        q[1] = fib(16);
#pragma omp section
        {
            for (int i = 0; i < 3; i++)
                q[2] += fib(10 + i);
        }
    }
    printf("parallel sections: %ld %ld %ld\n", q[0], q[1], q[2]);
    return 0;
}
