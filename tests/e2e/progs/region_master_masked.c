/* This file handles master and masked: master runs on thread 0 only;
 * masked without filter is master; masked filter(e) runs on the thread
 * whose number is e, which may be computed, and on no thread when the
 * team has no such thread. Counts and thread numbers are printed as
 * checks against the team size, so the output is the same for any team;
 * a wrong filter changes a count or a thread number. */
#include <stdio.h>
#ifdef _OPENMP
#include <omp.h>
#else
static int omp_get_thread_num(void) { return 0; }
static int omp_get_num_threads(void) { return 1; }
#endif

int main(void)
{
    int nth = 0, masters = 0, masked0 = 0, masked1 = 0, maskedlast = 0;
    int master_tid = -1, last_tid = -1, one_tid = -1, bad = 0;
    long sum = 0;
    for (int rep = 0; rep < 3; rep++) {
#pragma omp parallel reduction(|:bad)
        {
            int t = omp_get_thread_num(), n = omp_get_num_threads();
#pragma omp master
            {
                masters++;
                master_tid = t;
                nth = n;
            }
#pragma omp masked
            masked0++;
#pragma omp masked filter(1)
            {
                masked1++;
                one_tid = t;
            }
#pragma omp masked filter(n - 1)
            {
                maskedlast++;
                last_tid = t;
                sum += t + 1;
            }
            /* no barrier after master/masked: wait for the region end */
            bad |= t >= n;
        }
    }
    int one_ok = masked1 == (nth > 1 ? 3 : 0) && (nth == 1 || one_tid == 1);
#ifndef _OPENMP
    one_ok = 1; /* the serial build runs every block once */
#endif
    printf("master=%d tid0=%d masked=%d filter(1)ok=%d filter(n-1)=%d "
           "last-ok=%d sum-ok=%d bad=%d\n",
           masters, master_tid == 0, masked0, one_ok, maskedlast,
           last_tid == nth - 1, sum == 3L * nth, bad);
    return 0;
}
