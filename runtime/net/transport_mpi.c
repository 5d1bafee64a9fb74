/* This file handles the MPI transport of the cluster layer: frames between
 * this rank and one peer rank, carried as MPI messages on weft's own
 * communicator, behind the same struct weft__transport as sockets. It also
 * loads the MPI plugin on demand (libweft itself never links libmpi) and
 * ends a job cleanly on a fatal error.
 *
 * MPI has no receive timeouts, so every wait polls: MPI_Improbe (then
 * MPI_Imrecv) and MPI_Test, spinning briefly, then yielding, then napping
 * with a growing nap up to MAX_NAP_NS, until the deadline passes or
 * shutdown() sets the flag every poll checks. A send call becomes one or a
 * few MPI messages, each holding whole frames; a received message is
 * checked frame by frame (weft__mpi_frame_next) and frames after the first
 * wait in the receiving side's buffer for the next recv.
 *
 * Threads: senders are serialised by send_lock (MPI keeps the messages
 * between two ranks with one tag in order, so frames stay in order); one
 * thread receives at a time (the transport.h contract). `busy` counts the
 * threads inside an operation so that a rank can wait for them to leave
 * before MPI_Finalize. */
#include "weft-internal.h"

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "net/mpi/mpi.h"
#include "net/net.h"

#define SPIN_POLLS 32
#define YIELD_POLLS 64
#define MIN_NAP_NS 2000
#define MAX_NAP_NS 500000
/* Naps while a matched transfer completes stay short: a large message
 * moves in fragments, and each needs both sides to call into MPI. */
#define XFER_NAP_NS 20000
/* Polls a receive makes even when its deadline has already passed, so a
 * message that is there is not missed by a late caller. */
#define LATE_POLLS 8
/* Once a message is matched, it is received whole: the caller's deadline
 * (often just the next heartbeat) is stretched to at least this, since a
 * receive cut short would leave the stream out of step. */
#define XFER_TIMEOUT_NS (60ll * 1000000000)
/* Frames of one send call share a message up to this many bytes (a larger
 * frame goes alone), so small frames cost one message and a long INPUT
 * run still leaves the receiver between messages now and then. */
#define GROUP_BYTES ((size_t)256 << 10)

/* ------------------------------------------------------------------ */
/* The plugin                                                         */
/* ------------------------------------------------------------------ */

static pthread_mutex_t load_lock = PTHREAD_MUTEX_INITIALIZER;
static const struct weft__mpi_ops *_Atomic loaded;

const struct weft__mpi_ops *weft__mpi_get(void) {
    return atomic_load_explicit(&loaded, memory_order_acquire);
}

/* Tries one path; returns the table or NULL (reason appended to err). */
static const struct weft__mpi_ops *try_load(const char *path, char *err,
                                            size_t errlen) {
    /* RTLD_GLOBAL: Open MPI's own components, which it dlopens in turn,
     * resolve symbols of libmpi against the global scope. */
    void *h = dlopen(path, RTLD_NOW | RTLD_GLOBAL);
    if (!h) {
        const char *e = dlerror();
        size_t n = strlen(err);
        snprintf(err + n, errlen - n, "%s%s", n ? "; " : "",
                 e ? e : "dlopen failed");
        return NULL;
    }
    weft__mpi_plugin_fn fn;
    *(void **)&fn = dlsym(h, WEFT__MPI_PLUGIN_SYMBOL);
    const struct weft__mpi_ops *o = fn ? fn(WEFT__MPI_PLUGIN_ABI) : NULL;
    if (!o) {
        size_t n = strlen(err);
        snprintf(err + n, errlen - n,
                 "%s%s is not a weft MPI plugin of ABI version %d",
                 n ? "; " : "", path, WEFT__MPI_PLUGIN_ABI);
        dlclose(h);
    }
    return o;
}

const struct weft__mpi_ops *weft__mpi_load(char *err, size_t errlen) {
    const struct weft__mpi_ops *o = weft__mpi_get();
    if (o)
        return o;
    pthread_mutex_lock(&load_lock);
    o = weft__mpi_get();
    if (!o) {
        err[0] = 0;
        Dl_info info;
        char dir[PATH_MAX] = "", path[PATH_MAX + 64];
        if (dladdr((void *)weft__mpi_load, &info) && info.dli_fname) {
            snprintf(dir, sizeof dir, "%s", info.dli_fname);
            char *slash = strrchr(dir, '/');
            if (slash)
                *slash = 0;
            else
                dir[0] = 0;
        }
        /* Next to libweft (build/lib, the install libdir); for a program
         * linked with the static libweft, dli_fname is the program itself,
         * so also ../lib from there; then the search path. */
        if (dir[0]) {
            snprintf(path, sizeof path, "%s/libweft-mpi.so", dir);
            o = try_load(path, err, errlen);
            if (!o) {
                snprintf(path, sizeof path, "%s/../lib/libweft-mpi.so", dir);
                o = try_load(path, err, errlen);
            }
        }
        if (!o)
            o = try_load("libweft-mpi.so", err, errlen);
        if (o)
            atomic_store_explicit(&loaded, o, memory_order_release);
    }
    pthread_mutex_unlock(&load_lock);
    return o;
}

const char *weft__mpi_level_name(int level) {
    static const char *const names[] = {
        "MPI_THREAD_SINGLE", "MPI_THREAD_FUNNELED", "MPI_THREAD_SERIALIZED",
        "MPI_THREAD_MULTIPLE"};
    return level >= 0 && level < 4 ? names[level] : "an unknown thread level";
}

noreturn void weft__mpi_abort(struct weft__mpi_comm *c, const char *fmt, ...) {
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fprintf(stderr, "weft: fatal: %s; ending the MPI job\n", msg);
    fflush(stdout);
    fflush(stderr);
    const struct weft__mpi_ops *o = weft__mpi_get();
    if (o && o->initialized() && !o->finalized())
        o->abort(c, 1);
    _exit(1);
}

/* ------------------------------------------------------------------ */
/* Frame checks                                                       */
/* ------------------------------------------------------------------ */

int weft__mpi_frame_next(const uint8_t *buf, size_t len, size_t *pos,
                         size_t max_len, struct weft__hdr *h, size_t *payload) {
    if (*pos > len || len - *pos < WEFT__WIRE_HDR_LEN)
        return WEFT_EPROTO;
    int rc = weft__wire_decode_header(buf + *pos, max_len, h);
    if (rc)
        return rc;
    size_t at = *pos + WEFT__WIRE_HDR_LEN;
    if (h->length > len - at)
        return WEFT_EPROTO;
    *payload = at;
    *pos = at + h->length;
    return 0;
}

/* ------------------------------------------------------------------ */
/* The transport                                                      */
/* ------------------------------------------------------------------ */

struct mpi_transport {
    struct weft__transport base; /* first: the ops table */
    const struct weft__mpi_ops *o;
    struct weft__mpi_comm *comm;
    int peer;
    /* Set once a direction breaks (or by shutdown): later calls fail
     * fast. Relaxed: the flags only make calls fail earlier. */
    atomic_int rx_broken, tx_broken, stop;
    atomic_int busy; /* threads inside send or recv */
    pthread_mutex_t send_lock;
    char name[64];
    /* The receiving thread only: the last message, and where its next
     * unread frame starts. */
    uint8_t *rx;
    size_t rx_len, rx_pos;
};

/* One step of a poll loop: spin, then yield, then nap (growing up to
 * max_nap_ns). */
static void poll_pause(unsigned *k, long max_nap_ns) {
    if (*k < SPIN_POLLS) {
        (*k)++;
        return;
    }
    if (*k < SPIN_POLLS + YIELD_POLLS) {
        (*k)++;
        sched_yield();
        return;
    }
    unsigned shift = *k - SPIN_POLLS - YIELD_POLLS;
    long ns = MIN_NAP_NS << (shift < 10 ? shift : 10);
    if (ns > max_nap_ns)
        ns = max_nap_ns;
    else
        (*k)++;
    struct timespec ts = {0, ns};
    nanosleep(&ts, NULL);
}

/* Polls receive request r to completion. Returns 0, WEFT_ETIMEDOUT,
 * WEFT_EIO (shutdown or an MPI error); on failure r is cancelled, and the
 * caller must leak the buffer (MPI may still write it). */
static int wait_recv(struct mpi_transport *m, struct weft__mpi_req *r,
                     int64_t deadline_ns) {
    unsigned k = 0;
    for (;;) {
        int done = 0;
        if (m->o->test(r, &done) != 0)
            break;
        if (done)
            return 0;
        if (atomic_load_explicit(&m->stop, memory_order_relaxed))
            break;
        if (deadline_ns != WEFT__NET_NO_DEADLINE &&
            weft__net_now_ns() >= deadline_ns) {
            m->o->cancel(r);
            return WEFT_ETIMEDOUT;
        }
        poll_pause(&k, XFER_NAP_NS);
    }
    m->o->cancel(r);
    return WEFT_EIO;
}

/* Polls send request r (of len bytes) to completion. A send that started
 * cannot be abandoned: MPI may read the caller's buffer until it completes
 * (MPI_Cancel rarely stops a send that began), so shutdown does not cut it
 * short, and one that fails or outlives its deadline ends the job (a
 * broken MPI link is fatal anyway). */
static void wait_send(struct mpi_transport *m, struct weft__mpi_req *r,
                      size_t len, int64_t deadline_ns) {
    unsigned k = 0;
    char err[256];
    for (;;) {
        int done = 0;
        int rc = m->o->test(r, &done);
        if (rc)
            weft__mpi_abort(m->comm, "sending %zu bytes to %s failed: %s", len,
                            m->name, m->o->error_string(rc, err, sizeof err));
        if (done)
            return;
        if (deadline_ns != WEFT__NET_NO_DEADLINE &&
            weft__net_now_ns() >= deadline_ns)
            weft__mpi_abort(m->comm,
                            "sending %zu bytes to %s timed out (the rank "
                            "does not receive)",
                            len, m->name);
        poll_pause(&k, XFER_NAP_NS);
    }
}

static int mpi_send(struct weft__transport *t, const uint8_t *frames,
                    size_t len, int64_t deadline_ns) {
    struct mpi_transport *m = (struct mpi_transport *)t;
    int rc = 0;
    atomic_fetch_add(&m->busy, 1);
    pthread_mutex_lock(&m->send_lock);
    size_t off = 0;
    while (rc == 0 && off < len) {
        if (atomic_load_explicit(&m->tx_broken, memory_order_relaxed) ||
            atomic_load_explicit(&m->stop, memory_order_relaxed)) {
            rc = WEFT_EIO;
            break;
        }
        /* Whole frames, as many as fit in one message (at least one: the
         * encoders never build a frame over the maximum). */
        size_t end = off;
        while (end < len) {
            struct weft__hdr h;
            size_t p = end, pl;
            if (weft__mpi_frame_next(frames, len, &p, WEFT__WIRE_MAX_FRAME, &h,
                                     &pl) != 0) {
                rc = WEFT_EINVAL;
                break;
            }
            if (p - off > GROUP_BYTES && end > off)
                break;
            end = p;
        }
        if (rc)
            break;
        struct weft__mpi_req *r;
        if (m->o->isend(m->comm, frames + off, end - off, m->peer,
                        WEFT__MPI_TAG, &r) != 0)
            rc = WEFT_EIO;
        else
            wait_send(m, r, end - off, deadline_ns);
        off = end;
    }
    if (rc)
        atomic_store_explicit(&m->tx_broken, 1, memory_order_relaxed);
    pthread_mutex_unlock(&m->send_lock);
    atomic_fetch_sub(&m->busy, 1);
    return rc;
}

/* Takes the next frame of the buffered message into *f. */
static int take_frame(struct mpi_transport *m, struct weft__frame *f,
                      size_t max_len) {
    size_t pl;
    int rc = weft__mpi_frame_next(m->rx, m->rx_len, &m->rx_pos, max_len,
                                  &f->hdr, &pl);
    if (rc)
        return rc;
    size_t n = f->hdr.length;
    if (pl == WEFT__WIRE_HDR_LEN && m->rx_pos == m->rx_len) {
        /* The message's only frame: hand its buffer over. */
        memmove(m->rx, m->rx + pl, n);
        f->payload = n ? m->rx : NULL;
        if (!n)
            free(m->rx);
        m->rx = NULL;
        m->rx_len = m->rx_pos = 0;
        return 0;
    }
    if (n) {
        f->payload = malloc(n);
        if (!f->payload)
            return WEFT_ENOMEM;
        memcpy(f->payload, m->rx + pl, n);
    }
    if (m->rx_pos == m->rx_len) {
        free(m->rx);
        m->rx = NULL;
        m->rx_len = m->rx_pos = 0;
    }
    return 0;
}

static int mpi_recv(struct weft__transport *t, struct weft__frame *f,
                    size_t max_len, int64_t deadline_ns) {
    struct mpi_transport *m = (struct mpi_transport *)t;
    int rc = 0;
    f->payload = NULL;
    atomic_fetch_add(&m->busy, 1);
    if (atomic_load_explicit(&m->rx_broken, memory_order_relaxed) ||
        atomic_load_explicit(&m->stop, memory_order_relaxed)) {
        rc = WEFT_EIO;
        goto out;
    }
    if (!m->rx) {
        unsigned k = 0;
        int found = 0;
        size_t len = 0;
        struct weft__mpi_msg *msg = NULL;
        for (;;) {
            if (m->o->improbe(m->comm, m->peer, WEFT__MPI_TAG, &found, &len,
                              &msg) != 0) {
                rc = WEFT_EIO;
                goto broken;
            }
            if (found)
                break;
            if (atomic_load_explicit(&m->stop, memory_order_relaxed)) {
                rc = WEFT_EIO;
                goto broken;
            }
            if (deadline_ns != WEFT__NET_NO_DEADLINE && k >= LATE_POLLS &&
                weft__net_now_ns() >= deadline_ns) {
                rc = WEFT_ETIMEDOUT; /* nothing taken: still usable */
                goto out;
            }
            poll_pause(&k, MAX_NAP_NS);
        }
        /* The message is ours now: bound it before allocating. */
        uint8_t *buf = len <= WEFT__MPI_MAX_MSG ? malloc(len ? len : 1) : NULL;
        struct weft__mpi_req *r;
        if (!buf) {
            /* Left unreceived: the stream is out of step, and the job
             * ends (MPI mode treats a broken link as fatal). */
            rc = len > WEFT__MPI_MAX_MSG ? WEFT_EMSGSIZE : WEFT_ENOMEM;
            goto broken;
        }
        if (m->o->imrecv(msg, buf, len, &r) != 0) {
            free(buf);
            rc = WEFT_EIO;
            goto broken;
        }
        int64_t xfer = weft__net_now_ns() + XFER_TIMEOUT_NS;
        if (deadline_ns != WEFT__NET_NO_DEADLINE && deadline_ns < xfer)
            deadline_ns = xfer;
        rc = wait_recv(m, r, deadline_ns);
        if (rc) {
            /* A cancelled receive may still write: leak buf rather than
             * free memory MPI could touch. */
            goto broken;
        }
        m->rx = buf;
        m->rx_len = len;
        m->rx_pos = 0;
    }
    rc = take_frame(m, f, max_len);
    if (rc == 0)
        goto out;
broken:
    atomic_store_explicit(&m->rx_broken, 1, memory_order_relaxed);
out:
    atomic_fetch_sub(&m->busy, 1);
    return rc;
}

static void mpi_shutdown(struct weft__transport *t) {
    struct mpi_transport *m = (struct mpi_transport *)t;
    atomic_store_explicit(&m->stop, 1, memory_order_relaxed);
    atomic_store_explicit(&m->rx_broken, 1, memory_order_relaxed);
    atomic_store_explicit(&m->tx_broken, 1, memory_order_relaxed);
}

static void mpi_close(struct weft__transport *t) {
    struct mpi_transport *m = (struct mpi_transport *)t;
    free(m->rx);
    pthread_mutex_destroy(&m->send_lock);
    free(m);
}

static const char *mpi_peer(const struct weft__transport *t) {
    return ((const struct mpi_transport *)t)->name;
}

static const struct weft__transport_ops mpi_ops = {
    .send = mpi_send,
    .recv = mpi_recv,
    .shutdown = mpi_shutdown,
    .close = mpi_close,
    .peer = mpi_peer,
};

int weft__transport_mpi_create(struct weft__mpi_comm *c, int peer,
                               const char *name, struct weft__transport **out) {
    const struct weft__mpi_ops *o = weft__mpi_get();
    if (!o)
        return WEFT_EINVAL;
    struct mpi_transport *m = calloc(1, sizeof *m);
    if (!m)
        return WEFT_ENOMEM;
    m->base.ops = &mpi_ops;
    m->o = o;
    m->comm = c;
    m->peer = peer;
    atomic_init(&m->rx_broken, 0);
    atomic_init(&m->tx_broken, 0);
    atomic_init(&m->stop, 0);
    atomic_init(&m->busy, 0);
    pthread_mutex_init(&m->send_lock, NULL);
    snprintf(m->name, sizeof m->name, "%s", name ? name : "rank ?");
    *out = &m->base;
    return 0;
}

int weft__transport_mpi_quiesce(struct weft__transport *t,
                                int64_t deadline_ns) {
    struct mpi_transport *m = (struct mpi_transport *)t;
    while (atomic_load(&m->busy) > 0) {
        if (weft__net_now_ns() >= deadline_ns)
            return WEFT_ETIMEDOUT;
        struct timespec ts = {0, 200000};
        nanosleep(&ts, NULL);
    }
    return 0;
}
