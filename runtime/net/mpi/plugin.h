/* This file handles the contract between libweft and its MPI plugin,
 * libweft-mpi.so: a versioned table of operations over standard MPI that
 * the plugin returns from its one exported function. libweft never links
 * libmpi; it dlopens the plugin only when a cluster runs over MPI, and
 * reaches MPI only through this table. Handles (communicator, request,
 * matched message) are opaque to libweft: the plugin allocates them, since
 * MPI_Comm and friends differ in type between Open MPI and MPICH. */
#ifndef WEFT_NET_MPI_PLUGIN_H
#define WEFT_NET_MPI_PLUGIN_H

#include <stddef.h>

/* Bumped whenever the table below changes; the plugin refuses other
 * versions, so a stale plugin next to a newer libweft fails cleanly. */
#define WEFT__MPI_PLUGIN_ABI 1
/* The exported symbol's name, for dlsym. */
#define WEFT__MPI_PLUGIN_SYMBOL "weft_mpi_plugin"

/* Thread support levels, in MPI's order (the plugin maps MPI's own
 * MPI_THREAD_* values, which are implementation-defined, to these). */
enum {
    WEFT__MPI_THREAD_SINGLE = 0,
    WEFT__MPI_THREAD_FUNNELED = 1,
    WEFT__MPI_THREAD_SERIALIZED = 2,
    WEFT__MPI_THREAD_MULTIPLE = 3
};

struct weft__mpi_comm;
struct weft__mpi_req;
struct weft__mpi_msg;

/* Every int-returning operation returns 0 or an MPI error code (> 0),
 * which error_string turns into text. Thread: any, within the thread
 * level MPI provided (weft asks for MPI_THREAD_MULTIPLE). */
struct weft__mpi_ops {
    unsigned abi_version; /* WEFT__MPI_PLUGIN_ABI */
    /* MPI_Init_thread(NULL, NULL, want) (want: a WEFT__MPI_THREAD_*
     * level); *provided gets the level MPI gave. */
    int (*init_thread)(int want, int *provided);
    /* MPI_Initialized / MPI_Finalized: 1 or 0. */
    int (*initialized)(void);
    int (*finalized)(void);
    /* MPI_Query_thread as a WEFT__MPI_THREAD_* level. */
    int (*query_thread)(void);
    /* Duplicates MPI_COMM_WORLD with MPI_ERRORS_RETURN set on the copy,
     * so errors on weft's traffic come back as codes. Ownership: release
     * with comm_free (before finalize). */
    int (*comm_dup_world)(struct weft__mpi_comm **out);
    void (*comm_free)(struct weft__mpi_comm *c);
    int (*comm_rank)(const struct weft__mpi_comm *c);
    int (*comm_size)(const struct weft__mpi_comm *c);
    /* Starts sending len (<= INT_MAX) bytes to rank peer with tag.
     * Ownership: buf must stay valid until the request completes or is
     * cancelled; *out is released by test (once done) or cancel. */
    int (*isend)(struct weft__mpi_comm *c, const void *buf, size_t len,
                 int peer, int tag, struct weft__mpi_req **out);
    /* MPI_Test: *done = 1 when complete (then the request is released). */
    int (*test)(struct weft__mpi_req *r, int *done);
    /* MPI_Cancel, then releases the request without waiting for it. */
    void (*cancel)(struct weft__mpi_req *r);
    /* MPI_Improbe for (peer, tag): *found = 1 with the message's byte
     * count in *len and the matched message in *msg (receive it with
     * imrecv: nobody else can now). */
    int (*improbe)(struct weft__mpi_comm *c, int peer, int tag, int *found,
                   size_t *len, struct weft__mpi_msg **msg);
    /* MPI_Imrecv of a matched message into buf (len bytes, its count).
     * Releases msg; *out as for isend. */
    int (*imrecv)(struct weft__mpi_msg *msg, void *buf, size_t len,
                  struct weft__mpi_req **out);
    /* MPI_Bcast of len bytes from root, in pieces of at most 64 MiB. */
    int (*bcast)(struct weft__mpi_comm *c, void *buf, size_t len, int root);
    /* MPI_Abort(c or MPI_COMM_WORLD when c is NULL, code): ends the job. */
    void (*abort)(struct weft__mpi_comm *c, int code);
    /* MPI_Finalize. */
    int (*finalize)(void);
    /* Text of an MPI error code into buf; returns buf. */
    const char *(*error_string)(int code, char *buf, size_t len);
    /* MPI_Get_library_version's first line, for diagnostics. */
    const char *(*library)(void);
};

/* The plugin's one export: the table when abi_version matches, else NULL.
 * Ownership: the table is static in the plugin. */
typedef const struct weft__mpi_ops *(*weft__mpi_plugin_fn)(
    unsigned abi_version);

#endif
