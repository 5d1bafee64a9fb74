/* This file handles the socket transport: frames over one connected stream
 * socket, built on the net.c helpers. A mutex serialises senders so frames
 * from several threads never interleave; the receiving side belongs to one
 * thread at a time and needs no lock. A failure in the middle of a frame
 * marks the stream broken (the peer and we no longer agree where frames
 * begin), and every later call fails fast.
 *
 * Receiving is buffered: one recv(2) takes whatever the socket holds (up to
 * RX_BUF bytes), so a small frame costs one poll and one recv rather than a
 * read for its header and another for its payload, and frames that arrive
 * together cost one recv for all. A payload larger than the buffer is read
 * straight into its own allocation after the buffered part. */
#include "net/transport.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/net.h"

#define RX_BUF 16384

struct sock_transport {
    struct weft__transport base; /* first: the ops table */
    int fd;
    /* Set when a direction of the stream breaks (rx by the receiver, tx by
     * a sender, both by shutdown). Kept apart so that after a bad incoming
     * frame we can still send a REJECT or ERROR. Relaxed order suffices:
     * the flags only make later calls fail earlier than the socket would. */
    atomic_int rx_broken, tx_broken;
    pthread_mutex_t send_lock; /* serialises whole sends */
    char peer[WEFT__NET_HOST_LEN + 8];
    /* The receiving thread only: bytes received and not yet returned are
     * rx[rx_pos, rx_end). */
    size_t rx_pos, rx_end;
    uint8_t rx[RX_BUF];
};

void weft__frame_free(struct weft__frame *f) {
    free(f->payload);
    f->payload = NULL;
}

int weft__frame_decode(const struct weft__frame *f, struct weft__msg *m) {
    return weft__wire_decode_body(&f->hdr, f->payload, f->hdr.length, m);
}

static int sock_send(struct weft__transport *t, const uint8_t *frames,
                     size_t len, int64_t deadline_ns) {
    struct sock_transport *s = (struct sock_transport *)t;
    int rc;
    pthread_mutex_lock(&s->send_lock);
    if (atomic_load_explicit(&s->tx_broken, memory_order_relaxed)) {
        rc = -EIO;
        goto out;
    }
    rc = weft__net_writen(s->fd, frames, len, deadline_ns);
    if (rc != 0)
        atomic_store_explicit(&s->tx_broken, 1, memory_order_relaxed);
out:
    pthread_mutex_unlock(&s->send_lock);
    return rc;
}

/* Receives into the buffer until it holds at least `want` (<= RX_BUF)
 * unread bytes, taking whatever else has arrived too. Returns 0,
 * WEFT_ETIMEDOUT, WEFT_ECONNRESET or -errno. */
static int rx_fill(struct sock_transport *s, size_t want, int64_t deadline_ns) {
    if (s->rx_end - s->rx_pos >= want)
        return 0;
    if (s->rx_pos > 0) {
        memmove(s->rx, s->rx + s->rx_pos, s->rx_end - s->rx_pos);
        s->rx_end -= s->rx_pos;
        s->rx_pos = 0;
    }
    while (s->rx_end < want) {
        ssize_t r =
            recv(s->fd, s->rx + s->rx_end, RX_BUF - s->rx_end, MSG_DONTWAIT);
        if (r > 0) {
            s->rx_end += (size_t)r;
            continue;
        }
        if (r == 0)
            return -ECONNRESET; /* orderly close before a whole frame */
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK)
            return -errno;
        int rc = weft__net_wait(s->fd, 0, deadline_ns);
        if (rc != 0)
            return rc;
    }
    return 0;
}

static int sock_recv(struct weft__transport *t, struct weft__frame *f,
                     size_t max_len, int64_t deadline_ns) {
    struct sock_transport *s = (struct sock_transport *)t;
    uint8_t *payload = NULL;
    int rc;
    f->payload = NULL;
    if (atomic_load_explicit(&s->rx_broken, memory_order_relaxed))
        return -EIO;
    /* Waiting for the first byte may time out harmlessly; after that a
     * whole frame must follow within the same deadline. Waiting first
     * (rather than trying a recv) costs nothing when data is there and
     * saves a failed recv when it is not. */
    if (s->rx_end == s->rx_pos) {
        rc = weft__net_wait(s->fd, 0, deadline_ns);
        if (rc != 0)
            return rc;
    }
    if ((rc = rx_fill(s, WEFT__WIRE_HDR_LEN, deadline_ns)) != 0)
        goto out;
    rc = weft__wire_decode_header(s->rx + s->rx_pos, max_len, &f->hdr);
    if (rc != 0)
        goto out;
    s->rx_pos += WEFT__WIRE_HDR_LEN;
    size_t len = f->hdr.length;
    if (len > 0) {
        /* length was checked against max_len by the header decoder. */
        payload = malloc(len);
        if (!payload) {
            rc = -ENOMEM;
            goto out;
        }
        if (len <= RX_BUF) {
            if ((rc = rx_fill(s, len, deadline_ns)) != 0)
                goto out;
            memcpy(payload, s->rx + s->rx_pos, len);
            s->rx_pos += len;
        } else {
            size_t have = s->rx_end - s->rx_pos;
            memcpy(payload, s->rx + s->rx_pos, have);
            s->rx_pos = s->rx_end = 0;
            rc =
                weft__net_readn(s->fd, payload + have, len - have, deadline_ns);
            if (rc != 0)
                goto out;
        }
    }
    if (s->rx_pos == s->rx_end)
        s->rx_pos = s->rx_end = 0;
    f->payload = payload;
    payload = NULL;
out:
    free(payload);
    if (rc != 0)
        atomic_store_explicit(&s->rx_broken, 1, memory_order_relaxed);
    return rc;
}

static void sock_shutdown(struct weft__transport *t) {
    struct sock_transport *s = (struct sock_transport *)t;
    atomic_store_explicit(&s->rx_broken, 1, memory_order_relaxed);
    atomic_store_explicit(&s->tx_broken, 1, memory_order_relaxed);
    shutdown(s->fd, SHUT_RDWR); /* wakes a thread blocked in poll */
}

static void sock_close(struct weft__transport *t) {
    struct sock_transport *s = (struct sock_transport *)t;
    close(s->fd);
    pthread_mutex_destroy(&s->send_lock);
    free(s);
}

static const char *sock_peer(const struct weft__transport *t) {
    return ((const struct sock_transport *)t)->peer;
}

static const struct weft__transport_ops sock_ops = {
    .send = sock_send,
    .recv = sock_recv,
    .shutdown = sock_shutdown,
    .close = sock_close,
    .peer = sock_peer,
};

int weft__transport_sock_create(int fd, const char *peer,
                                struct weft__transport **out) {
    struct sock_transport *s = calloc(1, sizeof *s);
    if (!s)
        return -ENOMEM;
    s->base.ops = &sock_ops;
    s->fd = fd;
    atomic_init(&s->rx_broken, 0);
    atomic_init(&s->tx_broken, 0);
    pthread_mutex_init(&s->send_lock, NULL);
    if (peer)
        snprintf(s->peer, sizeof s->peer, "%s", peer);
    else if (weft__net_peer_name(fd, s->peer, sizeof s->peer) != 0)
        snprintf(s->peer, sizeof s->peer, "fd %d", fd);
    *out = &s->base;
    return 0;
}
