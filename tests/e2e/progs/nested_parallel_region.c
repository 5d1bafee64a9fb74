/* This file handles parallel constructs nested in other places than a
 * `parallel for` body (H26): a `parallel` region (with an orphaned-style
 * `for` and a reduction) in the body of a `for` inside a region, a
 * `parallel for` inside a task and inside a taskloop, `parallel
 * sections` in a `parallel for`, and a `parallel` region inside a
 * `parallel for` whose threads count with atomics. Run with nesting off
 * (default) and on (omp_set_max_active_levels(2)); every run must print
 * the serial results. */
#include <stdio.h>
#ifdef _OPENMP
#include <omp.h>
#endif

enum { N = 29, M = 41, K = 12 };

static long g(int i, int j) { return (long)((i * 13 + j * 5) % 17) - 8; }

static void run(const char *what) {
    long row[N], out[K];
    long total = 0;
#pragma omp parallel shared(row, total)
    {
#pragma omp for reduction(+ : total)
        for (int i = 0; i < N; i++) {
            long acc = 0;
#pragma omp parallel reduction(+ : acc) num_threads(2)
            {
#pragma omp for
                for (int j = 0; j < M; j++)
                    acc += g(i, j);
            }
            row[i] = acc;
            total += acc;
        }
    }
#pragma omp parallel
#pragma omp single
    for (int k = 0; k < K; k++) {
#pragma omp task firstprivate(k) shared(out)
        {
            long s = 0;
#pragma omp parallel for reduction(+ : s)
            for (int j = 0; j < M; j++)
                s += g(k, j) * (j + 1);
            out[k] = s;
        }
    }
    /* each inner team member adds 1 once: the outer loop's sum is the
     * total team size, which must match the team sizes recorded */
    int members = 0, sizes = 0;
#pragma omp parallel for reduction(+ : sizes)
    for (int i = 0; i < N; i++) {
        int team = 1;
#pragma omp parallel num_threads(2) shared(team)
        {
#pragma omp atomic
            members++;
#ifdef _OPENMP
#pragma omp master
            team = omp_get_num_threads();
#endif
        }
        sizes += team;
    }
    /* a taskloop body with an inner parallel for whose loop variable is
     * declared outside; parallel sections in a parallel for body */
    long tl[N], sa[N], sb[N];
    int j;
#pragma omp parallel
#pragma omp single
#pragma omp taskloop grainsize(3)
    for (int i = 0; i < N; i++) {
        long s = 0;
#pragma omp parallel for reduction(+ : s)
        for (j = 0; j < M; j++)
            s += g(i, j) * j;
        tl[i] = s;
    }
#pragma omp parallel for
    for (int i = 0; i < N; i++) {
#pragma omp parallel sections
        {
#pragma omp section
            sa[i] = g(i, 1) * 2;
#pragma omp section
            sb[i] = g(i, 2) * 3;
        }
    }
    long t = 0, u = 0;
    for (int i = 0; i < N; i++)
        t += row[i] * (i + 1) + tl[i] + sa[i] * sb[i];
    for (int k = 0; k < K; k++)
        u += out[k] * (k + 1);
    printf("%s: rows=%ld total=%ld tasks=%ld members_match=%d\n", what, t,
           total, u, members == sizes);
}

int main(void) {
    run("nesting off");
#ifdef _OPENMP
    omp_set_max_active_levels(2);
#endif
    run("nesting on");
    return 0;
}
