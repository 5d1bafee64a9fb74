/* This file handles where a region's variables live: a variable reduced
 * by a region, then by a `for` in a region that shares it, and a `for`
 * reduction into a variable the reducing region shares; a
 * variable declared inside the region (private by scope); a static local
 * and a global used inside regions (shared); a struct passed firstprivate
 * (each thread's copy starts as the original, changes stay private); a
 * variable-length array declared before the region (shared) and one
 * declared inside it (private). */
#include <stdio.h>
#ifdef _OPENMP
#include <omp.h>
#else
static int omp_get_thread_num(void) { return 0; }
#endif

struct params {
    int k;
    double w[3];
    char name[6];
};

long global_hits;

static int work(int n)
{
    static int calls; /* shared by every thread */
    long sum = 0, loop = 0;
    int vla[n];
    for (int i = 0; i < n; i++)
        vla[i] = -1;
    /* sum: the region's reduction; loop: shared by the region, reduced by
     * the for inside it (a worksharing reduction needs a shared
     * variable: OpenMP forbids reducing the region's private copy) */
#pragma omp parallel reduction(+:sum)
    {
#pragma omp for reduction(+:loop)
        for (int i = 0; i < n; i++) {
            loop += i;
            vla[i] = i * 2; /* shared VLA: each element once */
        }
        int mine = omp_get_thread_num(); /* private by scope */
        int pv[n > 4 ? 4 : n];          /* private VLA */
        for (int i = 0; i < (n > 4 ? 4 : n); i++)
            pv[i] = mine;
        /* the loop's sum once (thread 0), and pv is this thread's */
        sum += (mine == 0 ? loop : 0) + (pv[0] - mine);
#pragma omp atomic
        calls++;
#pragma omp atomic
        global_hits += 2;
    }
    /* then the same variable reduced by a for in a region that shares it */
#pragma omp parallel
    {
#pragma omp for reduction(+:sum)
        for (int i = 0; i < n; i++)
            sum += vla[i];
    }
    return (int)(sum % 1000003) + (calls > 0 ? 0 : -1);
}

int main(void)
{
    struct params p = {7, {0.5, 1.5, 2.5}, "orig"};
    int bad = 0, nthreads = 0;
#pragma omp parallel firstprivate(p) reduction(|:bad)
    {
        bad |= p.k != 7 || p.w[2] != 2.5 || p.name[0] != 'o';
        /* this thread's copy (thread 0, the serial build's only one,
         * leaves it as it was, so the original prints the same) */
        int t = omp_get_thread_num();
        p.k += t;
        p.w[0] *= t + 1;
        p.name[0] = (char)('o' + t);
#pragma omp barrier
        bad |= p.k != 7 + t || p.w[0] != 0.5 * (t + 1) ||
               p.name[0] != 'o' + t;
#pragma omp atomic
        nthreads++;
    }
    printf("firstprivate struct: bad=%d original={%d,%.1f,%s}\n", bad, p.k,
           p.w[0], p.name);
    int r1 = work(100), r2 = work(37);
    printf("work: %d %d global_hits-per-thread=%ld\n", r1, r2,
           global_hits / (2 * nthreads));
    return 0;
}
