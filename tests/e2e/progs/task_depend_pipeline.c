/* This file handles a pipeline of tasks over blocks ordered only by depend
 * clauses: per block, a producer (out), two transformers (inout) whose
 * steps do not commute, and a consumer (in) that also reads the previous
 * block's result; independent readers (in) of one block run in any order.
 * Any wrong order of the stages changes the checksum. */
#include <stdio.h>

#define NB 24
#define BS 64

static long blk[NB][BS];
static long res[NB];
static long peek[NB][3];

static void spin(int n)
{
    volatile int x = 0;
    for (int i = 0; i < n; i++)
        x += i;
}

int main(void)
{
#pragma omp parallel
#pragma omp single
    {
        for (int b = 0; b < NB; b++) {
#pragma omp task depend(out: blk[b]) firstprivate(b)
            {
                spin(2000 * (NB - b)); /* early blocks are slow */
                for (int i = 0; i < BS; i++)
                    blk[b][i] = b * 1000 + i;
            }
#pragma omp task depend(inout: blk[b]) firstprivate(b)
            {
                spin(500 * (b % 5));
                for (int i = 0; i < BS; i++)
                    blk[b][i] = blk[b][i] * 3 + 1;
            }
#pragma omp task depend(inout: blk[b]) firstprivate(b)
            for (int i = 0; i < BS; i++)
                blk[b][i] = blk[b][i] * blk[b][i] % 1000003;
            for (int r = 0; r < 3; r++) {
#pragma omp task depend(in: blk[b]) firstprivate(b, r)
                peek[b][r] = blk[b][r * 7] + r;
            }
            if (b == 0) {
#pragma omp task depend(in: blk[b]) depend(out: res[b]) firstprivate(b)
                {
                    long s = 0;
                    for (int i = 0; i < BS; i++)
                        s = (s * 31 + blk[b][i]) % 1000000007;
                    res[b] = s;
                }
            } else {
#pragma omp task depend(in: blk[b], res[b - 1]) depend(out: res[b]) firstprivate(b)
                {
                    long s = res[b - 1];
                    for (int i = 0; i < BS; i++)
                        s = (s * 31 + blk[b][i]) % 1000000007;
                    res[b] = s;
                }
            }
        }
    }
    long pk = 0;
    for (int b = 0; b < NB; b++)
        pk += peek[b][0] + 2 * peek[b][1] + 3 * peek[b][2];
    printf("res=%ld peek=%ld\n", res[NB - 1], pk);
    return 0;
}
