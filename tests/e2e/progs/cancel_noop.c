/* This file handles cancel and cancellation point (H26). Cancellation is
 * off unless OMP_CANCELLATION=true (weft never turns it on), and then
 * both constructs have no effect: every loop, section and task runs to
 * its end although each one asks to be cancelled early. The if clauses
 * name variables that the enclosing constructs share, reach by pointer or
 * privatise, so the translated text must still compile them. The
 * serial build, gcc -fopenmp and weft all print the full results. */
#include <stdio.h>
#ifdef _OPENMP
#include <omp.h>
#endif

enum { N = 1000 };

static long loop_for(const int *v) {
    long s = 0;
#pragma omp parallel for reduction(+ : s)
    for (int i = 0; i < N; i++) {
        s += v[i];
        /* a search that would stop at the first hit */
#pragma omp cancel for if (v[i] == 7)
#pragma omp cancellation point for
    }
    return s;
}

static long region_for(const int *v) {
    long s = 0;
    int hits = 0;
#pragma omp parallel shared(s, hits)
    {
#pragma omp for reduction(+ : s)
        for (int i = 0; i < N; i++) {
            s += v[i];
            if (v[i] == 3) {
#pragma omp atomic
                hits++;
            }
#pragma omp cancel for if (cancel : hits > 2)
        }
#pragma omp cancellation point parallel
#pragma omp cancel parallel if (s > 0)
    }
    return s * 10000 + hits;
}

static int sections(void) {
    int a = 0, b = 0, c = 0;
#pragma omp parallel sections
    {
#pragma omp section
        {
            a = 1;
#pragma omp cancel sections
            a += 10;
        }
#pragma omp section
        {
#pragma omp cancellation point sections
            b = 2;
        }
#pragma omp section
        c = 3;
    }
    return a * 100 + b * 10 + c;
}

static long tasks(const int *v) {
    long done = 0;
#pragma omp parallel
#pragma omp single
#pragma omp taskgroup
    for (int k = 0; k < 10; k++) {
#pragma omp task shared(done) firstprivate(k)
        {
            long part = 0;
            for (int i = k * (N / 10); i < (k + 1) * (N / 10); i++)
                part += v[i];
#pragma omp cancel taskgroup if (part > 0)
#pragma omp atomic
            done += part;
#pragma omp cancellation point taskgroup
        }
    }
    return done;
}

static long taskloop(const int *v) {
    long s = 0;
#pragma omp parallel
#pragma omp single
#pragma omp taskgroup
    {
#pragma omp taskloop grainsize(50) shared(s)
        for (int i = 0; i < N; i++) {
#pragma omp cancel taskgroup if (v[i] < 0)
#pragma omp atomic
            s += v[i];
        }
    }
    return s;
}

int main(void) {
    int v[N];
    for (int i = 0; i < N; i++)
        v[i] = (i * 37) % 11;
    int on = 0;
#ifdef _OPENMP
    on = omp_get_cancellation();
#endif
    printf("cancellation=%d\n", on);
    printf("for=%ld region=%ld sections=%d tasks=%ld taskloop=%ld\n",
           loop_for(v), region_for(v), sections(), tasks(v), taskloop(v));
    return 0;
}
