/* This file handles one loop carrying nearly every clause at once:
 * schedule, num_threads, if, proc_bind, default, shared, private,
 * firstprivate, lastprivate and two reductions. */
#include <stdio.h>

int main(void)
{
    enum { N = 25000 };
    static int data[N];
    int n = N;
    int base = 7;
    int scratch = 0;
    long last = 0;
    long sum = 0;
    int mx = 0;

    for (int i = 0; i < n; i++)
        data[i] = (i * 7 + 3) % 1013;
#pragma omp parallel for schedule(guided, 3) num_threads(3) if(n > 1) proc_bind(close) default(shared) shared(data) private(scratch) firstprivate(base) lastprivate(last) reduction(+: sum) reduction(max: mx)
    for (int i = 0; i < n; i++) {
        scratch = data[i] + base;
        last = scratch * 2L;
        sum += scratch;
        if (scratch > mx)
            mx = scratch;
    }
    printf("sum=%ld max=%d last=%ld base=%d\n", sum, mx, last, base);
    return 0;
}
