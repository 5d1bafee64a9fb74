/* This file handles the clauses of `parallel` itself: private (each thread
 * its own uninitialised copy, the original untouched), firstprivate (each
 * copy starts as the original), shared, default(none), reduction with
 * several operators at once, num_threads, if(false) (a team of one) and
 * proc_bind. Every printed value is the same for any team size: per-thread
 * contributions are checked against the team size they came from. */
#include <stdio.h>
#ifdef _OPENMP
#include <omp.h>
#else
static int omp_get_thread_num(void) { return 0; }
static int omp_get_num_threads(void) { return 1; }
static int omp_in_parallel(void) { return 0; }
#endif

int main(void)
{
    enum { N = 1000 };
    static int data[N];
    for (int i = 0; i < N; i++)
        data[i] = (i * 37) % 101;

    /* private / firstprivate / shared */
    int p = -5, fp = 40, team = 0, bad = 0;
    long tidsum = 0;
#pragma omp parallel private(p) firstprivate(fp) shared(team, tidsum, bad)
    {
        /* Thread 0 (the only one of the serial build) leaves both as
         * they were, so the originals print the same everywhere. */
        p = omp_get_thread_num() - 5;
        fp += p + 5;
        int mine = fp - 40 == p + 5;
#pragma omp atomic
        tidsum += fp - 40;
#pragma omp atomic
        bad += !mine;
#pragma omp single
        team = omp_get_num_threads();
    }
    printf("private: p=%d fp=%d bad=%d tidsum-ok=%d\n", p, fp, bad,
           tidsum == (long)team * (team - 1) / 2);

    /* reduction: + * min max & | ^ && || over the team, each thread
     * taking its share of data[] by its number. */
    long sum = 0;
    double prod = 1.0;
    int mn = 1 << 30, mx = -1;
    unsigned band = ~0u, bor = 0, bxor = 0;
    int land = 1, lor = 0, nth = 0;
#pragma omp parallel default(none) shared(data, nth) reduction(+:sum) \
    reduction(*:prod) reduction(min:mn) reduction(max:mx)              \
    reduction(&:band) reduction(|:bor) reduction(^:bxor)               \
    reduction(&&:land) reduction(||:lor)
    {
        int t = omp_get_thread_num(), n = omp_get_num_threads();
        if (t == 0)
            nth = n;
        for (int i = t; i < N; i += n) {
            sum += data[i];
            if (i % 100 == 7)
                prod *= 2.0;
            if (data[i] < mn)
                mn = data[i];
            if (data[i] > mx)
                mx = data[i];
            band &= (unsigned)data[i] | 0x80u;
            bor |= (unsigned)data[i];
            bxor ^= (unsigned)data[i];
            land = land && data[i] < 101;
            lor = lor || data[i] == 100;
        }
    }
    printf("reduction: sum=%ld prod=%.0f min=%d max=%d and=%x or=%x xor=%x "
           "land=%d lor=%d\n",
           sum, prod, mn, mx, band, bor, bxor, land, lor);

    /* num_threads: exactly that many threads run the region. */
    int count = 0, size = 0;
#pragma omp parallel num_threads(3)
    {
#pragma omp atomic
        count++;
#pragma omp master
        size = omp_get_num_threads();
    }
#ifdef _OPENMP
    printf("num_threads(3): ran=%d size=%d\n", count, size);
#else
    printf("num_threads(3): ran=%d size=%d\n", 3 * count, 3 * size);
#endif

    /* if(false): a team of one, not an active region. */
    int one = 0, inpar = -1, ifcount = 0, cond = 0;
#pragma omp parallel if(cond) num_threads(4)
    {
        one = omp_get_num_threads();
        inpar = omp_in_parallel();
#pragma omp atomic
        ifcount++;
    }
    int act = 0;
#pragma omp parallel if(cond + 1) reduction(+:act)
    act += omp_in_parallel() || omp_get_num_threads() == 1;
    printf("if(false): size=%d in_parallel=%d ran=%d; if(true) ok=%d\n", one,
           inpar, ifcount, act == nth || nth == 0);

    /* proc_bind: placement does not change what the region computes. */
    long pb[3] = {0, 0, 0};
#pragma omp parallel proc_bind(close) reduction(+:pb[0:1])
    pb[0] += omp_get_thread_num() + 1;
#pragma omp parallel proc_bind(spread) reduction(+:pb[1:1])
    pb[1] += omp_get_thread_num() + 1;
#pragma omp parallel proc_bind(master) reduction(+:pb[2:1])
    pb[2] += omp_get_thread_num() + 1;
    printf("proc_bind: close=%d spread=%d master=%d\n",
           pb[0] == (long)nth * (nth + 1) / 2, pb[1] == (long)nth * (nth + 1) / 2,
           pb[2] == (long)nth * (nth + 1) / 2);
    return 0;
}
