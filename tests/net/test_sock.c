/* This file handles the tests of the socket helpers and the socket
 * transport on 127.0.0.1: address parsing, listen/connect/accept, whole
 * buffer transfers larger than the socket buffers, deadlines that fire in
 * bounded time, peer close, refused connections, and frames through the
 * transport, including an oversized header refused before allocation. */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "net/transport.h"
#include "net_test.h"

static void test_parse_addr(void) {
    char host[WEFT__NET_HOST_LEN];
    int port = -1;
    NT_EQ(weft__net_parse_addr("node7:4100", 1, host, &port, NULL), 0);
    NT_EQ(strcmp(host, "node7"), 0);
    NT_EQ(port, 4100);
    NT_EQ(weft__net_parse_addr("10.0.0.2", 5000, host, &port, NULL), 0);
    NT_EQ(strcmp(host, "10.0.0.2"), 0);
    NT_EQ(port, 5000);
    NT_EQ(weft__net_parse_addr("[::1]:65535", 1, host, &port, NULL), 0);
    NT_EQ(strcmp(host, "::1"), 0);
    NT_EQ(port, 65535);
    NT_EQ(weft__net_parse_addr("[fe80::1]", 9, host, &port, NULL), 0);
    NT_EQ(strcmp(host, "fe80::1"), 0);
    NT_EQ(port, 9);
    NT_EQ(weft__net_parse_addr("fe80::2:3", 9, host, &port, NULL), 0);
    NT_EQ(strcmp(host, "fe80::2:3"), 0); /* bare v6: no port taken */
    NT_EQ(port, 9);

    char err[WEFT__NET_ERR_LEN] = "";
    NT_EQ(weft__net_parse_addr("host:65536", 1, host, &port, err), -EINVAL);
    NT_TRUE(strlen(err) > 0);
    NT_EQ(weft__net_parse_addr("host:", 1, host, &port, NULL), -EINVAL);
    NT_EQ(weft__net_parse_addr("host:12a", 1, host, &port, NULL), -EINVAL);
    NT_EQ(weft__net_parse_addr("host:-1", 1, host, &port, NULL), -EINVAL);
    NT_EQ(weft__net_parse_addr(":80", 1, host, &port, NULL), -EINVAL);
    NT_EQ(weft__net_parse_addr("[::1", 1, host, &port, NULL), -EINVAL);
    NT_EQ(weft__net_parse_addr("[::1]x", 1, host, &port, NULL), -EINVAL);
    NT_EQ(weft__net_parse_addr("", 1, host, &port, NULL), -EINVAL);
    NT_EQ(weft__net_parse_addr("host:0000080", 1, host, &port, NULL),
          -EINVAL);
    char big[400];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    NT_EQ(weft__net_parse_addr(big, 1, host, &port, NULL), -EINVAL);
}

struct bulk {
    int fd;
    size_t n;
    uint8_t *buf;
    int rc;
};

static void *bulk_writer(void *arg) {
    struct bulk *b = arg;
    b->rc = weft__net_writen(b->fd, b->buf, b->n, weft__net_deadline_ms(5000));
    return NULL;
}

static void test_connect_and_bulk(void) {
    int a, b;
    NT_EQ_FATAL(nt_pair(&a, &b), 0);
    char name[64];
    NT_EQ(weft__net_peer_name(a, name, sizeof name), 0);
    NT_EQ(strncmp(name, "127.0.0.1:", 10), 0);
    NT_EQ(weft__net_set_nodelay(a, 1, NULL), 0);
    NT_EQ(weft__net_set_keepalive(a, 30, NULL), 0);
    NT_EQ(weft__net_set_keepalive(a, 0, NULL), -EINVAL);
    NT_EQ(weft__net_set_timeout(a, 1500, NULL), 0);
    NT_EQ(weft__net_set_timeout(a, -1, NULL), -EINVAL);

    /* 8 MiB: far more than the socket buffers, so both loops must
     * handle partial transfers. */
    struct bulk w = {a, 8u << 20, malloc(8u << 20), -1};
    uint8_t *in = malloc(w.n);
    NT_TRUE_FATAL(w.buf && in);
    for (size_t i = 0; i < w.n; i++)
        w.buf[i] = (uint8_t)(i * 2654435761u >> 13);
    pthread_t th;
    NT_EQ_FATAL(pthread_create(&th, NULL, bulk_writer, &w), 0);
    NT_EQ(weft__net_readn(b, in, w.n, weft__net_deadline_ms(5000)), 0);
    pthread_join(th, NULL);
    NT_EQ(w.rc, 0);
    NT_EQ(memcmp(in, w.buf, w.n), 0);
    free(in);
    free(w.buf);

    /* A silent peer: the deadline fires, in bounded time. */
    uint8_t x[16];
    int64_t t0 = weft__net_now_ns();
    NT_EQ(weft__net_readn(b, x, sizeof x, weft__net_deadline_ms(100)),
          -ETIMEDOUT);
    int64_t ms = (weft__net_now_ns() - t0) / 1000000;
    NT_TRUE(ms >= 90 && ms < 2000);

    /* Peer closes after 3 of 16 bytes: readn reports the reset. */
    NT_EQ(weft__net_writen(a, "abc", 3, weft__net_deadline_ms(1000)), 0);
    close(a);
    NT_EQ(weft__net_readn(b, x, sizeof x, weft__net_deadline_ms(1000)),
          -ECONNRESET);
    /* Writing to a closed peer fails with an error, not SIGPIPE. */
    int rc = 0;
    struct timespec ms1 = {0, 1000000};
    for (int i = 0; i < 200 && rc == 0; i++) {
        rc = weft__net_writen(b, x, sizeof x, weft__net_deadline_ms(1000));
        nanosleep(&ms1, NULL);
    }
    NT_TRUE(rc == -EPIPE || rc == -ECONNRESET);
    close(b);
}

static void test_refused_and_timeouts(void) {
    int port, lfd = nt_listen(&port);
    NT_TRUE_FATAL(lfd >= 0);
    NT_TRUE(port > 0);
    /* Nobody connects: accept times out in bounded time. */
    int64_t t0 = weft__net_now_ns();
    char err[WEFT__NET_ERR_LEN] = "";
    NT_EQ(weft__net_accept(lfd, 50, NULL, 0, err), -ETIMEDOUT);
    NT_TRUE(weft__net_now_ns() - t0 < 2000000000);
    NT_TRUE(strlen(err) > 0);
    close(lfd);
    /* The port is now closed: connecting is refused. */
    err[0] = '\0';
    NT_EQ(weft__net_connect("127.0.0.1", port, 1000, err), -ECONNREFUSED);
    NT_TRUE(strlen(err) > 0);
    NT_EQ(weft__net_connect("127.0.0.1", 0, 1000, NULL), -EINVAL);
    NT_EQ(weft__net_listen("127.0.0.1", 70000, 1, NULL), -EINVAL);
    /* Listening twice on one port fails with EADDRINUSE. */
    lfd = nt_listen(&port);
    NT_TRUE_FATAL(lfd >= 0);
    NT_EQ(weft__net_listen("127.0.0.1", port, 1, NULL), -EADDRINUSE);
    /* accept names the peer. */
    int c = weft__net_connect("localhost", port, 1000, NULL);
    char peer[64] = "";
    int s = weft__net_accept(lfd, 1000, peer, sizeof peer, NULL);
    NT_TRUE(c >= 0 && s >= 0);
    NT_TRUE(strlen(peer) > 0);
    close(c);
    close(s);
    close(lfd);
}

/* IPv6 loopback, where the machine has it (containers may not). */
static void test_ipv6(void) {
    int lfd = weft__net_listen("::1", 0, 4, NULL);
    if (lfd == -EADDRNOTAVAIL || lfd == -EAFNOSUPPORT || lfd == -EINVAL) {
        fprintf(stderr, "(no IPv6 loopback here: %d; skipped)\n", lfd);
        return;
    }
    NT_TRUE_FATAL(lfd >= 0);
    int port = weft__net_local_port(lfd);
    NT_TRUE(port > 0);
    char host[WEFT__NET_HOST_LEN], addr[64];
    int p2 = 0;
    snprintf(addr, sizeof addr, "[::1]:%d", port);
    NT_EQ(weft__net_parse_addr(addr, 0, host, &p2, NULL), 0);
    NT_EQ(p2, port);
    int c = weft__net_connect(host, p2, 1000, NULL);
    char peer[64] = "";
    int a = weft__net_accept(lfd, 1000, peer, sizeof peer, NULL);
    NT_TRUE(c >= 0 && a >= 0);
    NT_EQ(strncmp(peer, "[::1]:", 6), 0);
    if (c >= 0 && a >= 0) {
        NT_EQ(weft__net_writen(c, "v6", 2, weft__net_deadline_ms(1000)), 0);
        char got[2] = {0};
        NT_EQ(weft__net_readn(a, got, 2, weft__net_deadline_ms(1000)), 0);
        NT_EQ(memcmp(got, "v6", 2), 0);
    }
    if (c >= 0)
        close(c);
    if (a >= 0)
        close(a);
    close(lfd);
}

static void test_transport_frames(void) {
    int a, b;
    NT_EQ_FATAL(nt_pair(&a, &b), 0);
    struct weft__transport *ta, *tb;
    NT_EQ_FATAL(weft__transport_sock_create(a, NULL, &ta), 0);
    NT_EQ_FATAL(weft__transport_sock_create(b, "worker-b", &tb), 0);
    NT_EQ(strncmp(weft__transport_peer(ta), "127.0.0.1:", 10), 0);
    NT_EQ(strcmp(weft__transport_peer(tb), "worker-b"), 0);

    /* Two frames in one send arrive as two frames. */
    struct weft__wbuf w = WEFT__WBUF_INITIALIZER;
    struct weft__msg m, d;
    memset(&m, 0, sizeof m);
    m.hdr.type = WEFT__MSG_HEARTBEAT;
    m.hdr.seq = 1;
    m.u.heartbeat.time_ns = 555;
    NT_EQ(weft__wire_encode(&w, &m), 0);
    m.hdr.type = WEFT__MSG_BYE;
    m.hdr.seq = 2;
    m.u.bye.code = 0;
    NT_EQ(weft__wire_encode(&w, &m), 0);
    NT_EQ(weft__transport_send(ta, w.data, w.len, weft__net_deadline_ms(1000)),
          0);
    struct weft__frame f = {0};
    NT_EQ_FATAL(weft__transport_recv(tb, &f, WEFT__WIRE_MAX_FRAME,
                                     weft__net_deadline_ms(1000)),
                0);
    NT_EQ(f.hdr.type, WEFT__MSG_HEARTBEAT);
    NT_EQ(weft__frame_decode(&f, &d), 0);
    NT_EQ(d.u.heartbeat.time_ns, 555);
    weft__frame_free(&f);
    NT_EQ_FATAL(weft__transport_recv(tb, &f, WEFT__WIRE_MAX_FRAME,
                                     weft__net_deadline_ms(1000)),
                0);
    NT_EQ(f.hdr.type, WEFT__MSG_BYE);
    NT_EQ(f.hdr.seq, 2);
    weft__frame_free(&f);

    /* Nothing pending: a timeout leaves the transport usable. */
    NT_EQ(weft__transport_recv(tb, &f, WEFT__WIRE_MAX_FRAME,
                               weft__net_deadline_ms(30)),
          -ETIMEDOUT);
    NT_EQ(weft__transport_send(ta, w.data, w.len, weft__net_deadline_ms(1000)),
          0);
    NT_EQ(weft__transport_recv(tb, &f, WEFT__WIRE_MAX_FRAME,
                               weft__net_deadline_ms(1000)),
          0);
    weft__frame_free(&f);
    NT_EQ(weft__transport_recv(tb, &f, WEFT__WIRE_MAX_FRAME,
                               weft__net_deadline_ms(1000)),
          0);
    weft__frame_free(&f);

    /* A header announcing 1 GiB is refused from the header alone, and the
     * receive side is then out of step for good. */
    uint8_t hdr[WEFT__WIRE_HDR_LEN];
    memcpy(hdr, w.data, sizeof hdr);
    hdr[16] = 0;
    hdr[17] = 0;
    hdr[18] = 0;
    hdr[19] = 0x40;
    NT_EQ(weft__net_writen(a, hdr, sizeof hdr, weft__net_deadline_ms(1000)),
          0);
    NT_EQ(weft__transport_recv(tb, &f, WEFT__WIRE_MAX_FRAME,
                               weft__net_deadline_ms(1000)),
          -EMSGSIZE);
    NT_TRUE(f.payload == NULL);
    NT_EQ(weft__transport_recv(tb, &f, WEFT__WIRE_MAX_FRAME,
                               weft__net_deadline_ms(1000)),
          -EIO);
    /* The send side still works (to report the error to the peer). */
    NT_EQ(weft__transport_send(tb, w.data, w.len, weft__net_deadline_ms(1000)),
          0);
    weft__wbuf_free(&w);
    weft__transport_close(ta);
    weft__transport_close(tb);
}

struct blocked {
    struct weft__transport *t;
    int rc;
};

static void *blocked_recv(void *arg) {
    struct blocked *b = arg;
    struct weft__frame f = {0};
    b->rc = weft__transport_recv(b->t, &f, WEFT__WIRE_MAX_FRAME,
                                 weft__net_deadline_ms(10000));
    weft__frame_free(&f);
    return NULL;
}

static void test_transport_shutdown(void) {
    int a, b;
    NT_EQ_FATAL(nt_pair(&a, &b), 0);
    struct weft__transport *ta, *tb;
    NT_EQ_FATAL(weft__transport_sock_create(a, NULL, &ta), 0);
    NT_EQ_FATAL(weft__transport_sock_create(b, NULL, &tb), 0);
    /* A receiver blocked with a 10 s deadline wakes promptly on shutdown
     * from another thread (what a missed heartbeat does). */
    struct blocked bl = {tb, 1};
    pthread_t th;
    int64_t t0 = weft__net_now_ns();
    NT_EQ_FATAL(pthread_create(&th, NULL, blocked_recv, &bl), 0);
    struct timespec ts = {0, 50 * 1000000};
    nanosleep(&ts, NULL);
    weft__transport_shutdown(tb);
    pthread_join(th, NULL);
    NT_TRUE(bl.rc == -ECONNRESET || bl.rc == -EIO);
    NT_TRUE(weft__net_now_ns() - t0 < 3000000000ll);
    NT_EQ(weft__transport_send(tb, (const uint8_t *)"x", 1,
                               weft__net_deadline_ms(100)),
          -EIO);
    /* The other end sees the connection end. */
    struct weft__frame f = {0};
    NT_EQ(weft__transport_recv(ta, &f, WEFT__WIRE_MAX_FRAME,
                               weft__net_deadline_ms(1000)),
          -ECONNRESET);
    weft__transport_close(ta);
    weft__transport_close(tb);
}

int main(void) {
    static const struct nt_case cases[] = {
        {"parse_addr", test_parse_addr},
        {"connect_and_bulk", test_connect_and_bulk},
        {"refused_and_timeouts", test_refused_and_timeouts},
        {"ipv6", test_ipv6},
        {"transport_frames", test_transport_frames},
        {"transport_shutdown", test_transport_shutdown},
        {NULL, NULL}};
    return nt_run("net_sock", cases);
}
