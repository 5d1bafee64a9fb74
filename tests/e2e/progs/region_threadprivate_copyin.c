/* This file handles threadprivate variables (a scalar, an array, a struct,
 * and a static local of a function) with copyin on `parallel`, on
 * `parallel for` and on `parallel sections`: every thread starts from the
 * primary thread's values; each thread's copy persists from one region to
 * the next (same team size, dynamic adjustment off), and the primary's
 * copy is the one the sequential code sees. */
#include <stdio.h>
#ifdef _OPENMP
#include <omp.h>
#else
static int omp_get_thread_num(void) { return 0; }
#endif

struct stats {
    long calls;
    int last;
};

static int level = 1;
static double coef[3] = {1.0, 2.0, 3.0};
static struct stats st;
#pragma omp threadprivate(level, coef, st)

/* A per-thread call counter in a function's static local. */
static int counter(void)
{
    static int calls;
#pragma omp threadprivate(calls)
    return ++calls;
}

int main(void)
{
    enum { N = 64 };
    static double out[N];
    int bad = 0;
    level = 5;
    coef[2] = 7.5;
    st.calls = 100;
    st.last = -1;
#pragma omp parallel copyin(level, coef, st) reduction(|:bad)
    {
        bad |= level != 5 || coef[2] != 7.5 || coef[0] != 1.0 ||
               st.calls != 100 || st.last != -1;
        /* each thread changes its own copies */
        level = 10 + omp_get_thread_num();
        st.calls += 1;
        st.last = omp_get_thread_num();
        counter();
    }
    /* persistence: each thread finds what it left there */
    int kept = 1;
#pragma omp parallel reduction(&&:kept)
    kept = kept && level == 10 + omp_get_thread_num() && st.calls == 101 &&
           st.last == omp_get_thread_num() && counter() == 2;
    printf("copyin bad=%d kept=%d primary level=%d calls=%ld\n", bad, kept,
           level, st.calls);

    /* parallel for copyin: every iteration sees the primary's values */
    level = 3;
    coef[1] = 0.5;
#pragma omp parallel for copyin(level, coef) schedule(static, 3)
    for (int i = 0; i < N; i++)
        out[i] = level * coef[1] * i;
    double s = 0;
    for (int i = 0; i < N; i++)
        s += out[i];
    printf("parallel for copyin: sum=%.1f\n", s);

    /* parallel sections copyin, and a later region without it keeps the
     * copied values */
    level = 42;
    int got[3] = {0, 0, 0};
#pragma omp parallel sections copyin(level)
    {
        got[0] = level;
#pragma omp section
        got[1] = level + 1;
#pragma omp section
        got[2] = level + 2;
    }
    int all42 = 1;
#pragma omp parallel reduction(&&:all42)
    all42 = all42 && level == 42;
    printf("parallel sections copyin: %d %d %d all-kept=%d\n", got[0], got[1],
           got[2], all42);
    return 0;
}
