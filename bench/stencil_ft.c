/* This file handles the first-touch-sensitive stencil benchmark: 2-D Jacobi
 * 5-point sweeps over an N x N grid of doubles, two grids swapped after each
 * sweep. The grids are initialised by a parallel loop with the same
 * schedule(static) over rows as the sweeps, so on a NUMA machine with bound
 * threads each thread's rows live on its own domain, and every sweep reads
 * and writes mostly local memory (only the rows at block edges are shared).
 * Written once as OpenMP source; bench/run-numa.sh builds it with weftcc
 * (-DUSE_WEFT_ALLOC: grids from weft_alloc FIRST_TOUCH_STATIC), gcc
 * -fopenmp and clang -fopenmp (malloc; the initialisation is the first
 * touch).
 *
 * Usage: stencil_ft [--n N] [--sweeps S] [--reps R] [--label TEXT]
 *   --n N       grid side (default 4096: 2 grids x 128 MiB)
 *   --sweeps S  sweeps per timed repetition (default 20)
 *   --reps R    timed repetitions (default 5); best and median reported
 * stdout: one line of key=value fields; best_sweep_s and median_sweep_s are
 * the time per sweep; checksum is computed serially at the end and is the
 * same for every build and thread count (each point depends only on the
 * previous sweep). */
#include <omp.h>

#include "numa_common.h"

static const char usage[] =
    "usage: stencil_ft [--n N] [--sweeps S] [--reps R] [--label TEXT]\n";

/* Fixed boundary: a hot top edge, every other edge cold. */
static double edge_value(long i) { return i == 0 ? 100.0 : 0.0; }

int main(int argc, char **argv) {
    long n = 4096, sweeps = 20, reps = 5;
    const char *label = "";
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--n"))
            n = nb_parse_pos("--n", i + 1 < argc ? argv[++i] : NULL, usage);
        else if (!strcmp(argv[i], "--sweeps"))
            sweeps = nb_parse_pos("--sweeps", i + 1 < argc ? argv[++i] : NULL,
                                  usage);
        else if (!strcmp(argv[i], "--reps"))
            reps =
                nb_parse_pos("--reps", i + 1 < argc ? argv[++i] : NULL, usage);
        else if (!strcmp(argv[i], "--label") && i + 1 < argc)
            label = argv[++i];
        else {
            fputs(usage, stderr);
            return 2;
        }
    }
    if (n < 3) {
        fputs("--n must be at least 3\n", stderr);
        return 2;
    }
    size_t bytes = (size_t)n * (size_t)n * sizeof(double);
    double *u = nb_alloc(bytes);
    double *v = nb_alloc(bytes);

    /* First touch: rows in the same static blocks as the sweeps below. */
#pragma omp parallel for schedule(static)
    for (long i = 0; i < n; i++) {
        for (long j = 0; j < n; j++) {
            int border = i == 0 || j == 0 || i == n - 1 || j == n - 1;
            u[i * n + j] = border ? edge_value(i) : 0.0;
            v[i * n + j] = u[i * n + j];
        }
    }

    double *t = malloc((size_t)reps * sizeof *t);
    if (!t) {
        fputs("out of memory\n", stderr);
        return 1;
    }
    for (long r = 0; r < reps; r++) {
        double t0 = omp_get_wtime();
        for (long s = 0; s < sweeps; s++) {
#pragma omp parallel for schedule(static)
            for (long i = 0; i < n; i++) {
                if (i == 0 || i == n - 1)
                    continue;
                for (long j = 1; j < n - 1; j++)
                    v[i * n + j] =
                        0.25 * (u[(i - 1) * n + j] + u[(i + 1) * n + j] +
                                u[i * n + j - 1] + u[i * n + j + 1]);
            }
            double *tmp = u;
            u = v;
            v = tmp;
        }
        t[r] = (omp_get_wtime() - t0) / (double)sweeps;
    }

    double sum = 0.0;
    for (long k = 0; k < n * n; k++)
        sum += u[k];
    double best, median;
    nb_stats(t, (int)reps, &best, &median);
    printf("stencil_ft%s%s alloc=%s threads=%d n=%ld sweeps=%ld reps=%ld "
           "best_sweep_s=%.6f median_sweep_s=%.6f checksum=%.10e\n",
           *label ? " label=" : "", label, NB_ALLOC_KIND, omp_get_max_threads(),
           n, sweeps, reps, best, median, sum);
    free(t);
    nb_free(u);
    nb_free(v);
    return 0;
}
