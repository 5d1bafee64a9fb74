/* This file handles the OpenMP side of the EPCC-style benchmark: every row
 * of epcc.h written as plain `#pragma omp` source. It is compiled twice,
 * by `gcc -fopenmp` (libgomp) and by `clang -fopenmp` (libomp), so the two
 * peers run exactly the same source; epcc_weft.c is its hand-lowered twin.
 * Each row counts the work done in per-thread slots so the harness can
 * check the construct, at a cost of one register increment per delay. */
#include "epcc.h"

#include <omp.h>

const char *epcc_impl_name(void) {
#if defined(EPCC_IMPL_NAME)
    return EPCC_IMPL_NAME; /* set by the build, e.g. for the weftcc build */
#elif defined(__clang__)
    return "libomp";
#elif defined(__GNUC__)
    return "libgomp";
#else
    return "openmp";
#endif
}

void epcc_impl_init(int n) { omp_set_num_threads(n); }

int epcc_impl_team_size(void) {
    int n = 0;
#pragma omp parallel
    {
#pragma omp master
        n = omp_get_num_threads();
    }
    return n;
}

void *epcc_impl_symbol(void) { return (void *)&omp_get_num_threads; }

/* Fork/join with a static loop of one iteration per thread. */
long epcc_row_parallel_for(int innerreps) {
    int nt = epcc_cfg.nthreads;
    long len = epcc_cfg.delay_len;
    for (int j = 0; j < innerreps; j++) {
#pragma omp parallel for
        for (int i = 0; i < nt; i++) {
            epcc_delay(len);
            epcc_slots[i].n++;
        }
    }
    return epcc_slots_take();
}

/* Fork/join of a bare region. */
long epcc_row_parallel(int innerreps) {
    long len = epcc_cfg.delay_len;
    for (int j = 0; j < innerreps; j++) {
#pragma omp parallel
        {
            epcc_delay(len);
            epcc_slots[omp_get_thread_num()].n++;
        }
    }
    return epcc_slots_take();
}

/* innerreps barriers inside one region. */
long epcc_row_barrier(int innerreps) {
    long len = epcc_cfg.delay_len;
#pragma omp parallel
    {
        long done = 0;
        for (int j = 0; j < innerreps; j++) {
            epcc_delay(len);
            done++;
#pragma omp barrier
        }
        epcc_slots[omp_get_thread_num()].n = done;
    }
    return epcc_slots_take();
}

/* Fork/join with a static loop and a sum reduction; the reduced value is
 * the work count. */
long epcc_row_reduction(int innerreps) {
    int nt = epcc_cfg.nthreads;
    long len = epcc_cfg.delay_len;
    long total = 0;
    for (int j = 0; j < innerreps; j++) {
        long sum = 0;
#pragma omp parallel for reduction(+ : sum)
        for (int i = 0; i < nt; i++) {
            epcc_delay(len);
            sum += 1;
        }
        total += sum;
    }
    return total;
}

/* The SCHED rows: innerreps worksharing loops of iters_per_thread
 * iterations per thread inside one region, as EPCC's schedbench does. */
#define SCHED_ROW(id, clause)                                            \
    long epcc_row_##id(int innerreps) {                                  \
        int n = epcc_cfg.iters_per_thread * epcc_cfg.nthreads;           \
        long len = epcc_cfg.delay_len;                                   \
        _Pragma("omp parallel") {                                        \
            long done = 0;                                               \
            for (int j = 0; j < innerreps; j++) {                        \
                _Pragma(clause) for (int i = 0; i < n; i++) {            \
                    epcc_delay(len);                                     \
                    done++;                                              \
                }                                                        \
            }                                                            \
            epcc_slots[omp_get_thread_num()].n = done;                   \
        }                                                                \
        return epcc_slots_take();                                        \
    }

SCHED_ROW(static, "omp for schedule(static)")
SCHED_ROW(static_1, "omp for schedule(static, 1)")
SCHED_ROW(dynamic_1, "omp for schedule(dynamic, 1)")
SCHED_ROW(dynamic_16, "omp for schedule(dynamic, 16)")
SCHED_ROW(guided, "omp for schedule(guided)")
