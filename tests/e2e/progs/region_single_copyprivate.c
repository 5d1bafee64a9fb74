/* This file handles `single` in a region: copyprivate of several private
 * variables at once (scalars of different types, an array and a struct),
 * broadcast to every thread of the team; private and firstprivate on
 * single; `single nowait` (run once, nobody waits) followed by a barrier;
 * and singles met in a loop, each run by exactly one thread. */
#include <stdio.h>
#include <string.h>

struct cfg {
    int id;
    double scale;
    char tag[8];
};

int main(void)
{
    int runs = 0, nowaits = 0, loops = 0, bad = 0, nthreads = 0;
    long check = 0;
    int seed = 11;
#pragma omp parallel reduction(+:check) reduction(|:bad)
    {
        int k = -1;
        double x = -1.0;
        long arr[4] = {0, 0, 0, 0};
        struct cfg c;
        memset(&c, 0, sizeof c);
#pragma omp single copyprivate(k, x, arr, c) firstprivate(seed)
        {
            k = seed * 3;
            x = 0.25 * seed;
            for (int i = 0; i < 4; i++)
                arr[i] = (long)seed << i;
            c.id = 77;
            c.scale = 1.5;
            strcpy(c.tag, "weft");
            runs++;
        }
        /* every thread has the single thread's values */
        bad |= k != 33 || x != 2.75 || arr[3] != 88 || c.id != 77 ||
               c.scale != 1.5 || strcmp(c.tag, "weft") != 0;
#pragma omp atomic
        nthreads++;
        check += k + arr[0];
#pragma omp single nowait
        nowaits++;
#pragma omp barrier
        for (int r = 0; r < 5; r++) {
            int p;
#pragma omp single private(p)
            {
                p = r * 2;
                loops += p + 1;
            }
        }
    }
    printf("runs=%d nowaits=%d loops=%d bad=%d per-thread=%ld\n", runs,
           nowaits, loops, bad, check / nthreads);
    return 0;
}
