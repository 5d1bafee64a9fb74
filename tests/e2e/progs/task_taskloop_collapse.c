/* This file handles taskloop with collapse(2) and collapse(3) (unit and
 * non-unit steps, a decreasing loop) and lastprivate of the loop
 * variables and of a body variable: the values after the loop are those
 * of the sequentially last iteration. */
#include <stdio.h>

#define NI 23
#define NJ 17
static int m[NI][NJ];
static long cube[6][7][8];

static void run(int *li, int *lj, int *lk, long *last, int *ci)
{
    int i, j, k;
    long v = 0;
#pragma omp taskloop collapse(2) lastprivate(i, j, v) shared(m) grainsize(10)
    for (i = 0; i < NI; i++)
        for (j = NJ - 1; j >= 0; j--) {
            v = (long)i * 100 + j;
            m[i][j] = (int)(v % 97);
        }
    *li = i;
    *lj = j;
    *last = v;
#pragma omp taskloop collapse(3) lastprivate(k, i) shared(cube) num_tasks(9)
    for (i = 0; i < 12; i += 2)
        for (int jj = 1; jj <= 7; jj++)
            for (k = 20; k > 4; k -= 2)
                cube[i / 2][jj - 1][(k - 6) / 2] = i * 1000 + jj * 10 + k;
    *lk = k;
    *ci = i;
}

int main(void)
{
    int li = -1, lj = -1, lk = -1, ci = -1;
    long last = -1;
#pragma omp parallel
#pragma omp single
    run(&li, &lj, &lk, &last, &ci);
    long s = 0, t = 0;
    for (int i = 0; i < NI; i++)
        for (int j = 0; j < NJ; j++)
            s += (long)m[i][j] * (i + 2 * j + 1);
    for (int i = 0; i < 6; i++)
        for (int j = 0; j < 7; j++)
            for (int k = 0; k < 8; k++)
                t += cube[i][j][k] * (k + 1);
    printf("s=%ld t=%ld li=%d lj=%d last=%ld lk=%d ci=%d\n", s, t, li, lj, last,
           lk, ci);
    return 0;
}
