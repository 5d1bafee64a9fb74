/* This file handles taskloop's task-count clauses: grainsize, num_tasks,
 * neither, nogroup followed by taskwait, a zero-trip and a one-trip loop,
 * orphaned in a function called from single. The nogroup taskloop's
 * firstprivate value changes after the taskloop returns: the tasks must
 * still see the value they were created with. */
#include <stdio.h>

#define N 2000
static long a[N], b[N], c[N], d[N];

static void fill(int n, int g, int k)
{
    int scale = 3;
#pragma omp taskloop grainsize(g) shared(a)
    for (int i = 0; i < n; i++)
        a[i] = (long)i * scale + 1;
#pragma omp taskloop num_tasks(k) shared(a, b)
    for (int i = n - 1; i >= 0; i--)
        b[i] = a[i] * 2 + (i % 7);
#pragma omp taskloop shared(c)
    for (int i = 0; i < n; i += 3)
        c[i] = i ^ 0x55;
#pragma omp taskloop nogroup grainsize(64) shared(d) firstprivate(scale)
    for (int i = 0; i < n; i++)
        d[i] = (long)i * scale;
    scale = 1000; /* after creation: the tasks keep 3 */
#pragma omp taskwait
    int zero = 0;
#pragma omp taskloop grainsize(1) shared(d)
    for (int i = 0; i < zero; i++)
        d[i] = -1;
#pragma omp taskloop num_tasks(100) shared(d)
    for (int i = 0; i < 1; i++)
        d[i] += 7;
    (void)scale;
}

int main(void)
{
    int g = 37, k = 5;
#pragma omp parallel
    {
#pragma omp single
        fill(N, g, k);
    }
    long sa = 0, sb = 0, sc = 0, sd = 0;
    for (int i = 0; i < N; i++) {
        sa += a[i] * (i % 13 + 1);
        sb += b[i] * (i % 11 + 1);
        sc += c[i];
        sd += d[i] * (i % 5 + 1);
    }
    printf("a=%ld b=%ld c=%ld d=%ld d0=%ld\n", sa, sb, sc, sd, d[0]);
    return 0;
}
