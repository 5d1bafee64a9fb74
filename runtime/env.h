/* This file handles the runtime settings read from the environment: the
 * struct weft_options that env.c fills, and env.c's pure parsing functions
 * (string in, value and status out) that the tests call directly. */
#ifndef WEFT_ENV_H
#define WEFT_ENV_H

#include <stddef.h>
#include <stdio.h>

#ifndef WEFT_INTERNAL
#define WEFT_INTERNAL __attribute__((visibility("hidden")))
#endif

enum weft__wait_policy {
    WEFT__WAIT_UNSET = 0,
    WEFT__WAIT_ACTIVE = 1,
    WEFT__WAIT_PASSIVE = 2
};

/* Every field names the variable it comes from. Strings are private copies
 * owned by the struct (weft__options_free releases them); NULL when unset. */
struct weft_options {
    int ncpus;             /* processors in the affinity mask (not env) */
    int nthreads;          /* OMP_NUM_THREADS, first list item; default ncpus */
    int nthreads_set;      /* OMP_NUM_THREADS was given and valid */
    int sched_kind;        /* OMP_SCHEDULE kind: WEFT_SCHED_STATIC..AUTO */
    int sched_chunk;       /* OMP_SCHEDULE chunk, 0 = default */
    int sched_mod;         /* OMP_SCHEDULE modifier: WEFT_SCHED_MOD_* or 0 */
    int dynamic;           /* OMP_DYNAMIC */
    int wait_policy;       /* OMP_WAIT_POLICY: enum weft__wait_policy */
    long spin_us;          /* WEFT_SPIN_US, else derived from OMP_WAIT_POLICY */
    int max_active_levels; /* OMP_MAX_ACTIVE_LEVELS, else from OMP_NESTED */
    int nested;            /* OMP_NESTED: 1 true, 0 false, -1 unset */
    int thread_limit;      /* OMP_THREAD_LIMIT */
    int display_env;       /* OMP_DISPLAY_ENV: 0 false, 1 true, 2 verbose */
    size_t stacksize;      /* OMP_STACKSIZE in bytes, 0 = system default */
    char *places;          /* OMP_PLACES, raw (parsed by places.c) */
    char *proc_bind;       /* OMP_PROC_BIND, raw (parsed by affinity.c) */
    char *display_affinity; /* OMP_DISPLAY_AFFINITY, raw */
    char *affinity_format;  /* OMP_AFFINITY_FORMAT, raw */
    char *secret;           /* WEFT_SECRET: cluster shared secret */
    char *secret_file;      /* WEFT_SECRET_FILE: file holding the secret */
    char *coordinator;      /* WEFT_COORDINATOR: host:port a worker joins */
    char *worker; /* WEFT_WORKER: set in processes started as workers */
    char *hosts;  /* WEFT_HOSTS: host list for the cluster layer */
    /* Cluster layer settings, raw (parsed by runtime/net/cluster.c). */
    char *listen;              /* WEFT_LISTEN: host:port a coordinator opens */
    char *join;                /* WEFT_JOIN: host:port a worker joins */
    char *min_workers;         /* WEFT_MIN_WORKERS */
    char *min_workers_timeout; /* WEFT_MIN_WORKERS_TIMEOUT (seconds) */
    char *heartbeat_ms;        /* WEFT_HEARTBEAT_MS */
    char *input_cache;         /* WEFT_INPUT_CACHE (bytes, K/M/G suffix) */
    char *stats;               /* WEFT_STATS: JSON file written at exit */
    char *trace;             /* WEFT_TRACE: Chrome trace-event file (trace.c) */
    char *progress;          /* WEFT_PROGRESS: 0/1 */
    char *handshake_timeout; /* WEFT_HANDSHAKE_TIMEOUT (ms) */
    char *parent_pid;        /* WEFT_PARENT_PID: set by weftrun */
    char *node_name; /* WEFT_NODE_NAME: a worker's name (weftrun: w1...) */
    char *transport; /* WEFT_TRANSPORT: sockets or mpi (unset: by launcher) */
    /* World size an MPI launcher announced, raw: OMPI_COMM_WORLD_SIZE (Open
     * MPI), PMI_SIZE (MPICH Hydra), or SLURM_NTASKS when PMIX_RANK, PMI_RANK
     * or PMI_FD shows srun started an MPI task; NULL without a launcher.
     * mpi_launcher names the variable it came from (static string). */
    char *mpi_size;
    const char *mpi_launcher;
};

/* Reads a variable: getenv in production, a table in tests. */
typedef const char *(*weft__getenv_fn)(const char *name);

/* Fills *o from the environment through get (NULL: the real getenv).
 * A bad value prints exactly one warning line to warn (NULL: stderr) naming
 * the variable, the value and what is used instead. Call from one thread;
 * release with weft__options_free(). */
WEFT_INTERNAL void weft__options_load(struct weft_options *o,
                                      weft__getenv_fn get, FILE *warn);
WEFT_INTERNAL void weft__options_free(struct weft_options *o);

/* Prints the OPENMP DISPLAY ENVIRONMENT block (libgomp's format); verbose
 * adds weft's own variables. */
WEFT_INTERNAL void weft__options_display(const struct weft_options *o, FILE *f,
                                         int verbose);

/* Pure parsers. Each returns 0 and stores the value, or a negative errno
 * (-EINVAL malformed, -ERANGE out of range) and leaves *out alone.
 * Leading and trailing blanks are accepted everywhere. */
WEFT_INTERNAL int weft__parse_long(const char *s, long min, long max,
                                   long *out);
/* "4" or "4,2,1": the first item; every item must be a positive integer. */
WEFT_INTERNAL int weft__parse_num_threads(const char *s, long *out);
/* "true"/"false", any case. */
WEFT_INTERNAL int weft__parse_bool(const char *s, int *out);
/* "[monotonic|nonmonotonic:]static|dynamic|guided|auto[,chunk]". */
WEFT_INTERNAL int weft__parse_schedule(const char *s, int *kind, int *chunk,
                                       int *mod);
/* "active" / "passive". */
WEFT_INTERNAL int weft__parse_wait_policy(const char *s, int *out);
/* "size[B|K|M|G]" (no suffix: KiB), > 0. */
WEFT_INTERNAL int weft__parse_stacksize(const char *s, size_t *out);
/* "true" / "false" / "verbose" -> 1 / 0 / 2. */
WEFT_INTERNAL int weft__parse_display_env(const char *s, int *out);

#endif
