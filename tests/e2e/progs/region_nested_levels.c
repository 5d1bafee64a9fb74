/* This file handles nested parallel regions and the runtime calls that
 * describe them: omp_get_level, omp_get_active_level,
 * omp_get_ancestor_thread_num, omp_get_team_size, omp_get_thread_limit,
 * omp_in_parallel, with nesting allowed (omp_set_max_active_levels(2)),
 * forbidden (omp_set_max_active_levels(1): inner teams of one) and through
 * omp_set_nested. Every inner thread records what it saw in a table
 * indexed by (outer, inner) thread number; the table is checked against
 * the expected values and only counts of mismatches are printed, so any
 * team size gives the same output. The serial build prints zeros. */
#include <stdio.h>
#ifdef _OPENMP
#include <omp.h>
#endif

enum { OUT = 2, IN = 3 };

struct seen {
    int ran, level, active, anc0, anc1, anc2, size1, size2, inpar, nthreads;
};

static int check(int active_inner)
{
    struct seen tab[OUT][IN];
    int bad = 0, ran = 0;
    for (int o = 0; o < OUT; o++)
        for (int i = 0; i < IN; i++)
            tab[o][i].ran = 0;
#ifdef _OPENMP
#pragma omp parallel num_threads(OUT)
    {
        int o = omp_get_thread_num();
#pragma omp parallel num_threads(IN) shared(tab)
        {
            int i = omp_get_thread_num();
            struct seen *s = &tab[o][i];
            s->ran = 1;
            s->level = omp_get_level();
            s->active = omp_get_active_level();
            s->anc0 = omp_get_ancestor_thread_num(0);
            s->anc1 = omp_get_ancestor_thread_num(1);
            s->anc2 = omp_get_ancestor_thread_num(2);
            s->size1 = omp_get_team_size(1);
            s->size2 = omp_get_team_size(2);
            s->inpar = omp_in_parallel();
            s->nthreads = omp_get_num_threads();
        }
    }
    int inner = active_inner ? IN : 1;
    for (int o = 0; o < OUT; o++)
        for (int i = 0; i < IN; i++) {
            struct seen *s = &tab[o][i];
            if (i >= inner) {
                bad += s->ran; /* that thread must not exist */
                continue;
            }
            ran += s->ran;
            bad += !s->ran || s->level != 2 ||
                   s->active != (active_inner ? 2 : 1) || s->anc0 != 0 ||
                   s->anc1 != o || s->anc2 != i || s->size1 != OUT ||
                   s->size2 != inner || !s->inpar || s->nthreads != inner;
        }
    ran -= OUT * inner; /* every expected thread ran: 0 */
#endif
    (void)active_inner;
    return bad * 100 + ran;
}

int main(void)
{
    int outside = 0;
#ifdef _OPENMP
    /* outside any region: level 0, team of one, ancestors of level 0 */
    outside = omp_get_level() != 0 || omp_get_active_level() != 0 ||
              omp_in_parallel() || omp_get_team_size(0) != 1 ||
              omp_get_ancestor_thread_num(0) != 0 ||
              omp_get_ancestor_thread_num(1) != -1 ||
              omp_get_team_size(1) != -1 || omp_get_thread_limit() < IN;
    omp_set_max_active_levels(2);
    int two = omp_get_max_active_levels() == 2;
#else
    int two = 1;
#endif
    int a = check(1);
#ifdef _OPENMP
    omp_set_max_active_levels(1);
#endif
    int b = check(0);
#ifdef _OPENMP
    omp_set_nested(1);
    int nested_on = omp_get_nested();
#else
    int nested_on = 1;
#endif
    int c = check(1);
#ifdef _OPENMP
    omp_set_nested(0);
#endif
    int d = check(0);
    printf("outside=%d max_active=2:%d nested=%d bad: active=%d serialized=%d "
           "set_nested(1)=%d set_nested(0)=%d\n",
           outside, two, nested_on, a, b, c, d);
    return 0;
}
