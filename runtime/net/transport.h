/* This file handles the transport interface of the cluster layer: a
 * connection that moves whole frames, with deadlines, to one peer. The
 * scheduler (coordinator and worker) and the handshake use only this
 * interface, so the socket transport here and a later MPI transport are
 * interchangeable. */
#ifndef WEFT_NET_TRANSPORT_H
#define WEFT_NET_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>

#include "net/wire.h"

/* A received frame. Ownership: payload (hdr.length bytes, NULL when 0) is
 * malloc'd by the transport and released with weft__frame_free(). */
struct weft__frame {
    struct weft__hdr hdr;
    uint8_t *payload;
};

/* Frees f->payload and clears it; safe on a zeroed or freed frame. */
WEFT_INTERNAL void weft__frame_free(struct weft__frame *f);

/* Decodes a received frame's body into m (views into f->payload, which
 * must outlive m). Returns 0 or WEFT_EPROTO. */
WEFT_INTERNAL int weft__frame_decode(const struct weft__frame *f,
                                     struct weft__msg *m);

struct weft__transport;

/* Operations of a transport. Deadlines are absolute weft__net_now_ns()
 * values (WEFT__NET_NO_DEADLINE: none). Once an operation fails partway
 * through a frame, the stream is out of step and every later send or recv
 * fails with WEFT_EIO (each direction on its own: after a bad incoming frame a
 * REJECT can still be sent); a recv that times out before the first byte of a
 * frame arrived leaves the transport usable. */
struct weft__transport_ops {
    /* Sends `len` bytes holding one or more complete frames (as built by
     * the wire encoders in a weft__wbuf), atomically with respect to other
     * senders. Returns 0, WEFT_ETIMEDOUT, WEFT_EIO or -errno.
     * Thread: any; sends are serialised inside the transport. */
    int (*send)(struct weft__transport *t, const uint8_t *frames, size_t len,
                int64_t deadline_ns);
    /* Receives the next frame into *f after checking its header (magic,
     * flags, length <= max_len before allocating: WEFT_EMSGSIZE; other
     * version: WEFT_ENOTSUP with f->hdr filled and no payload read).
     * Returns 0, WEFT_ETIMEDOUT, WEFT_ECONNRESET (peer closed), WEFT_EPROTO,
     * WEFT_EMSGSIZE, WEFT_ENOTSUP, WEFT_EIO or -errno.
     * Thread: one receiving thread at a time. Ownership: caller frees
     * *f with weft__frame_free() (only after a 0 return). */
    int (*recv)(struct weft__transport *t, struct weft__frame *f,
                size_t max_len, int64_t deadline_ns);
    /* Makes blocked and later send/recv calls fail promptly (for example
     * after a missed heartbeat) without releasing anything.
     * Thread: any, also while another thread is inside send or recv. */
    void (*shutdown)(struct weft__transport *t);
    /* Releases the transport. Thread: the owner, once no other thread
     * uses it. */
    void (*close)(struct weft__transport *t);
    /* Printable name of the peer, for diagnostics. Ownership: belongs to
     * the transport, valid until close. */
    const char *(*peer)(const struct weft__transport *t);
};

/* Every transport begins with this; implementations extend it. */
struct weft__transport {
    const struct weft__transport_ops *ops;
};

static inline int weft__transport_send(struct weft__transport *t,
                                       const uint8_t *frames, size_t len,
                                       int64_t deadline_ns) {
    return t->ops->send(t, frames, len, deadline_ns);
}

static inline int weft__transport_recv(struct weft__transport *t,
                                       struct weft__frame *f, size_t max_len,
                                       int64_t deadline_ns) {
    return t->ops->recv(t, f, max_len, deadline_ns);
}

static inline void weft__transport_shutdown(struct weft__transport *t) {
    t->ops->shutdown(t);
}

static inline void weft__transport_close(struct weft__transport *t) {
    if (t)
        t->ops->close(t);
}

static inline const char *
weft__transport_peer(const struct weft__transport *t) {
    return t->ops->peer(t);
}

/* Wraps connected stream socket `fd` (TCP, or a UNIX socketpair in tests)
 * as a transport. `peer` names the peer (NULL: from getpeername).
 * Returns 0 or WEFT_ENOMEM. Ownership: on success the transport owns fd
 * and closes it in close(); on failure the caller keeps fd. Caller
 * releases *out with weft__transport_close(). */
WEFT_INTERNAL int weft__transport_sock_create(int fd, const char *peer,
                                              struct weft__transport **out);

#endif
