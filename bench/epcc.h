/* This file handles the contract between the EPCC-style overhead harness
 * (epcc.c) and the implementations it measures: the list of rows, the
 * settings every row reads, and the hooks each implementation provides.
 * epcc_omp.c implements the rows with `#pragma omp` (built twice: gcc for
 * libgomp, clang for libomp); epcc_weft.c with hand-lowered weft ABI calls. */
#ifndef WEFT_BENCH_EPCC_H
#define WEFT_BENCH_EPCC_H

#include <stdalign.h>

/* Work per construct execution. A SYNC row runs one delay per thread per
 * construct (EPCC syncbench; a task row: one task of one delay per thread
 * per construct); a SCHED row runs iters_per_thread delays per thread per
 * construct (EPCC schedbench); a SERIAL row runs one delay per construct
 * in whichever thread gets it (single, and critical or lock sections the
 * threads take turns at: innerreps executions in all, not per thread). The
 * harness subtracts the serial time of the same delays to get overhead. A
 * TREE row computes innerreps task trees (fib_n with tasks down to depth
 * fib_cutoff, epcc_fib_serial below); its construct is one task: the
 * harness divides the time of a tree, times the thread count, by the
 * tasks it spawns, and subtracts the serial fib's time per task. */
enum epcc_kind {
    EPCC_SYNC = 0,
    EPCC_SCHED = 1,
    EPCC_SERIAL = 2,
    EPCC_TREE = 3
};

/* The rows, in table order: X(id, "LABEL", kind). Adding a row means one
 * line here and one `long epcc_row_<id>(int innerreps)` in each of
 * epcc_omp.c and epcc_weft.c; a missing implementation fails to link. */
#define EPCC_ROWS(X)                                                           \
    X(parallel_for, "PARALLEL FOR", EPCC_SYNC)                                 \
    X(parallel, "PARALLEL", EPCC_SYNC)                                         \
    X(barrier, "BARRIER", EPCC_SYNC)                                           \
    X(reduction, "REDUCTION", EPCC_SYNC)                                       \
    X(single, "SINGLE", EPCC_SERIAL)                                           \
    X(critical, "CRITICAL", EPCC_SERIAL)                                       \
    X(lock, "LOCK", EPCC_SERIAL)                                               \
    X(atomic, "ATOMIC", EPCC_SYNC)                                             \
    X(task_parallel, "TASK PARALLEL", EPCC_SYNC)                               \
    X(task_flat, "TASK FLAT", EPCC_SYNC)                                       \
    X(task_fib, "TASK FIB", EPCC_TREE)                                         \
    X(static, "STATIC", EPCC_SCHED)                                            \
    X(static_1, "STATIC chunk 1", EPCC_SCHED)                                  \
    X(dynamic_1, "DYNAMIC chunk 1", EPCC_SCHED)                                \
    X(dynamic_16, "DYNAMIC chunk 16", EPCC_SCHED)                              \
    X(guided, "GUIDED", EPCC_SCHED)

/* Settings fixed before the first row runs; rows only read them. */
struct epcc_config {
    int nthreads;         /* team size requested and verified */
    long delay_len;       /* epcc_delay() argument, calibrated */
    int iters_per_thread; /* SCHED rows: delays per thread per construct */
    int fib_n;            /* TREE rows: the tree computes fib(fib_n) */
    int fib_cutoff;       /* TREE rows: tasks above this depth only */
};
extern struct epcc_config epcc_cfg;

/* Upper bound on threads; rows keep one padded counter per thread. */
#define EPCC_MAX_THREADS 512
#define EPCC_LINE 128

/* One counter per thread, alone on its cache line(s) so that counting work
 * done (to validate every construct) does not add false sharing. Thread t
 * writes only slot t; the harness reads them after the construct joined. */
struct epcc_slot {
    alignas(EPCC_LINE) long n;
};
extern struct epcc_slot epcc_slots[EPCC_MAX_THREADS];

/* Sums and clears the first nthreads slots. Main thread, outside regions. */
long epcc_slots_take(void);

/* The busy delay of EPCC: a dependent add chain the compiler cannot remove
 * or vectorise. Defined in epcc.c and never inlined, so every
 * implementation pays the same call. Safe from any thread. */
void epcc_delay(long len);

/* fib(n) by plain recursion, no tasks: the leaves of the TREE rows and
 * their serial reference, so that every implementation's leaves run the
 * same code as the reference it is measured against. Never inlined. */
long epcc_fib_serial(int n);

/* Row signature: runs the construct innerreps times back to back and
 * returns the units of work done (delays executed, the reduced sum, or the
 * sum of the trees' fib values), which the harness compares with what the
 * row's kind implies (epcc.c, expected_work). */
typedef long (*epcc_row_fn)(int innerreps);

#define EPCC_DECLARE_ROW(id, label, kind) long epcc_row_##id(int innerreps);
EPCC_ROWS(EPCC_DECLARE_ROW)
#undef EPCC_DECLARE_ROW

/* Hooks of one implementation, called by the harness on the main thread. */
/* Short name printed in the CSV: "weft", "libgomp" or "libomp". */
const char *epcc_impl_name(void);
/* Called once, first thing in main: does what a translated program does at
 * start-up and asks the runtime for teams of n threads from now on. */
void epcc_impl_init(int n);
/* Runs one parallel region and returns the size of the team it got. */
int epcc_impl_team_size(void);
/* Any function of the runtime library, to name the shared object it lives
 * in (dladdr) in the output. */
void *epcc_impl_symbol(void);

#endif /* WEFT_BENCH_EPCC_H */
