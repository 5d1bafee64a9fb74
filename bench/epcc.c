/* This file handles the EPCC-style measurement loop shared by the three
 * benchmark executables (weft, libgomp, libomp): it calibrates the delay
 * and the inner repetitions, times every row, checks the work each
 * construct did, and prints one CSV line per repetition for the runner
 * (epcc_runner.py), which interleaves the executables and takes medians.
 * It uses no OpenMP and no weft call itself: the implementation file
 * linked with it provides the rows and the hooks of epcc.h. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* dladdr; builds may also pass -D_GNU_SOURCE */
#endif
#include "epcc.h"

#include <dlfcn.h>
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct epcc_config epcc_cfg;
struct epcc_slot epcc_slots[EPCC_MAX_THREADS];

struct row {
    const char *id;
    const char *label;
    enum epcc_kind kind;
    epcc_row_fn fn;
};

#define EPCC_ROW_ENTRY(id, label, kind) {#id, label, kind, epcc_row_##id},
static const struct row rows[] = {EPCC_ROWS(EPCC_ROW_ENTRY)};
#undef EPCC_ROW_ENTRY
#define NROWS (sizeof rows / sizeof rows[0])

/* Command-line settings; main fills them once before measuring. */
struct options {
    int threads;
    int reps;
    int block;
    double delay_us;
    double target_us;
    int header;
    int summary;
    int split;
    const char *only; /* comma-separated row ids, NULL for all */
};

/* Written by epcc_delay so the add chain has an observable result; the
 * value is never read. Relaxed races between threads are harmless because
 * only a negative sum (impossible) stores to it. */
static volatile long delay_sink;

void epcc_delay(long len) {
    long a = 0;
    for (long i = 0; i < len; i++) {
        a += i;
        /* An empty asm that claims to change `a` keeps the loop a chain of
         * dependent adds: neither gcc nor clang can fold it into a closed
         * form or vectorise it, so delay time is linear in len. */
        __asm__ volatile("" : "+r"(a));
    }
    if (a < 0)
        delay_sink = a;
}

long epcc_slots_take(void) {
    long sum = 0;
    for (int t = 0; t < epcc_cfg.nthreads; t++) {
        sum += epcc_slots[t].n;
        epcc_slots[t].n = 0;
    }
    return sum;
}

static double now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec * 1e-3;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n) {
    qsort(v, (size_t)n, sizeof v[0], cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* Serial time of `count` delays, in microseconds. */
static double time_delays(long count) {
    double t0 = now_us();
    for (long i = 0; i < count; i++)
        epcc_delay(epcc_cfg.delay_len);
    return now_us() - t0;
}

/* Picks delay_len so one epcc_delay takes about delay_us. The cost per unit
 * is the minimum of a few measurements: noise from other processes only
 * ever makes a measurement slower, so the minimum is the closest to the
 * machine's real speed. */
static void calibrate_delay(double delay_us) {
    const long probe_len = 10000, probe_calls = 100;
    double best = 0.0;
    epcc_cfg.delay_len = probe_len;
    for (int k = 0; k < 5; k++) {
        double per_unit =
            time_delays(probe_calls) / (double)(probe_calls * probe_len);
        if (k == 0 || per_unit < best)
            best = per_unit;
    }
    long len = (long)(delay_us / best + 0.5);
    epcc_cfg.delay_len = len < 1 ? 1 : len;
}

/* Serial time of one delay, in microseconds: the median of reps timings of
 * a batch long enough to take about target_us each. Printed in the header
 * to show what the calibration achieved; overheads use per-repetition
 * references (see main). */
static double reference_delay_us(int reps, double target_us) {
    long batch = 1;
    double t;
    while ((t = time_delays(batch)) < target_us / 2 && batch < (1L << 30))
        batch *= 2;
    batch = (long)((double)batch * target_us / (t > 0 ? t : 1.0)) + 1;
    double *v = malloc(sizeof(double) * (size_t)reps);
    if (!v) {
        perror("epcc: malloc");
        exit(1);
    }
    for (int r = 0; r < reps; r++)
        v[r] = time_delays(batch) / (double)batch;
    double m = median(v, reps);
    free(v);
    return m;
}

long epcc_fib_serial(int n) {
    return n < 2 ? n : epcc_fib_serial(n - 1) + epcc_fib_serial(n - 2);
}

/* Tasks one TREE row tree spawns (fib_spawns), set before the first row. */
static long tree_spawns;

/* Written by the TREE reference so its calls have an observable result. */
static volatile long fib_sink;

/* Serial time of `count` trees' worth of fib, in microseconds. */
static double time_fibs(long count) {
    double t0 = now_us();
    long s = 0;
    for (long i = 0; i < count; i++)
        s += epcc_fib_serial(epcc_cfg.fib_n);
    fib_sink = s;
    return now_us() - t0;
}

/* fib(n) by iteration, for the work check of the TREE rows. */
static long fib_value(int n) {
    long a = 0, b = 1;
    for (int i = 0; i < n; i++) {
        long c = a + b;
        a = b;
        b = c;
    }
    return a;
}

/* Tasks one tree spawns: two per call above the cut-off depth with
 * n >= 2, as the TREE rows' fib_task does. */
static long fib_spawns(int n, int depth) {
    if (n < 2 || depth >= epcc_cfg.fib_cutoff)
        return 0;
    return 2 + fib_spawns(n - 1, depth + 1) + fib_spawns(n - 2, depth + 1);
}

/* Delays of the serial reference per construct (SYNC, SCHED, SERIAL). */
static long units_per_construct(const struct row *r) {
    return r->kind == EPCC_SCHED ? epcc_cfg.iters_per_thread : 1;
}

/* The work a row must report after innerreps constructs. */
static long expected_work(const struct row *r, int innerreps) {
    switch (r->kind) {
    case EPCC_SCHED:
        return (long)innerreps * epcc_cfg.nthreads * epcc_cfg.iters_per_thread;
    case EPCC_SERIAL:
        return innerreps;
    case EPCC_TREE:
        return (long)innerreps * fib_value(epcc_cfg.fib_n);
    case EPCC_SYNC:
    default:
        return (long)innerreps * epcc_cfg.nthreads;
    }
}

/* Serial reference of `part` constructs, in microseconds. */
static double time_reference(const struct row *r, int part) {
    if (r->kind == EPCC_TREE)
        return time_fibs(part);
    return time_delays((long)part * units_per_construct(r));
}

static const char *kind_name(enum epcc_kind k) {
    switch (k) {
    case EPCC_SCHED:
        return "sched";
    case EPCC_SERIAL:
        return "serial";
    case EPCC_TREE:
        return "tree";
    case EPCC_SYNC:
    default:
        return "sync";
    }
}

/* Runs a row innerreps times, checks the work it reports and returns the
 * elapsed time in microseconds. A wrong count means the implementation
 * skipped or repeated iterations; its timing would be meaningless, so the
 * benchmark stops with an error instead of printing it. */
static double run_row(const struct row *r, int innerreps) {
    long expect = expected_work(r, innerreps);
    double t0 = now_us();
    long got = r->fn(innerreps);
    double t = now_us() - t0;
    if (got != expect) {
        fprintf(stderr,
                "epcc: %s: row %s did %ld units of work, expected %ld "
                "(innerreps %d, threads %d)\n",
                epcc_impl_name(), r->id, got, expect, innerreps,
                epcc_cfg.nthreads);
        exit(2);
    }
    return t;
}

/* EPCC calibration: double innerreps until one repetition takes at least
 * half the target, then scale linearly to the target. */
static int calibrate_innerreps(const struct row *r, double target_us) {
    int inner = 1;
    double t;
    for (;;) {
        t = run_row(r, inner);
        if (t >= target_us / 2 || inner >= (1 << 24))
            break;
        inner *= 2;
    }
    double scaled = (double)inner * target_us / (t > 0 ? t : 1.0);
    if (scaled < 1)
        scaled = 1;
    if (scaled > (double)(1 << 26))
        scaled = (double)(1 << 26);
    return (int)scaled;
}

static int row_selected(const struct options *o, const char *id) {
    if (!o->only)
        return 1;
    size_t n = strlen(id);
    for (const char *p = o->only; *p;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && strncmp(p, id, n) == 0)
            return 1;
        if (!end)
            break;
        p = end + 1;
    }
    return 0;
}

static const char *library_of(void *sym) {
    Dl_info info;
    if (sym && dladdr(sym, &info) && info.dli_fname)
        return info.dli_fname;
    return "?";
}

static void usage(FILE *f, const char *prog) {
    fprintf(
        f,
        "usage: %s [options]\n"
        "  --threads N           team size (default: online CPUs)\n"
        "  --reps N              measured repetitions per row (default 20)\n"
        "  --block B             block number echoed in the CSV (default 0)\n"
        "  --delay-us X          length of one delay in us (default 0.1)\n"
        "  --iters-per-thread N  SCHED rows: iterations per thread (default "
        "128)\n"
        "  --fib-n N             TREE rows: each tree computes fib(N) "
        "(default 22)\n"
        "  --fib-cutoff D        TREE rows: tasks down to depth D, serial "
        "below\n"
        "                        (default 8)\n"
        "  --target-us X         time of one repetition in us (default 1500)\n"
        "  --split K             alternate K slices of construct and\n"
        "                        reference per repetition (default 1)\n"
        "  --rows a,b            only these row ids (see --list-rows)\n"
        "  --list-rows           print id,label,kind of every row and exit\n"
        "  --no-header           omit the comment and column header lines\n"
        "  --summary             print per-row medians to stderr\n",
        prog);
}

static int parse_int(const char *s, const char *what, int lo) {
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || end == s || v < lo || v > (1L << 30)) {
        fprintf(stderr, "epcc: %s must be an integer >= %d, not '%s'\n", what,
                lo, s);
        exit(1);
    }
    return (int)v;
}

static double parse_pos(const char *s, const char *what) {
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || *end || end == s || !(v > 0)) {
        fprintf(stderr, "epcc: %s must be a positive number, not '%s'\n", what,
                s);
        exit(1);
    }
    return v;
}

static void parse_options(int argc, char **argv, struct options *o) {
    enum {
        O_DELAY = 256,
        O_ITERS,
        O_TARGET,
        O_ROWS,
        O_LIST,
        O_NOHDR,
        O_SUM,
        O_SPLIT,
        O_FIBN,
        O_FIBCUT
    };
    static const struct option longopts[] = {
        {"threads", required_argument, 0, 't'},
        {"reps", required_argument, 0, 'r'},
        {"block", required_argument, 0, 'b'},
        {"delay-us", required_argument, 0, O_DELAY},
        {"iters-per-thread", required_argument, 0, O_ITERS},
        {"target-us", required_argument, 0, O_TARGET},
        {"rows", required_argument, 0, O_ROWS},
        {"list-rows", no_argument, 0, O_LIST},
        {"no-header", no_argument, 0, O_NOHDR},
        {"summary", no_argument, 0, O_SUM},
        {"split", required_argument, 0, O_SPLIT},
        {"fib-n", required_argument, 0, O_FIBN},
        {"fib-cutoff", required_argument, 0, O_FIBCUT},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    /* Default team: the CPUs this process may run on (as the runner and
     * the OpenMP runtimes count them), not every online CPU. */
    cpu_set_t set;
    int ncpu =
        sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : 1;
    *o = (struct options){.threads = ncpu > 0 ? ncpu : 1,
                          .reps = 20,
                          .delay_us = 0.1,
                          .target_us = 1500,
                          .split = 1,
                          .header = 1};
    epcc_cfg.iters_per_thread = 128;
    epcc_cfg.fib_n = 22;
    epcc_cfg.fib_cutoff = 8;
    int c;
    while ((c = getopt_long(argc, argv, "t:r:b:h", longopts, NULL)) != -1) {
        switch (c) {
        case 't':
            o->threads = parse_int(optarg, "--threads", 1);
            break;
        case 'r':
            o->reps = parse_int(optarg, "--reps", 1);
            break;
        case 'b':
            o->block = parse_int(optarg, "--block", 0);
            break;
        case O_DELAY:
            o->delay_us = parse_pos(optarg, "--delay-us");
            break;
        case O_ITERS:
            epcc_cfg.iters_per_thread =
                parse_int(optarg, "--iters-per-thread", 1);
            break;
        case O_TARGET:
            o->target_us = parse_pos(optarg, "--target-us");
            break;
        case O_ROWS:
            o->only = optarg;
            break;
        case O_FIBN:
            /* fib(46) is the largest that fits a 32-bit long. */
            epcc_cfg.fib_n = parse_int(optarg, "--fib-n", 2);
            if (epcc_cfg.fib_n > 46) {
                fprintf(stderr, "epcc: --fib-n must be at most 46\n");
                exit(1);
            }
            break;
        case O_FIBCUT:
            epcc_cfg.fib_cutoff = parse_int(optarg, "--fib-cutoff", 1);
            break;
        case O_LIST:
            for (size_t i = 0; i < NROWS; i++)
                printf("%s,%s,%s\n", rows[i].id, rows[i].label,
                       kind_name(rows[i].kind));
            exit(0);
        case O_NOHDR:
            o->header = 0;
            break;
        case O_SUM:
            o->summary = 1;
            break;
        case O_SPLIT:
            o->split = parse_int(optarg, "--split", 1);
            break;
        case 'h':
            usage(stdout, argv[0]);
            exit(0);
        default:
            usage(stderr, argv[0]);
            exit(1);
        }
    }
    if (optind < argc) {
        usage(stderr, argv[0]);
        exit(1);
    }
    if (o->threads > EPCC_MAX_THREADS) {
        fprintf(stderr, "epcc: at most %d threads\n", EPCC_MAX_THREADS);
        exit(1);
    }
}

int main(int argc, char **argv) {
    struct options o;
    parse_options(argc, argv, &o);

    epcc_cfg.nthreads = o.threads;
    epcc_impl_init(o.threads);
    int got = epcc_impl_team_size();
    if (got != o.threads) {
        fprintf(stderr, "epcc: %s: asked for %d threads, the team has %d\n",
                epcc_impl_name(), o.threads, got);
        return 2;
    }

    tree_spawns = fib_spawns(epcc_cfg.fib_n, 0);
    calibrate_delay(o.delay_us);
    int ref_reps = o.reps < 5 ? 5 : o.reps;
    double ref1 = reference_delay_us(ref_reps, o.target_us);

    if (o.header) {
        printf("# impl=%s lib=%s threads=%d delay_len=%ld delay_us=%.4f "
               "iters_per_thread=%d fib_n=%d fib_cutoff=%d fib_spawns=%ld "
               "target_us=%.0f compiler=%s\n",
               epcc_impl_name(), library_of(epcc_impl_symbol()), o.threads,
               epcc_cfg.delay_len, ref1, epcc_cfg.iters_per_thread,
               epcc_cfg.fib_n, epcc_cfg.fib_cutoff, tree_spawns, o.target_us,
               __VERSION__);
        printf("impl,threads,block,row,rep,innerreps,construct_us,ref_us,"
               "overhead_us\n");
    }

    double *over = malloc(sizeof(double) * (size_t)o.reps);
    if (!over) {
        perror("epcc: malloc");
        return 1;
    }
    for (size_t i = 0; i < NROWS; i++) {
        const struct row *r = &rows[i];
        if (!row_selected(&o, r->id))
            continue;
        /* The first calibration doubles as the warm-up (wakes the team,
         * faults in code and data); a slow start would otherwise leave
         * innerreps too small, so calibrate again on the warm runtime. */
        calibrate_innerreps(r, o.target_us);
        int inner = calibrate_innerreps(r, o.target_us);
        /* Each repetition is followed by its reference: the serial time of
         * the delays one thread ran in it. On a shared or virtual host the
         * speed of the delay loop drifts by tens of percent from one
         * millisecond to the next, so a reference timed once at start-up
         * gives negative or inflated overheads. --split K alternates K
         * slices of construct and reference within a repetition (closer
         * pairing; but the SCHED rows then amortise their region's
         * fork/join over K times fewer loops, so the default is 1). */
        int split = o.split < inner ? o.split : inner;
        for (int rep = 0; rep < o.reps; rep++) {
            double tc = 0, tr = 0;
            for (int k = 0; k < split; k++) {
                int part = inner / split + (k < inner % split);
                tc += run_row(r, part);
                tr += time_reference(r, part);
            }
            double per = tc / inner, ref = tr / inner;
            if (r->kind == EPCC_TREE) {
                /* Per task: thread time of a tree over its spawns. */
                per *= (double)epcc_cfg.nthreads / (double)tree_spawns;
                ref /= (double)tree_spawns;
            }
            over[rep] = per - ref;
            printf("%s,%d,%d,%s,%d,%d,%.4f,%.4f,%.4f\n", epcc_impl_name(),
                   o.threads, o.block, r->id, rep, inner, per, ref, per - ref);
        }
        fflush(stdout);
        if (o.summary) {
            double m = median(over, o.reps);
            fprintf(stderr,
                    "%-8s %3d thr  %-18s %10.3f us  (min %.3f max %.3f)\n",
                    epcc_impl_name(), o.threads, r->label, m, over[0],
                    over[o.reps - 1]);
        }
    }
    free(over);
    return 0;
}
