/* This file handles `parallel for` nested in the body of a `parallel for`
 * (H26): the inner loop is lowered inside the outer loop's chunk
 * function. Inner reductions into a variable private to the outer
 * iteration, an inner loop variable declared before both loops (shared
 * in the outer loop, private in the inner one), inner clause expressions
 * (num_threads, if, schedule chunk) and a firstprivate array that only
 * the inner clause names. Run with nesting off (the default: inner teams
 * of one), then on (omp_set_max_active_levels(2)), then through
 * omp_set_nested(1); every run must print the serial results. */
#include <stdio.h>
#ifdef _OPENMP
#include <omp.h>
#endif

enum { N = 37, M = 53 };
static double a[N][M];

static double f(int i, int j) { return (double)((i * 31 + j * 7) % 13) - 6.0; }

static void run(const char *what) {
    int i, j;
    int nt = 3, chunk = 4, wide = M;
    double w[4] = {0.5, 1.0, 1.5, 2.0};
    double row[N];
    long cnt[N];
#pragma omp parallel for
    for (i = 0; i < N; i++) {
#pragma omp parallel for num_threads(nt) if (wide > 8) schedule(dynamic, chunk)
        for (j = 0; j < M; j++)
            a[i][j] = f(i, j) * (i + 1);
    }
#pragma omp parallel for schedule(static, 2)
    for (i = 0; i < N; i++) {
        double s = 0;
        long c = 0;
#pragma omp parallel for reduction(+ : s, c) firstprivate(w)
        for (int k = 0; k < M; k++) {
            s += a[i][k] * w[k % 4];
            c += a[i][k] > 0;
        }
        row[i] = s;
        cnt[i] = c;
    }
    double t = 0;
    long pos = 0;
    for (i = 0; i < N; i++) {
        t += row[i] * (i % 5 + 1);
        pos += cnt[i];
    }
    /* collapse outside, reduction with max inside */
    double top = -1e9;
#pragma omp parallel for collapse(2) reduction(max : top)
    for (int p = 0; p < 4; p++)
        for (int q = 0; q < 3; q++) {
            double m = -1e9;
#pragma omp parallel for reduction(max : m)
            for (int k = 0; k < M; k++)
                if (a[p * 9 + q][k] + k > m)
                    m = a[p * 9 + q][k] + k;
            if (m > top)
                top = m;
        }
    printf("%s: t=%.1f pos=%ld top=%.1f a=%.1f\n", what, t, pos, top,
           a[N - 1][M - 1]);
}

int main(void) {
    run("nesting off");
#ifdef _OPENMP
    omp_set_max_active_levels(2);
#endif
    run("max_active_levels(2)");
#ifdef _OPENMP
    omp_set_max_active_levels(1);
    omp_set_nested(1);
#endif
    run("set_nested(1)");
    return 0;
}
