/* This file handles the interface shared by the cluster scheduler's parts:
 * cluster.c (body registry, settings, the loop-spec codec, the start-up
 * hook WEFT_main_enter calls), coord.c (the coordinator: listener,
 * connections, WEFT_parallel_for_cluster) and worker.c (a process started
 * with WEFT_JOIN). Nothing here crosses the ABI: generated code sees only
 * weft/abi.h. */
#ifndef WEFT_NET_CLUSTER_H
#define WEFT_NET_CLUSTER_H

#include <stddef.h>
#include <stdint.h>
#include <stdnoreturn.h>

#include "weft/abi.h"

#ifndef WEFT_INTERNAL
#define WEFT_INTERNAL __attribute__((visibility("hidden")))
#endif

/* Called by WEFT_main_enter after the runtime's init, so every constructor
 * has registered its cluster bodies. Under an MPI launcher with several
 * ranks (and WEFT_TRANSPORT unset or mpi) it initialises MPI, rank 0 adopts
 * the other ranks as workers and they never return (or, in a program that
 * uses MPI itself, it only notes that). Else, in a process with WEFT_JOIN it
 * becomes the worker and never returns; with WEFT_LISTEN it opens the door
 * to workers; with WEFT_STATS it arranges the statistics file. Main thread,
 * once. */
WEFT_INTERNAL void weft__cluster_main_enter(const struct weft_loc *loc);

/* Cluster settings, parsed once from weft__g.opts by
 * weft__cluster_main_enter (before any other cluster thread exists) and
 * read-only afterwards. */
struct weft__cluster_cfg {
    const char *listen; /* WEFT_LISTEN or NULL */
    const char *join;   /* WEFT_JOIN or NULL */
    uint8_t *secret;    /* WEFT_SECRET or WEFT_SECRET_FILE's content */
    size_t secret_len;
    int min_workers;           /* WEFT_MIN_WORKERS, default 0 */
    int min_workers_timeout_s; /* WEFT_MIN_WORKERS_TIMEOUT, default 30 */
    int heartbeat_ms;          /* WEFT_HEARTBEAT_MS, default 1000 */
    uint64_t input_cache;      /* WEFT_INPUT_CACHE bytes, default 1 GiB */
    const char *stats;         /* WEFT_STATS or NULL */
    int progress;              /* WEFT_PROGRESS, default: stderr is a tty */
    int handshake_timeout_ms;  /* WEFT_HANDSHAKE_TIMEOUT, default 5000 */
};
WEFT_INTERNAL extern struct weft__cluster_cfg weft__ccfg;

/* The registered body with this key (len bytes, not NUL-terminated), or
 * NULL. `hint` is tried first (the index the coordinator found). Sets
 * *index when found. Thread: any, after start-up. */
WEFT_INTERNAL const struct weft_cluster_body *
weft__cluster_find(const char *key, size_t len, uint32_t hint, uint32_t *index);
/* Index of a registered entry (its position in registration order), or
 * UINT32_MAX when the pointer is not one of the registered entries. */
WEFT_INTERNAL uint32_t weft__cluster_index(const struct weft_cluster_body *e);

/* Coordinator start-up (coord.c): opens WEFT_LISTEN and starts the accept
 * thread. Returns 0 or -errno (with a warning printed). */
WEFT_INTERNAL int weft__coord_start(void);
/* Coordinator end (coord.c): says BYE to every worker and writes
 * WEFT_STATS. Registered with atexit. */
WEFT_INTERNAL void weft__coord_atexit(void);

/* Worker role (worker.c): joins WEFT_JOIN, serves chunks, exits 0 when the
 * coordinator says BYE or goes away, 1 when it refused us. */
WEFT_INTERNAL noreturn void weft__worker_main(void);

/* ------------------------------------------------------------------ */
/* Cluster loops over MPI (transport_mpi.c, runtime/net/mpi/)          */
/* ------------------------------------------------------------------ */

struct weft__transport;
struct weft__mpi_comm;

/* How this process takes part in an MPI job, decided once by
 * weft__cluster_main_enter and read-only afterwards (SPMD fills comm at
 * the first cluster loop, under the coordinator's lock). */
enum {
    WEFT__MPI_OFF = 0,  /* no launcher, one rank, or WEFT_TRANSPORT=sockets */
    WEFT__MPI_TAKEOVER, /* weft initialised MPI: rank 0 coordinates */
    WEFT__MPI_SPMD      /* the program uses MPI itself: every rank runs main */
};
struct weft__mpi_state {
    int mode;
    int rank, size;
    struct weft__mpi_comm *comm; /* weft's duplicate of MPI_COMM_WORLD */
};
WEFT_INTERNAL extern struct weft__mpi_state weft__mpi;

/* Coordinator (coord.c): runs the handshake with the worker at the other
 * end of t (an MPI rank link named `name`) in the calling thread, then
 * serves it from a connection thread of its own. A lost MPI worker ends
 * the job (weft__mpi_abort) instead of being re-queued around. Returns 0
 * or WEFT_EPROTO. Ownership: t belongs to the coordinator from here. */
WEFT_INTERNAL int weft__coord_adopt(struct weft__transport *t,
                                    const char *name);
/* Coordinator at exit, before weft__coord_atexit says BYE: waits (at most
 * 5 s) until no MPI worker still runs a chunk (a late duplicate), so no
 * worker is left sending a result nobody receives. */
WEFT_INTERNAL void weft__coord_mpi_drain(void);
/* Coordinator at exit, after weft__coord_atexit said BYE: shuts every MPI
 * link and waits (bounded) until no connection thread uses MPI, so that
 * MPI_Finalize may follow. */
WEFT_INTERNAL void weft__coord_mpi_end(void);

/* Worker role over an MPI rank link t (worker.c): handshake as `name`,
 * then serves chunks like a WEFT_JOIN worker; at BYE it finalises MPI and
 * exits 0. Never returns. */
WEFT_INTERNAL noreturn void weft__worker_serve(struct weft__transport *t,
                                               const char *name);

/* SPMD worker side (worker.c), on ranks other than 0 of a program that
 * uses MPI itself. weft__worker_spmd_join: handshake over t as `name` at
 * the first cluster loop (ends the job on failure). weft__worker_spmd_serve:
 * serves one cluster loop's chunks in the calling thread (a heartbeat
 * thread runs meanwhile) until rank 0 ends the loop, then acknowledges and
 * returns with no weft message left in flight. Calling thread only. */
WEFT_INTERNAL void weft__worker_spmd_join(struct weft__transport *t,
                                          const char *name);
WEFT_INTERNAL void weft__worker_spmd_serve(void);

/* ------------------------------------------------------------------ */
/* The loop spec: what a worker needs besides the registered body      */
/* ------------------------------------------------------------------ */

/* A CHUNK_REQ's data field, little-endian:
 *   u32 flags (WEFT__SPEC_PRESENT: the loop spec follows)
 *   [spec] u16 key_len, key, u64 red_size, u64 red_align,
 *          u32 nmap, nmap x {u32 kind, u32 cap, u64 elem_size, i64 a,
 *                            i64 b, u64 len},
 *          u32 ncap, ncap x {u32 flags, u64 size, VALUE: size bytes}
 *   u32 nslices, nslices x {u32 map_index, u64 len, bytes}: the chunk's
 *          TOFROM spans, in full, in map order.
 * The spec travels in the first request of each loop to each worker; later
 * requests of the loop carry flags 0. */
#define WEFT__SPEC_PRESENT 0x1u
/* Bounds a worker enforces on specs (an authenticated coordinator is
 * trusted, but sizes still must not overflow). */
#define WEFT__SPEC_MAX_MAPS 256u
#define WEFT__SPEC_MAX_CAPS 4096u
#define WEFT__SPEC_MAX_SPAN ((uint64_t)1 << 40)

/* Little-endian append/read helpers on byte buffers. */
struct weft__bw {
    uint8_t *p;
    size_t len, cap;
    int err; /* WEFT_ENOMEM once an append failed */
};
WEFT_INTERNAL void weft__bw_put(struct weft__bw *b, const void *src, size_t n);
WEFT_INTERNAL void weft__bw_u16(struct weft__bw *b, uint16_t v);
WEFT_INTERNAL void weft__bw_u32(struct weft__bw *b, uint32_t v);
WEFT_INTERNAL void weft__bw_u64(struct weft__bw *b, uint64_t v);
struct weft__br {
    const uint8_t *p;
    size_t left;
    int err; /* WEFT_EPROTO once a read ran past the end (sticky) */
};
WEFT_INTERNAL const uint8_t *weft__br_take(struct weft__br *r, size_t n);
WEFT_INTERNAL uint16_t weft__br_u16(struct weft__br *r);
WEFT_INTERNAL uint32_t weft__br_u32(struct weft__br *r);
WEFT_INTERNAL uint64_t weft__br_u64(struct weft__br *r);

/* Element span [*s0, *s1) that logical iterations [lo, hi) (lo < hi) of
 * map m touch. Returns 0, or WEFT_ERANGE when it does not fit in int64. */
WEFT_INTERNAL int weft__map_span(const struct weft_map *m, uint64_t lo,
                                 uint64_t hi, int64_t *s0, int64_t *s1);

#endif
