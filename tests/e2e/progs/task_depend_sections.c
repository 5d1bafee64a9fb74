/* This file handles depend items other than plain variables: array
 * sections a[lo:len] (ordered by their first element), elements a[i],
 * `*p`, struct members and a section without a lower bound, in a
 * wavefront where each block's update needs its left neighbour's and its
 * own previous value. A missed dependence changes the result. */
#include <stdio.h>

#define NB 16
#define BS 32

struct cell {
    long v;
    long pad[3];
};

static long grid[NB * BS];
static struct cell cells[NB];

static void spin(int n)
{
    volatile int x = 0;
    for (int i = 0; i < n; i++)
        x += i;
}

int main(void)
{
    long *g = grid;
    long total = 0;
    for (int i = 0; i < NB * BS; i++)
        grid[i] = i % 11;
#pragma omp parallel
#pragma omp single
    {
        for (int step = 0; step < 4; step++) {
            for (int b = 0; b < NB; b++) {
                if (b == 0) {
#pragma omp task depend(inout: g[0:BS]) depend(out: cells[0].v) firstprivate(step)
                    {
                        spin(3000);
                        for (int i = 0; i < BS; i++)
                            g[i] = (g[i] * 5 + step) % 1009;
                        cells[0].v = g[BS - 1];
                    }
                } else {
#pragma omp task depend(inout: g[b * BS:BS]) depend(in: cells[b - 1].v) \
    depend(out: cells[b].v) firstprivate(b)
                    {
                        spin(1000 * (b % 3));
                        long left = cells[b - 1].v;
                        for (int i = 0; i < BS; i++)
                            g[b * BS + i] = (g[b * BS + i] * 5 + left) % 1009;
                        cells[b].v = g[b * BS + BS - 1];
                    }
                }
            }
        }
        long *tp = &total;
#pragma omp task depend(in: grid[:NB * BS]) depend(in: cells[NB - 1].v) \
    depend(out: *tp)
        {
            long s = 0;
            for (int i = 0; i < NB * BS; i++)
                s = (s * 7 + grid[i]) % 1000000007;
            *tp = s;
        }
#pragma omp task depend(inout: total)
        total = total * 2 + 1;
    }
    printf("total=%ld last=%ld\n", total, cells[NB - 1].v);
    return 0;
}
