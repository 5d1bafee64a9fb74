/* This file handles the environment: it is libweft's only getenv caller.
 * weft__options_load turns OMP_* and WEFT_* variables into a struct
 * weft_options through pure parsers, warning once per bad variable. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "weft-internal.h"

static const char *skip_blanks(const char *s) {
    while (*s && isspace((unsigned char)*s))
        s++;
    return s;
}

/* True when s (after optional blanks) is at its end. */
static int at_end(const char *s) { return *skip_blanks(s) == '\0'; }

/* Parses a decimal integer at *sp (after blanks), advances *sp. */
static int scan_long(const char **sp, long min, long max, long *out) {
    const char *s = skip_blanks(*sp);
    char *end;
    if (!*s || (!isdigit((unsigned char)*s) && *s != '-' && *s != '+'))
        return -EINVAL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s)
        return -EINVAL;
    if (errno == ERANGE || v < min || v > max)
        return -ERANGE;
    *sp = end;
    *out = v;
    return 0;
}

int weft__parse_long(const char *s, long min, long max, long *out) {
    long v;
    if (!s)
        return -EINVAL;
    int r = scan_long(&s, min, max, &v);
    if (r)
        return r;
    if (!at_end(s))
        return -EINVAL;
    *out = v;
    return 0;
}

int weft__parse_num_threads(const char *s, long *out) {
    long first = 0, v;
    if (!s)
        return -EINVAL;
    for (int i = 0;; i++) {
        int r = scan_long(&s, 1, WEFT_MAX_THREADS, &v);
        if (r)
            return r;
        if (i == 0)
            first = v;
        s = skip_blanks(s);
        if (*s == '\0')
            break;
        if (*s != ',')
            return -EINVAL;
        s++;
    }
    *out = first;
    return 0;
}

/* Matches word (case-insensitively) at *sp after blanks; advances. */
static int match_word(const char **sp, const char *word) {
    const char *s = skip_blanks(*sp);
    size_t n = strlen(word);
    if (strncasecmp(s, word, n) != 0)
        return 0;
    if (isalnum((unsigned char)s[n]) || s[n] == '_')
        return 0;
    *sp = s + n;
    return 1;
}

int weft__parse_bool(const char *s, int *out) {
    if (!s)
        return -EINVAL;
    if (match_word(&s, "true") && at_end(s)) {
        *out = 1;
        return 0;
    }
    if (match_word(&s, "false") && at_end(s)) {
        *out = 0;
        return 0;
    }
    return -EINVAL;
}

int weft__parse_schedule(const char *s, int *kind, int *chunk, int *mod) {
    int k, m = 0;
    long c = 0;
    if (!s)
        return -EINVAL;
    const char *save = s;
    if (match_word(&s, "monotonic") && *skip_blanks(s) == ':') {
        m = WEFT_SCHED_MOD_MONOTONIC;
        s = skip_blanks(s) + 1;
    } else if ((s = save, match_word(&s, "nonmonotonic")) &&
               *skip_blanks(s) == ':') {
        m = WEFT_SCHED_MOD_NONMONOTONIC;
        s = skip_blanks(s) + 1;
    } else {
        s = save;
    }
    if (match_word(&s, "static"))
        k = WEFT_SCHED_STATIC;
    else if (match_word(&s, "dynamic"))
        k = WEFT_SCHED_DYNAMIC;
    else if (match_word(&s, "guided"))
        k = WEFT_SCHED_GUIDED;
    else if (match_word(&s, "auto"))
        k = WEFT_SCHED_AUTO;
    else
        return -EINVAL;
    s = skip_blanks(s);
    if (*s == ',') {
        s++;
        int r = scan_long(&s, 1, INT_MAX, &c);
        if (r)
            return r == -ERANGE ? -ERANGE : -EINVAL;
        /* OpenMP: auto takes no chunk. */
        if (k == WEFT_SCHED_AUTO)
            return -EINVAL;
    }
    if (!at_end(s))
        return -EINVAL;
    *kind = k;
    *chunk = (int)c;
    *mod = m;
    return 0;
}

int weft__parse_wait_policy(const char *s, int *out) {
    if (!s)
        return -EINVAL;
    const char *save = s;
    if (match_word(&s, "active") && at_end(s)) {
        *out = WEFT__WAIT_ACTIVE;
        return 0;
    }
    s = save;
    if (match_word(&s, "passive") && at_end(s)) {
        *out = WEFT__WAIT_PASSIVE;
        return 0;
    }
    return -EINVAL;
}

int weft__parse_stacksize(const char *s, size_t *out) {
    long v;
    if (!s)
        return -EINVAL;
    int r = scan_long(&s, 1, LONG_MAX, &v);
    if (r)
        return r;
    s = skip_blanks(s);
    uint64_t mult = 1024;
    switch (*s) {
    case 'b':
    case 'B':
        mult = 1;
        s++;
        break;
    case 'k':
    case 'K':
        mult = 1024;
        s++;
        break;
    case 'm':
    case 'M':
        mult = 1024 * 1024;
        s++;
        break;
    case 'g':
    case 'G':
        mult = 1024 * 1024 * 1024;
        s++;
        break;
    default:
        break;
    }
    if (!at_end(s))
        return -EINVAL;
    if ((uint64_t)v > SIZE_MAX / mult)
        return -ERANGE;
    *out = (size_t)v * (size_t)mult;
    return 0;
}

int weft__parse_display_env(const char *s, int *out) {
    int b;
    if (!s)
        return -EINVAL;
    if (weft__parse_bool(s, &b) == 0) {
        *out = b;
        return 0;
    }
    if (match_word(&s, "verbose") && at_end(s)) {
        *out = 2;
        return 0;
    }
    return -EINVAL;
}

static const char *real_getenv(const char *name) { return getenv(name); }

static char *dup_or_null(const char *s) {
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *p = weft__malloc(n);
    memcpy(p, s, n);
    return p;
}

static void warn_bad(FILE *warn, const char *name, const char *value,
                     const char *what, const char *instead) {
    fprintf(warn, "weft: warning: %s='%s' %s; using %s\n", name, value, what,
            instead);
}

void weft__options_load(struct weft_options *o, weft__getenv_fn get,
                        FILE *warn) {
    const char *v;
    char buf[64];
    long l;
    int i;

    if (!get)
        get = real_getenv;
    if (!warn)
        warn = stderr;
    memset(o, 0, sizeof *o);
    o->ncpus = weft__sys_ncpus();
    o->nthreads = o->ncpus;
    o->sched_kind = WEFT_SCHED_STATIC;
    o->nested = -1;
    o->max_active_levels = 1;
    o->thread_limit = WEFT_MAX_THREADS;
    o->spin_us = WEFT_SPIN_US_DEFAULT;

    if ((v = get("OMP_NUM_THREADS"))) {
        if (weft__parse_num_threads(v, &l) == 0) {
            o->nthreads = (int)l;
            o->nthreads_set = 1;
        } else {
            snprintf(buf, sizeof buf, "%d", o->nthreads);
            warn_bad(warn, "OMP_NUM_THREADS", v, "is not a positive integer",
                     buf);
        }
    }
    if ((v = get("OMP_SCHEDULE"))) {
        int k, c, m;
        if (weft__parse_schedule(v, &k, &c, &m) == 0) {
            o->sched_kind = k;
            o->sched_chunk = c;
            o->sched_mod = m;
        } else {
            warn_bad(
                warn, "OMP_SCHEDULE", v,
                "is not "
                "[monotonic:|nonmonotonic:]static|dynamic|guided|auto[,chunk]",
                "static");
        }
    }
    if ((v = get("OMP_DYNAMIC"))) {
        if (weft__parse_bool(v, &i) == 0)
            o->dynamic = i;
        else
            warn_bad(warn, "OMP_DYNAMIC", v, "is not true or false", "false");
    }
    if ((v = get("OMP_WAIT_POLICY"))) {
        if (weft__parse_wait_policy(v, &i) == 0)
            o->wait_policy = i;
        else
            warn_bad(warn, "OMP_WAIT_POLICY", v, "is not active or passive",
                     "the default policy");
    }
    if (o->wait_policy == WEFT__WAIT_ACTIVE)
        o->spin_us = WEFT_SPIN_US_ACTIVE;
    else if (o->wait_policy == WEFT__WAIT_PASSIVE)
        o->spin_us = WEFT_SPIN_US_PASSIVE;
    if ((v = get("WEFT_SPIN_US"))) {
        if (weft__parse_long(v, 0, 60L * 1000 * 1000, &l) == 0) {
            o->spin_us = l;
        } else {
            snprintf(buf, sizeof buf, "%ld", o->spin_us);
            warn_bad(warn, "WEFT_SPIN_US", v,
                     "is not an integer from 0 to 60000000 (microseconds)",
                     buf);
        }
    }
    if ((v = get("OMP_NESTED"))) {
        if (weft__parse_bool(v, &i) == 0) {
            o->nested = i;
            o->max_active_levels = i ? WEFT_MAX_THREADS : 1;
        } else {
            warn_bad(warn, "OMP_NESTED", v, "is not true or false", "false");
        }
    }
    /* OMP_MAX_ACTIVE_LEVELS wins over OMP_NESTED (OpenMP 5). */
    if ((v = get("OMP_MAX_ACTIVE_LEVELS"))) {
        if (weft__parse_long(v, 0, INT_MAX, &l) == 0) {
            o->max_active_levels = (int)l;
        } else {
            snprintf(buf, sizeof buf, "%d", o->max_active_levels);
            warn_bad(warn, "OMP_MAX_ACTIVE_LEVELS", v,
                     "is not a non-negative integer", buf);
        }
    }
    if ((v = get("OMP_THREAD_LIMIT"))) {
        if (weft__parse_long(v, 1, INT_MAX, &l) == 0) {
            o->thread_limit = l > WEFT_MAX_THREADS ? WEFT_MAX_THREADS : (int)l;
        } else {
            snprintf(buf, sizeof buf, "%d", o->thread_limit);
            warn_bad(warn, "OMP_THREAD_LIMIT", v, "is not a positive integer",
                     buf);
        }
    }
    if (o->nthreads > o->thread_limit)
        o->nthreads = o->thread_limit;
    if ((v = get("OMP_STACKSIZE"))) {
        size_t sz;
        if (weft__parse_stacksize(v, &sz) == 0)
            o->stacksize = sz;
        else
            warn_bad(warn, "OMP_STACKSIZE", v,
                     "is not a size like 4M (units B, K, M, G)",
                     "the system default");
    }
    if ((v = get("OMP_DISPLAY_ENV"))) {
        if (weft__parse_display_env(v, &i) == 0)
            o->display_env = i;
        else
            warn_bad(warn, "OMP_DISPLAY_ENV", v,
                     "is not true, false or verbose", "false");
    }
    /* H26: weft does not implement cancellation: cancel constructs have
     * no effect and omp_get_cancellation() stays 0, as with the default
     * OMP_CANCELLATION=false; asking for it draws one warning. */
    if ((v = get("OMP_CANCELLATION"))) {
        if (weft__parse_bool(v, &i) != 0)
            warn_bad(warn, "OMP_CANCELLATION", v, "is not true or false",
                     "false");
        else if (i)
            fputs("weft: warning: OMP_CANCELLATION=true: weft does not "
                  "implement cancellation; cancel constructs have no effect "
                  "and omp_get_cancellation() returns 0\n",
                  warn);
    }
    o->places = dup_or_null(get("OMP_PLACES"));
    o->proc_bind = dup_or_null(get("OMP_PROC_BIND"));
    o->display_affinity = dup_or_null(get("OMP_DISPLAY_AFFINITY"));
    o->affinity_format = dup_or_null(get("OMP_AFFINITY_FORMAT"));
    o->secret = dup_or_null(get("WEFT_SECRET"));
    o->secret_file = dup_or_null(get("WEFT_SECRET_FILE"));
    o->coordinator = dup_or_null(get("WEFT_COORDINATOR"));
    o->worker = dup_or_null(get("WEFT_WORKER"));
    o->hosts = dup_or_null(get("WEFT_HOSTS"));
    o->listen = dup_or_null(get("WEFT_LISTEN"));
    o->join = dup_or_null(get("WEFT_JOIN"));
    o->min_workers = dup_or_null(get("WEFT_MIN_WORKERS"));
    o->min_workers_timeout = dup_or_null(get("WEFT_MIN_WORKERS_TIMEOUT"));
    o->heartbeat_ms = dup_or_null(get("WEFT_HEARTBEAT_MS"));
    o->input_cache = dup_or_null(get("WEFT_INPUT_CACHE"));
    o->stats = dup_or_null(get("WEFT_STATS"));
    o->trace = dup_or_null(get("WEFT_TRACE"));
    o->progress = dup_or_null(get("WEFT_PROGRESS"));
    o->handshake_timeout = dup_or_null(get("WEFT_HANDSHAKE_TIMEOUT"));
    o->parent_pid = dup_or_null(get("WEFT_PARENT_PID"));
    o->node_name = dup_or_null(get("WEFT_NODE_NAME"));
    o->transport = dup_or_null(get("WEFT_TRANSPORT"));
    static const char *const sizes[] = {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE"};
    for (size_t k = 0; k < 2 && !o->mpi_size; k++)
        if ((v = get(sizes[k])) && *v) {
            o->mpi_size = dup_or_null(v);
            o->mpi_launcher = sizes[k];
        }
    if (!o->mpi_size && (v = get("SLURM_NTASKS")) && *v &&
        (get("PMIX_RANK") || get("PMI_RANK") || get("PMI_FD"))) {
        o->mpi_size = dup_or_null(v);
        o->mpi_launcher = "SLURM_NTASKS";
    }
}

void weft__options_free(struct weft_options *o) {
    char **strs[] = {&o->places,
                     &o->proc_bind,
                     &o->display_affinity,
                     &o->affinity_format,
                     &o->secret,
                     &o->secret_file,
                     &o->coordinator,
                     &o->worker,
                     &o->hosts,
                     &o->listen,
                     &o->join,
                     &o->min_workers,
                     &o->min_workers_timeout,
                     &o->heartbeat_ms,
                     &o->input_cache,
                     &o->stats,
                     &o->trace,
                     &o->progress,
                     &o->handshake_timeout,
                     &o->parent_pid,
                     &o->node_name,
                     &o->transport,
                     &o->mpi_size};
    for (size_t k = 0; k < sizeof strs / sizeof strs[0]; k++) {
        weft__free(*strs[k]);
        *strs[k] = NULL;
    }
}

static const char *sched_name(int kind) {
    switch (kind) {
    case WEFT_SCHED_DYNAMIC:
        return "DYNAMIC";
    case WEFT_SCHED_GUIDED:
        return "GUIDED";
    case WEFT_SCHED_AUTO:
        return "AUTO";
    default:
        return "STATIC";
    }
}

void weft__options_display(const struct weft_options *o, FILE *f, int verbose) {
    fputs("\nOPENMP DISPLAY ENVIRONMENT BEGIN\n", f);
    fputs("  _OPENMP = '201511'\n", f);
    fprintf(f, "  OMP_DYNAMIC = '%s'\n", o->dynamic ? "TRUE" : "FALSE");
    fprintf(f, "  OMP_NESTED = '%s'\n",
            o->max_active_levels > 1 ? "TRUE" : "FALSE");
    fprintf(f, "  OMP_NUM_THREADS = '%d'\n", o->nthreads);
    fprintf(f, "  OMP_SCHEDULE = '%s%s",
            o->sched_mod == WEFT_SCHED_MOD_MONOTONIC      ? "MONOTONIC:"
            : o->sched_mod == WEFT_SCHED_MOD_NONMONOTONIC ? "NONMONOTONIC:"
                                                          : "",
            sched_name(o->sched_kind));
    if (o->sched_chunk > 0)
        fprintf(f, ",%d", o->sched_chunk);
    fputs("'\n", f);
    fprintf(f, "  OMP_PROC_BIND = '%s'\n",
            o->proc_bind ? o->proc_bind : "FALSE");
    fprintf(f, "  OMP_PLACES = '%s'\n", o->places ? o->places : "");
    fprintf(f, "  OMP_STACKSIZE = '%zu'\n", o->stacksize);
    fprintf(f, "  OMP_WAIT_POLICY = '%s'\n",
            o->wait_policy == WEFT__WAIT_ACTIVE ? "ACTIVE" : "PASSIVE");
    fprintf(f, "  OMP_THREAD_LIMIT = '%d'\n", o->thread_limit);
    fprintf(f, "  OMP_MAX_ACTIVE_LEVELS = '%d'\n", o->max_active_levels);
    fprintf(f, "  OMP_DISPLAY_AFFINITY = '%s'\n",
            o->display_affinity ? o->display_affinity : "FALSE");
    if (verbose) {
        fprintf(f, "  WEFT_SPIN_US = '%ld'\n", o->spin_us);
        fprintf(f, "  WEFT_NCPUS = '%d'\n", o->ncpus);
        fprintf(f, "  WEFT_COORDINATOR = '%s'\n",
                o->coordinator ? o->coordinator : "");
        fprintf(f, "  WEFT_HOSTS = '%s'\n", o->hosts ? o->hosts : "");
    }
    fputs("OPENMP DISPLAY ENVIRONMENT END\n", f);
}
