/* This file handles synchronisation spelled the ways OpenMP 4.5/5.0 code
 * spells it: an atomic capture block whose update names the location in
 * parentheses (`{ old = *p; (*p)++; }`, a ticket dispenser), and critical
 * sections with a hint clause. Each ticket is drawn exactly once, so the
 * tickets of all iterations are 0..N-1 in some order. */
#include <omp.h>
#include <stdio.h>

static int next_ticket(int *p) {
    int old;
#pragma omp atomic capture
    {
        old = *p;
        (*p)++;
    }
    return old;
}

static int add_two(int *p) {
    int now;
#pragma omp atomic capture
    {
        (*p) += 2;
        now = (*p);
    }
    return now;
}

int main(void) {
    enum { N = 2000 };
    static char seen[N];
    int dispenser = 0, evens = 0, dups = 0;
    long sum_now = 0, crit_sum = 0, crit_count = 0;
#pragma omp parallel for reduction(+ : sum_now)
    for (int i = 0; i < N; i++) {
        int t = next_ticket(&dispenser);
        sum_now += add_two(&evens);
#pragma omp critical(tickets) hint(omp_sync_hint_contended)
        {
            dups += seen[t];
            seen[t] = 1;
        }
#pragma omp critical hint(omp_sync_hint_none)
        crit_sum += t;
#pragma omp critical(count) hint(omp_sync_hint_uncontended)
        crit_count++;
    }
    int missing = 0;
    for (int i = 0; i < N; i++)
        missing += !seen[i];
    printf("dispenser=%d evens=%d dups=%d missing=%d sum_now=%ld "
           "crit_sum=%ld crit_count=%ld\n",
           dispenser, evens, dups, missing, sum_now, crit_sum, crit_count);
    return 0;
}
