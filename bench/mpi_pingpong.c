/* This file handles the raw MPI ping-pong that bench/run-cluster-mpi.sh
 * sets beside weft's cluster loop over MPI: ranks 0 and 1 bounce a 64-byte
 * message (the size of cluster_bench's TCP ping-pong), every round trip is
 * timed, and rank 0 prints the mean and the median in cluster_bench's
 * words, so that one parser reads both. MPI is initialised at
 * MPI_THREAD_MULTIPLE, the level weft's MPI transport runs at, because
 * Open MPI takes slower paths at that level. Build: weftcc --weft-mpi (or
 * mpicc); run: mpirun -n 2 ./mpi_pingpong [rounds]. */
#define _POSIX_C_SOURCE 200809L
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define PP_LEN 64
#define WARMUP 100

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    int provided = 0, rank = 0, size = 0;
    MPI_Init_thread(&argc, &argv, MPI_THREAD_MULTIPLE, &provided);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    long rounds = argc > 1 ? atol(argv[1]) : 20000;
    if (size < 2 || rounds < 1) {
        if (rank == 0)
            fprintf(stderr, "mpi_pingpong: needs 2 ranks and rounds >= 1\n");
        MPI_Finalize();
        return 2;
    }
    char buf[PP_LEN] = {0};
    double *each = NULL;
    if (rank == 0 && !(each = malloc((size_t)rounds * sizeof *each)))
        MPI_Abort(MPI_COMM_WORLD, 1);
    /* Ranks past the second only wait at the barrier. */
    if (rank < 2) {
        int peer = 1 - rank;
        double t0 = 0, prev = 0;
        for (long i = -WARMUP; i < rounds; i++) {
            if (i == 0)
                t0 = prev = now_s();
            if (rank == 0) {
                MPI_Send(buf, PP_LEN, MPI_BYTE, peer, 0, MPI_COMM_WORLD);
                MPI_Recv(buf, PP_LEN, MPI_BYTE, peer, 0, MPI_COMM_WORLD,
                         MPI_STATUS_IGNORE);
                if (i >= 0) {
                    double t1 = now_s();
                    each[i] = t1 - prev;
                    prev = t1;
                }
            } else {
                MPI_Recv(buf, PP_LEN, MPI_BYTE, peer, 0, MPI_COMM_WORLD,
                         MPI_STATUS_IGNORE);
                MPI_Send(buf, PP_LEN, MPI_BYTE, peer, 0, MPI_COMM_WORLD);
            }
        }
        if (rank == 0) {
            double mean = (now_s() - t0) / (double)rounds * 1e6;
            qsort(each, (size_t)rounds, sizeof *each, cmp_double);
            double med = rounds % 2
                             ? each[rounds / 2]
                             : 0.5 * (each[rounds / 2 - 1] + each[rounds / 2]);
            printf("raw MPI ping-pong (64 B, thread level %d): %.1f us per "
                   "round trip (median %.1f us)\n",
                   provided, mean, med * 1e6);
        }
    }
    free(each);
    MPI_Barrier(MPI_COMM_WORLD);
    MPI_Finalize();
    return 0;
}
