/* This file handles libweft's side of cluster loops over MPI: loading the
 * plugin (runtime/net/mpi/plugin.h) on demand, the transport that carries
 * frames as MPI messages to one rank, the pure frame scanner it uses on
 * every received message, and ending a job on a fatal error. Implemented
 * in runtime/net/transport_mpi.c. */
#ifndef WEFT_NET_MPI_MPI_H
#define WEFT_NET_MPI_MPI_H

#include <stddef.h>
#include <stdint.h>
#include <stdnoreturn.h>

#include "net/mpi/plugin.h"
#include "net/transport.h"
#include "net/wire.h"

/* The MPI tag of weft's frames on its own communicator. */
#define WEFT__MPI_TAG 0x5746
/* Largest MPI message weft sends or accepts: the frames of one send call,
 * grouped up to one maximal frame with its header. */
#define WEFT__MPI_MAX_MSG ((size_t)WEFT__WIRE_MAX_FRAME + WEFT__WIRE_HDR_LEN)
/* The handshake's HMAC key over MPI. Public on purpose: the launcher
 * vouches for the ranks, so the handshake only checks the protocol version
 * and the build id (same binary) and exchanges names and settings. */
#define WEFT__MPI_HS_SECRET "weft-mpi-launcher-vouches-for-ranks"

/* BYE code that ends one cluster loop of an MPI program (SPMD): rank 0
 * sends it, the worker rank answers with the same code. */
#define WEFT__MPI_BYE_LOOP_END 0x504f4f4cu

/* "MPI_THREAD_MULTIPLE" and so on for a WEFT__MPI_THREAD_* level. */
WEFT_INTERNAL const char *weft__mpi_level_name(int level);

/* Loads libweft-mpi.so once (next to the loaded libweft, found with
 * dladdr, then through the normal search path) and returns its table, or
 * NULL with the reason in err. Thread: any (loads under a lock). */
WEFT_INTERNAL const struct weft__mpi_ops *weft__mpi_load(char *err,
                                                         size_t errlen);
/* The table once loaded, else NULL. */
WEFT_INTERNAL const struct weft__mpi_ops *weft__mpi_get(void);

/* Checks the frame that starts at buf[*pos] in a received message of len
 * bytes: header (magic, flags, version, length <= max_len, as
 * weft__wire_decode_header) and that the whole payload lies inside the
 * message. On success fills *h, sets *payload to the payload's offset and
 * advances *pos past the frame. Returns 0, WEFT_EPROTO (bad header, or a
 * frame cut short by the end of the message), WEFT_EMSGSIZE or
 * WEFT_ENOTSUP. Pure; thread: any. */
WEFT_INTERNAL int weft__mpi_frame_next(const uint8_t *buf, size_t len,
                                       size_t *pos, size_t max_len,
                                       struct weft__hdr *h, size_t *payload);

/* Wraps the link to rank `peer` of communicator c as a transport named
 * `name`. Sends group whole frames into messages of at most
 * 256 KiB (a larger frame alone); receives check every frame of every
 * message. A send that began is never abandoned (MPI may still read the
 * caller's buffer): one that fails or misses its deadline ends the job
 * with weft__mpi_abort, and shutdown() stops only receives and new sends.
 * Returns 0 or WEFT_ENOMEM. Ownership: c stays the caller's and must
 * outlive the transport; release with weft__transport_close(). */
WEFT_INTERNAL int weft__transport_mpi_create(struct weft__mpi_comm *c, int peer,
                                             const char *name,
                                             struct weft__transport **out);

/* Waits (until deadline_ns) until no thread is inside an operation of the
 * MPI transport t; call after shutdown, before MPI_Finalize. Returns 0 or
 * WEFT_ETIMEDOUT. */
WEFT_INTERNAL int weft__transport_mpi_quiesce(struct weft__transport *t,
                                              int64_t deadline_ns);

/* Prints "weft: fatal: <message>; ending the MPI job" and calls MPI_Abort
 * on c (or MPI_COMM_WORLD), so the launcher ends every rank. Any thread. */
WEFT_INTERNAL noreturn void weft__mpi_abort(struct weft__mpi_comm *c,
                                            const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
