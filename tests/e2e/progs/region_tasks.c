/* This file handles explicit tasks: recursive tasks with shared results
 * and taskwait, tasks created in a loop by one thread (firstprivate loop
 * value, shared counter through atomic), taskgroup and taskyield. */
#include <stdio.h>

static long fib(int n)
{
    long x, y;
    if (n < 2)
        return n;
#pragma omp task shared(x) if(n > 12)
    x = fib(n - 1);
#pragma omp task shared(y) if(n > 12)
    y = fib(n - 2);
#pragma omp taskwait
    return x + y;
}

int main(void)
{
    long r = 0;
    int base = 5, hits = 0;
    static int done[64];
#pragma omp parallel
    {
#pragma omp single
        r = fib(22);
#pragma omp single
        {
#pragma omp taskgroup
            {
                for (int i = 0; i < 64; i++) {
#pragma omp task firstprivate(i)
                    {
                        done[i] = i * base;
#pragma omp atomic
                        hits += 1;
                    }
                }
            }
            /* every task of the group has finished here */
            int sum = 0;
            for (int i = 0; i < 64; i++)
                sum += done[i];
            hits += sum;
        }
#pragma omp taskyield
    }
    printf("fib=%ld hits=%d\n", r, hits);
    return 0;
}
