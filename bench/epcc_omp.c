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

/* innerreps `single` constructs (each ending in its barrier) inside one
 * region; one delay per construct, in the thread that got it. */
long epcc_row_single(int innerreps) {
    long len = epcc_cfg.delay_len;
#pragma omp parallel
    {
        for (int j = 0; j < innerreps; j++) {
#pragma omp single
            {
                epcc_delay(len);
                epcc_slots[omp_get_thread_num()].n++;
            }
        }
    }
    return epcc_slots_take();
}

/* This thread's share of innerreps constructs the team takes turns at. */
static int share(int innerreps) {
    int t = omp_get_thread_num(), nt = omp_get_num_threads();
    return innerreps / nt + (t < innerreps % nt);
}

/* innerreps critical sections in all, shared among the threads, each
 * holding the lock for one delay (EPCC: the section is serialised, so one
 * delay per construct is the reference). */
long epcc_row_critical(int innerreps) {
    long len = epcc_cfg.delay_len;
#pragma omp parallel
    {
        int mine = share(innerreps);
        for (int j = 0; j < mine; j++) {
#pragma omp critical
            {
                epcc_delay(len);
                epcc_slots[omp_get_thread_num()].n++;
            }
        }
    }
    return epcc_slots_take();
}

/* As CRITICAL with omp_set_lock / omp_unset_lock on one lock. */
long epcc_row_lock(int innerreps) {
    long len = epcc_cfg.delay_len;
    omp_lock_t lock;
    omp_init_lock(&lock);
#pragma omp parallel
    {
        int mine = share(innerreps);
        for (int j = 0; j < mine; j++) {
            omp_set_lock(&lock);
            epcc_delay(len);
            epcc_slots[omp_get_thread_num()].n++;
            omp_unset_lock(&lock);
        }
    }
    omp_destroy_lock(&lock);
    return epcc_slots_take();
}

/* Every thread: innerreps times a delay, then an atomic update of one
 * shared double (a compare-and-swap loop in every compiler). The sum,
 * exact in a double at these counts, is the work done. */
long epcc_row_atomic(int innerreps) {
    long len = epcc_cfg.delay_len;
    double sum = 0;
#pragma omp parallel
    {
        for (int j = 0; j < innerreps; j++) {
            epcc_delay(len);
#pragma omp atomic
            sum += 1.0;
        }
    }
    return (long)sum;
}

/* Every thread creates innerreps tasks of one delay each; the region's
 * closing barrier waits for them (EPCC taskbench PARALLEL TASK). */
long epcc_row_task_parallel(int innerreps) {
    long len = epcc_cfg.delay_len;
#pragma omp parallel
    {
        for (int j = 0; j < innerreps; j++) {
#pragma omp task
            {
                epcc_delay(len);
                epcc_slots[omp_get_thread_num()].n++;
            }
        }
    }
    return epcc_slots_take();
}

/* One thread creates innerreps * nthreads tasks of one delay each inside
 * a single and waits for them; the team runs them (EPCC taskbench MASTER
 * TASK, with taskwait). */
long epcc_row_task_flat(int innerreps) {
    long len = epcc_cfg.delay_len;
    long n = (long)innerreps * epcc_cfg.nthreads;
#pragma omp parallel
    {
#pragma omp single
        {
            for (long j = 0; j < n; j++) {
#pragma omp task
                {
                    epcc_delay(len);
                    epcc_slots[omp_get_thread_num()].n++;
                }
            }
#pragma omp taskwait
        }
    }
    return epcc_slots_take();
}

/* fib(n) with two tasks per call down to depth `cutoff`, the shared serial
 * fib below. */
static long fib_task(int n, int depth, int cutoff) {
    if (n < 2)
        return n;
    if (depth >= cutoff)
        return epcc_fib_serial(n);
    long x, y;
#pragma omp task shared(x)
    x = fib_task(n - 1, depth + 1, cutoff);
#pragma omp task shared(y)
    y = fib_task(n - 2, depth + 1, cutoff);
#pragma omp taskwait
    return x + y;
}

/* innerreps fib trees, started one after the other by one thread inside
 * one region; the sum of their values is the work done. */
long epcc_row_task_fib(int innerreps) {
    int n = epcc_cfg.fib_n, cutoff = epcc_cfg.fib_cutoff;
    long sum = 0;
#pragma omp parallel
    {
#pragma omp single
        for (int j = 0; j < innerreps; j++)
            sum += fib_task(n, 0, cutoff);
    }
    return sum;
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
