/* This file handles the cluster layer's start-up and shared pieces: the
 * table of registered cluster bodies (WEFT_cluster_register), the cluster
 * settings read from the environment, the hook WEFT_main_enter calls to
 * give the process its role (worker, coordinator, or plain program; over
 * sockets or, under an MPI launcher, over MPI), and the
 * little-endian byte helpers of the loop-spec codec. */
#include "weft-internal.h"

#include <dlfcn.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "net/cluster.h"
#include "net/handshake.h"
#include "net/mpi/mpi.h"

struct weft__cluster_cfg weft__ccfg;
struct weft__mpi_state weft__mpi;

/* ------------------------------------------------------------------ */
/* Registry                                                           */
/* ------------------------------------------------------------------ */

/* Registered entries in registration order. Written by constructors (and
 * by dlopen'ed libraries' constructors) under reg_lock; read under it. */
static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;
static const struct weft_cluster_body **reg;
static uint32_t nreg, capreg;

void WEFT_cluster_register(const struct weft_cluster_body *bodies, unsigned n) {
    pthread_mutex_lock(&reg_lock);
    for (unsigned i = 0; i < n; i++) {
        if (!bodies[i].key || !bodies[i].body)
            weft__fatal(
                NULL, "cluster body %u registered without key or function", i);
        if (nreg == capreg) {
            capreg = capreg ? 2 * capreg : 16;
            reg = weft__realloc(reg, capreg * sizeof *reg);
        }
        reg[nreg++] = &bodies[i];
    }
    pthread_mutex_unlock(&reg_lock);
}

const struct weft_cluster_body *weft__cluster_find(const char *key, size_t len,
                                                   uint32_t hint,
                                                   uint32_t *index) {
    const struct weft_cluster_body *found = NULL;
    pthread_mutex_lock(&reg_lock);
    for (uint32_t k = 0; k <= nreg && !found; k++) {
        /* k == 0 tries the hint; then every entry in order. */
        uint32_t i = k == 0 ? hint : k - 1;
        if (i >= nreg)
            continue;
        if (strlen(reg[i]->key) == len && memcmp(reg[i]->key, key, len) == 0) {
            found = reg[i];
            if (index)
                *index = i;
        }
    }
    pthread_mutex_unlock(&reg_lock);
    return found;
}

uint32_t weft__cluster_index(const struct weft_cluster_body *e) {
    uint32_t r = UINT32_MAX;
    pthread_mutex_lock(&reg_lock);
    for (uint32_t i = 0; i < nreg; i++)
        if (reg[i] == e) {
            r = i;
            break;
        }
    pthread_mutex_unlock(&reg_lock);
    return r;
}

/* ------------------------------------------------------------------ */
/* Byte helpers                                                       */
/* ------------------------------------------------------------------ */

void weft__bw_put(struct weft__bw *b, const void *src, size_t n) {
    if (b->err || n == 0)
        return;
    if (b->len + n > b->cap) {
        size_t nc = b->cap ? b->cap : 256;
        while (nc < b->len + n)
            nc *= 2;
        uint8_t *np = realloc(b->p, nc);
        if (!np) {
            b->err = WEFT_ENOMEM;
            return;
        }
        b->p = np;
        b->cap = nc;
    }
    memcpy(b->p + b->len, src, n);
    b->len += n;
}

void weft__bw_u16(struct weft__bw *b, uint16_t v) {
    uint8_t x[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
    weft__bw_put(b, x, 2);
}

void weft__bw_u32(struct weft__bw *b, uint32_t v) {
    uint8_t x[4];
    for (int i = 0; i < 4; i++)
        x[i] = (uint8_t)(v >> (8 * i));
    weft__bw_put(b, x, 4);
}

void weft__bw_u64(struct weft__bw *b, uint64_t v) {
    uint8_t x[8];
    for (int i = 0; i < 8; i++)
        x[i] = (uint8_t)(v >> (8 * i));
    weft__bw_put(b, x, 8);
}

const uint8_t *weft__br_take(struct weft__br *r, size_t n) {
    if (r->err || n > r->left) {
        r->err = WEFT_EPROTO;
        return NULL;
    }
    const uint8_t *p = r->p;
    r->p += n;
    r->left -= n;
    return p;
}

uint16_t weft__br_u16(struct weft__br *r) {
    const uint8_t *p = weft__br_take(r, 2);
    return p ? (uint16_t)(p[0] | p[1] << 8) : 0;
}

uint32_t weft__br_u32(struct weft__br *r) {
    const uint8_t *p = weft__br_take(r, 4);
    uint32_t v = 0;
    for (int i = 0; p && i < 4; i++)
        v |= (uint32_t)p[i] << (8 * i);
    return v;
}

uint64_t weft__br_u64(struct weft__br *r) {
    const uint8_t *p = weft__br_take(r, 8);
    uint64_t v = 0;
    for (int i = 0; p && i < 8; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

int weft__map_span(const struct weft_map *m, uint64_t lo, uint64_t hi,
                   int64_t *s0, int64_t *s1) {
    int64_t x0, x1, t;
    if (lo > INT64_MAX || hi - 1 > INT64_MAX || m->len > INT64_MAX)
        return WEFT_ERANGE;
    if (__builtin_mul_overflow(m->a, (int64_t)lo, &x0) ||
        __builtin_mul_overflow(m->a, (int64_t)(hi - 1), &x1))
        return WEFT_ERANGE;
    if (x0 > x1) {
        t = x0;
        x0 = x1;
        x1 = t;
    }
    if (__builtin_add_overflow(x0, m->b, s0) ||
        __builtin_add_overflow(x1, m->b, &t) ||
        __builtin_add_overflow(t, (int64_t)m->len, s1))
        return WEFT_ERANGE;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Settings and start-up                                              */
/* ------------------------------------------------------------------ */

static long get_long(const char *name, const char *v, long min, long max,
                     long dflt) {
    long l;
    if (!v)
        return dflt;
    if (weft__parse_long(v, min, max, &l) == 0)
        return l;
    weft__warn("%s='%s' is not an integer from %ld to %ld; using %ld", name, v,
               min, max, dflt);
    return dflt;
}

/* "123", "64K", "512M", "2G" -> bytes. */
static uint64_t get_bytes(const char *name, const char *v, uint64_t dflt) {
    if (!v)
        return dflt;
    char *end;
    errno = 0;
    unsigned long long x = strtoull(v, &end, 10);
    uint64_t mul = 1;
    if (*end == 'K' || *end == 'k')
        mul = 1ull << 10, end++;
    else if (*end == 'M' || *end == 'm')
        mul = 1ull << 20, end++;
    else if (*end == 'G' || *end == 'g')
        mul = 1ull << 30, end++;
    if (errno || end == v || *end || x == 0 || x > (UINT64_MAX >> 30)) {
        weft__warn("%s='%s' is not a size like 512M; using %llu bytes", name, v,
                   (unsigned long long)dflt);
        return dflt;
    }
    return x * mul;
}

static void load_cfg(void) {
    const struct weft_options *o = &weft__g.opts;
    struct weft__cluster_cfg *c = &weft__ccfg;
    c->listen = o->listen && *o->listen ? o->listen : NULL;
    c->join = o->join && *o->join ? o->join : NULL;
    c->min_workers =
        (int)get_long("WEFT_MIN_WORKERS", o->min_workers, 0, 100000, 0);
    c->min_workers_timeout_s = (int)get_long(
        "WEFT_MIN_WORKERS_TIMEOUT", o->min_workers_timeout, 0, 86400, 30);
    c->heartbeat_ms =
        (int)get_long("WEFT_HEARTBEAT_MS", o->heartbeat_ms, 10, 3600000, 1000);
    c->input_cache = get_bytes("WEFT_INPUT_CACHE", o->input_cache, 1ull << 30);
    c->stats = o->stats && *o->stats ? o->stats : NULL;
    c->progress = (int)get_long("WEFT_PROGRESS", o->progress, 0, 1, isatty(2));
    c->handshake_timeout_ms = (int)get_long(
        "WEFT_HANDSHAKE_TIMEOUT", o->handshake_timeout, 10, 600000, 5000);
    if (!c->listen && !c->join)
        return;
    if (o->secret && *o->secret) {
        c->secret_len = strlen(o->secret);
        c->secret = weft__malloc(c->secret_len);
        memcpy(c->secret, o->secret, c->secret_len);
    } else if (o->secret_file && *o->secret_file) {
        int rc = weft__hs_secret_read_file(o->secret_file, &c->secret,
                                           &c->secret_len);
        if (rc) {
            weft__warn("cannot use WEFT_SECRET_FILE '%s': %s", o->secret_file,
                       weft_strerror(rc));
            c->secret = NULL;
            c->secret_len = 0;
        }
    }
    if (c->secret && (c->secret_len < WEFT__HS_SECRET_MIN ||
                      c->secret_len > WEFT__HS_SECRET_MAX)) {
        weft__warn("the cluster secret must be %d to %d bytes long",
                   WEFT__HS_SECRET_MIN, WEFT__HS_SECRET_MAX);
        free(c->secret);
        c->secret = NULL;
        c->secret_len = 0;
    }
}

/* weftrun sets WEFT_PARENT_PID: end with it (no orphans), and notice when
 * it is already gone before the death signal was armed. */
static void arm_parent_death(void) {
    const char *v = weft__g.opts.parent_pid;
    long ppid;
    if (!v || weft__parse_long(v, 1, INT32_MAX, &ppid) != 0)
        return;
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if ((long)getppid() != ppid)
        _exit(1);
}

/* Whether this process runs as one rank of an MPI job with more than one
 * rank, and with which mode; ends the program on a contradiction
 * (WEFT_TRANSPORT=mpi without a launcher). Start-up, main thread. */
static int mpi_select(void) {
    const struct weft_options *o = &weft__g.opts;
    const char *tr = o->transport && *o->transport ? o->transport : NULL;
    int forced = 0;
    if (tr && strcmp(tr, "sockets") == 0)
        return WEFT__MPI_OFF;
    if (tr && strcmp(tr, "mpi") == 0)
        forced = 1;
    else if (tr)
        weft__warn("WEFT_TRANSPORT='%s' is not sockets or mpi; choosing by "
                   "launcher",
                   tr);
    long size = 0;
    if (o->mpi_size && weft__parse_long(o->mpi_size, 1, INT32_MAX, &size))
        size = 0;
    if (forced && size < 1) {
        fprintf(stderr,
                "weft: fatal: WEFT_TRANSPORT=mpi, but this process was not "
                "started by an MPI launcher (mpirun, mpiexec or srun: none "
                "of OMPI_COMM_WORLD_SIZE, PMI_SIZE, SLURM_NTASKS with "
                "PMI/PMIx is set)\n");
        exit(1);
    }
    if (size <= 1)
        return WEFT__MPI_OFF; /* one rank: a plain program */
    weft__mpi.size = (int)size;
    /* A program linked with libmpi calls MPI itself (the plugin is not
     * loaded yet, so this finds only the program's own MPI). */
    if (dlsym(RTLD_DEFAULT, "MPI_Init"))
        return WEFT__MPI_SPMD;
    return WEFT__MPI_TAKEOVER;
}

/* Takeover: initialise MPI, then rank 0 adopts every other rank as a
 * worker and returns to main; any other rank serves and never returns.
 * weft's threads all make MPI calls (one connection thread per worker
 * rank on rank 0, two serving threads on a worker), so it asks for
 * MPI_THREAD_MULTIPLE rather than funnelling through a progress thread. */
static void mpi_atexit(void);

static void mpi_takeover(void) {
    char err[1024];
    const struct weft__mpi_ops *mo = weft__mpi_load(err, sizeof err);
    if (!mo) {
        fprintf(stderr,
                "weft: fatal: started by an MPI launcher with %d ranks (%s), "
                "but the MPI plugin libweft-mpi.so cannot be loaded: %s "
                "(build weft with MPI, or set WEFT_TRANSPORT=sockets)\n",
                weft__mpi.size, weft__g.opts.mpi_launcher, err);
        exit(1);
    }
    int provided = 0;
    int rc = mo->init_thread(WEFT__MPI_THREAD_MULTIPLE, &provided);
    if (rc) {
        fprintf(stderr, "weft: fatal: MPI_Init_thread failed: %s\n",
                mo->error_string(rc, err, sizeof err));
        exit(1);
    }
    if (provided < WEFT__MPI_THREAD_MULTIPLE)
        weft__mpi_abort(NULL,
                        "the MPI library (%s) provides only %s; weft's "
                        "cluster loops need MPI_THREAD_MULTIPLE",
                        mo->library(), weft__mpi_level_name(provided));
    if ((rc = mo->comm_dup_world(&weft__mpi.comm)) != 0)
        weft__mpi_abort(NULL, "MPI_Comm_dup failed: %s",
                        mo->error_string(rc, err, sizeof err));
    weft__mpi.rank = mo->comm_rank(weft__mpi.comm);
    weft__mpi.size = mo->comm_size(weft__mpi.comm);
    weft__mpi.mode = WEFT__MPI_TAKEOVER;
    char name[WEFT__WIRE_NAME_MAX + 1], hn[64] = "";
    struct weft__transport *t;
    if (weft__mpi.rank != 0) {
        gethostname(hn, sizeof hn - 1);
        snprintf(name, sizeof name, "rank%d@%.60s", weft__mpi.rank, hn);
        if (weft__transport_mpi_create(weft__mpi.comm, 0, "rank 0", &t))
            weft__mpi_abort(weft__mpi.comm, "out of memory");
        weft__worker_serve(t, name);
    }
    /* Runs after weft__coord_atexit (registered below) said BYE. */
    atexit(mpi_atexit);
    for (int r = 1; r < weft__mpi.size; r++) {
        snprintf(name, sizeof name, "rank %d", r);
        if (weft__transport_mpi_create(weft__mpi.comm, r, name, &t))
            weft__mpi_abort(weft__mpi.comm, "out of memory");
        weft__coord_adopt(t, name);
    }
}

static void mpi_atexit(void) {
    const struct weft__mpi_ops *mo = weft__mpi_get();
    weft__coord_mpi_end();
    fflush(stdout);
    fflush(stderr);
    if (mo && !mo->finalized())
        mo->finalize();
}

void weft__cluster_main_enter(const struct weft_loc *loc) {
    static weft__atomic_u32 entered;
    (void)loc;
    if (weft__fetch_add(&entered, 1, WEFT__ACQ_REL) != 0)
        return;
    load_cfg();
    arm_parent_death();
    int mode = mpi_select();
    if (mode == WEFT__MPI_SPMD) {
        weft__mpi.mode = WEFT__MPI_SPMD; /* nothing until a cluster loop */
    } else if (mode == WEFT__MPI_TAKEOVER) {
        mpi_takeover();
        /* At exit, in this order: drain, BYE and stats, finalise. */
        atexit(weft__coord_atexit);
        atexit(weft__coord_mpi_drain);
        return;
    }
    if (weft__ccfg.join) {
        if (!weft__ccfg.secret) {
            fprintf(stderr, "weft: worker: WEFT_JOIN needs WEFT_SECRET or "
                            "WEFT_SECRET_FILE\n");
            _exit(1);
        }
        weft__worker_main();
    }
    if (weft__ccfg.listen) {
        if (!weft__ccfg.secret)
            weft__warn("WEFT_LISTEN needs WEFT_SECRET or WEFT_SECRET_FILE; "
                       "cluster loops run locally");
        else
            weft__coord_start();
    }
    if (weft__ccfg.listen || weft__ccfg.stats)
        atexit(weft__coord_atexit);
}
