/* This file handles the mixed MPI test program: a program that uses MPI
 * itself (MPI_Init_thread with MPI_THREAD_MULTIPLE, an MPI_Allreduce of
 * its own between cluster loops, MPI_Finalize) and has three weft cluster
 * loops: a contiguous `from` map with a sum reduction whose original value
 * differs per rank, a gappy `from` map (every other element) with a max
 * reduction, and a `tofrom` row update with a `to` input. Every rank checks
 * its own arrays and reductions against serial loops of the same
 * computation in this file, and an MPI_Allreduce tells rank 0 whether all
 * ranks agree; rank 0 prints one line of results. Built with -DMIXED_SERIAL
 * the same file uses no MPI and no weft (the serial reference line).
 * Argument "plain": initialise with MPI_Init (the error test). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef MIXED_SERIAL
#else
#include <mpi.h>
#endif

static double f(long i) {
    long acc = 0;
    for (int k = 0; k < 150; k++)
        acc += (i * (k + 3)) % 11;
    return (double)acc;
}

int main(int argc, char **argv) {
    int rank = 0, size = 1;
#ifndef MIXED_SERIAL
    int provided = 0;
    if (argc > 1 && strcmp(argv[1], "plain") == 0)
        MPI_Init(&argc, &argv);
    else
        MPI_Init_thread(&argc, &argv, MPI_THREAD_MULTIPLE, &provided);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
#endif
    long n = 60000, m = 64, rows = 40;
    double *y = calloc((size_t)n, sizeof *y);
    double *g = malloc(2 * (size_t)n * sizeof *g);
    double *row = malloc((size_t)(rows * m) * sizeof *row);
    double *coef = malloc((size_t)m * sizeof *coef);
    if (!y || !g || !row || !coef)
        return 1;
    /* Gap elements hold a rank-specific value the loop must not touch. */
    for (long i = 0; i < 2 * n; i++)
        g[i] = -1.0 - rank;
    for (long i = 0; i < rows * m; i++)
        row[i] = (double)(i % 17);
    for (long j = 0; j < m; j++)
        coef[j] = (double)(j % 5 + 1);

    /* The reduction's original value differs per rank: each rank must end
     * with its own original plus the loop's total. */
    double s = 1000.0 * rank;
#pragma weft parallel for cluster map(from: y[i]) reduction(+: s) schedule(dynamic, 128)
    for (long i = 0; i < n; i++) {
        y[i] = f(i);
        s += y[i];
    }

#ifndef MIXED_SERIAL
    /* The program's own MPI traffic between cluster loops. */
    double part = (double)rank, parts = 0;
    MPI_Allreduce(&part, &parts, 1, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
    if (parts != (double)size * (size - 1) / 2)
        printf("rank %d: wrong MPI_Allreduce %.0f\n", rank, parts);
#endif

    double mx = -1.0;
#pragma weft parallel for cluster map(from                                     \
                                      : g[2 * i]) reduction(max                \
                                                            : mx)              \
    schedule(dynamic, 256)
    for (long i = 0; i < n; i++) {
        g[2 * i] = f(i + 7) * 0.5;
        if (g[2 * i] > mx)
            mx = g[2 * i];
    }

    for (int rep = 0; rep < 3; rep++) {
#pragma weft parallel for cluster map(tofrom                                   \
                                      : row [i * m:m]) map(to                  \
                                                           : coef [0:m])
        for (long i = 0; i < rows; i++)
            for (long j = 0; j < m; j++)
                row[i * m + j] =
                    row[i * m + j] * 0.5 + coef[j] * (double)(i + 1);
    }

    /* Serial reference on every rank. */
    long bad = 0;
    double s_ref = 1000.0 * rank, mx_ref = -1.0;
    for (long i = 0; i < n; i++) {
        double v = f(i);
        bad += y[i] != v;
        s_ref += v;
        double w = f(i + 7) * 0.5;
        bad += g[2 * i] != w || g[2 * i + 1] != -1.0 - rank;
        if (w > mx_ref)
            mx_ref = w;
    }
    bad += s != s_ref;
    bad += mx != mx_ref;
    double rsum = 0;
    for (long i = 0; i < rows * m; i++) {
        double v = (double)(i % 17);
        for (int rep = 0; rep < 3; rep++)
            v = v * 0.5 + coef[i % m] * (double)(i / m + 1);
        bad += row[i] != v;
        rsum += row[i];
    }
    long allbad = bad;
#ifndef MIXED_SERIAL
    MPI_Allreduce(&bad, &allbad, 1, MPI_LONG, MPI_SUM, MPI_COMM_WORLD);
#endif
    if (bad)
        printf("rank %d: %ld mismatches\n", rank, bad);
    if (rank == 0)
        printf("mixed: sum %.0f max %.1f rows %.3f y7 %.0f %s\n",
               s - 1000.0 * rank, mx, rsum, y[7],
               allbad ? "MISMATCH" : "all ranks agree");
    free(y);
    free(g);
    free(row);
    free(coef);
#ifndef MIXED_SERIAL
    MPI_Finalize();
#endif
    return allbad != 0;
}
