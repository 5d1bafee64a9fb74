/* This file handles what the runtime reports inside a `parallel for`
 * nested in a `parallel for` (H26): omp_get_level,
 * omp_get_active_level, omp_get_ancestor_thread_num, omp_get_team_size
 * and omp_get_num_threads, with nesting off (inner teams of one) and on
 * (omp_set_max_active_levels(2): inner teams of three). Every inner
 * iteration records what it saw, indexed by (i, j); the table is checked
 * against the nest's shape (the outer thread that ran i, a static inner
 * schedule that gives every inner thread the same number of iterations)
 * and only counts are printed, so any thread count prints the same. The
 * serial build has no runtime to ask and prints the counts it expects. */
#include <stdio.h>
#ifdef _OPENMP
#include <omp.h>
#endif

enum { OUT = 2, IN = 3, NI = 6, NJ = 9 };

struct seen {
    int ran, level, active, anc0, anc1, anc2, size1, size2, nthreads;
};

static struct seen tab[NI][NJ];
static int outer_tid[NI];

static void check(int nested, int *bad, int *cells, int *per_thread) {
    for (int i = 0; i < NI; i++)
        for (int j = 0; j < NJ; j++)
            tab[i][j].ran = 0;
    *bad = 0;
    *cells = 0;
    *per_thread = NJ / IN;
#ifdef _OPENMP
#pragma omp parallel for num_threads(OUT) schedule(static, 1)
    for (int i = 0; i < NI; i++) {
        outer_tid[i] = omp_get_thread_num();
#pragma omp parallel for num_threads(IN) schedule(static)
        for (int j = 0; j < NJ; j++) {
            struct seen *s = &tab[i][j];
            s->ran = 1;
            s->level = omp_get_level();
            s->active = omp_get_active_level();
            s->anc0 = omp_get_ancestor_thread_num(0);
            s->anc1 = omp_get_ancestor_thread_num(1);
            s->anc2 = omp_get_ancestor_thread_num(2);
            s->size1 = omp_get_team_size(1);
            s->size2 = omp_get_team_size(2);
            s->nthreads = omp_get_num_threads();
        }
    }
    int inner = nested ? IN : 1;
    for (int i = 0; i < NI; i++) {
        int count[IN] = {0};
        if (outer_tid[i] != i % OUT)
            (*bad)++; /* schedule(static, 1) over a team of OUT */
        for (int j = 0; j < NJ; j++) {
            struct seen *s = &tab[i][j];
            *cells += s->ran;
            *bad += s->level != 2 || s->active != (nested ? 2 : 1) ||
                    s->anc0 != 0 || s->anc1 != outer_tid[i] || s->anc2 < 0 ||
                    s->anc2 >= inner || s->size1 != OUT || s->size2 != inner ||
                    s->nthreads != inner;
            if (s->anc2 >= 0 && s->anc2 < IN)
                count[s->anc2]++;
        }
        for (int t = 0; t < inner; t++)
            if (count[t] != NJ / inner)
                (*bad)++;
        if (i == 0)
            *per_thread = count[0]; /* iterations of inner thread 0 */
        else if (count[0] != *per_thread)
            *per_thread = -1;
    }
#else
    *cells = NI * NJ;
    *per_thread = nested ? NJ / IN : NJ;
#endif
}

int main(void) {
    int bad, cells, per;
    check(0, &bad, &cells, &per);
    printf("nesting off: bad=%d cells=%d per_inner_thread=%d\n", bad, cells,
           per);
#ifdef _OPENMP
    omp_set_max_active_levels(2);
#endif
    check(1, &bad, &cells, &per);
    printf("nesting on: bad=%d cells=%d per_inner_thread=%d\n", bad, cells,
           per);
    return 0;
}
