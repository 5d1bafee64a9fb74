/* This file handles tasks that copy arrays and structs: firstprivate of a
 * local array and of a struct holding an array, taken when each task is
 * created (the creator changes them right after), a task in a function
 * (locals firstprivate by default) and in main (locals shared by
 * default), and a taskloop with a firstprivate array. */
#include <stdio.h>

struct rec {
    int id;
    int w[6];
};

static long out[40];

static void spawn(int base)
{
    int arr[8];
    struct rec r = {0, {0}};
    for (int t = 0; t < 20; t++) {
        for (int q = 0; q < 8; q++)
            arr[q] = base + t * 8 + q;
        r.id = t;
        for (int q = 0; q < 6; q++)
            r.w[q] = t * q;
        /* arr, r and t are firstprivate by default here */
#pragma omp task
        {
            long s = 0;
            for (int q = 0; q < 8; q++)
                s += arr[q] * (q + 1);
            for (int q = 0; q < 6; q++)
                s += r.w[q];
            out[t] = s * 100 + r.id;
            arr[0] = -1; /* the task's own copy */
        }
        arr[1] = -5; /* the creator's copy: the task saw the old value */
    }
#pragma omp taskwait
}

int main(void)
{
    int tab[16];
    long tl[16];
    for (int q = 0; q < 16; q++)
        tab[q] = q * q;
#pragma omp parallel
#pragma omp single
    {
        spawn(3);
        int mine[4] = {1, 2, 3, 4};
        for (int t = 20; t < 40; t++) {
#pragma omp task firstprivate(mine, t)
            out[t] = mine[0] * 1000 + mine[3] * t;
            mine[0] += 1;
        }
#pragma omp taskloop firstprivate(tab) grainsize(3)
        for (int q = 0; q < 16; q++)
            tl[q] = tab[q] + tab[15 - q];
    }
    long s = 0;
    for (int t = 0; t < 40; t++)
        s += out[t] * (t + 1);
    long u = 0;
    for (int q = 0; q < 16; q++)
        u += tl[q] * (q + 1) + tab[q];
    printf("s=%ld u=%ld\n", s, u);
    return 0;
}
