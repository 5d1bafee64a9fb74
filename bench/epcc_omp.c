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
 * iterations per thread inside one region, as EPCC's schedbench does. The
 * schedules are spelled out as plain pragmas (no _Pragma in macros) so that
 * any OpenMP front end, weftcc included, sees ordinary source; the switch
 * costs one predictable branch per loop. */
enum sched { S_STATIC, S_STATIC_1, S_DYNAMIC_1, S_DYNAMIC_16, S_GUIDED };

static long sched_row(int innerreps, enum sched kind) {
    int n = epcc_cfg.iters_per_thread * epcc_cfg.nthreads;
    long len = epcc_cfg.delay_len;
#pragma omp parallel
    {
        long done = 0;
        for (int j = 0; j < innerreps; j++) {
            switch (kind) {
            case S_STATIC:
#pragma omp for schedule(static)
                for (int i = 0; i < n; i++) {
                    epcc_delay(len);
                    done++;
                }
                break;
            case S_STATIC_1:
#pragma omp for schedule(static, 1)
                for (int i = 0; i < n; i++) {
                    epcc_delay(len);
                    done++;
                }
                break;
            case S_DYNAMIC_1:
#pragma omp for schedule(dynamic, 1)
                for (int i = 0; i < n; i++) {
                    epcc_delay(len);
                    done++;
                }
                break;
            case S_DYNAMIC_16:
#pragma omp for schedule(dynamic, 16)
                for (int i = 0; i < n; i++) {
                    epcc_delay(len);
                    done++;
                }
                break;
            case S_GUIDED:
#pragma omp for schedule(guided)
                for (int i = 0; i < n; i++) {
                    epcc_delay(len);
                    done++;
                }
                break;
            }
        }
        epcc_slots[omp_get_thread_num()].n = done;
    }
    return epcc_slots_take();
}

long epcc_row_static(int innerreps) { return sched_row(innerreps, S_STATIC); }

long epcc_row_static_1(int innerreps) {
    return sched_row(innerreps, S_STATIC_1);
}

long epcc_row_dynamic_1(int innerreps) {
    return sched_row(innerreps, S_DYNAMIC_1);
}

long epcc_row_dynamic_16(int innerreps) {
    return sched_row(innerreps, S_DYNAMIC_16);
}

long epcc_row_guided(int innerreps) { return sched_row(innerreps, S_GUIDED); }
