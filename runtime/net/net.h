/* This file handles the socket layer of the cluster transport, in the mold of
 * Redis's anet: tiny helpers to listen, connect, accept, read and write whole
 * buffers under a deadline, and set socket options. Every helper returns a
 * file descriptor, 0, or -errno (a WEFT_E* code), and takes an optional
 * message buffer of at least WEFT__NET_ERR_LEN bytes (NULL: no message). */
#ifndef WEFT_NET_NET_H
#define WEFT_NET_NET_H

#include <stddef.h>
#include <stdint.h>

#ifndef WEFT_INTERNAL
#define WEFT_INTERNAL __attribute__((visibility("hidden")))
#endif

/* Size of the optional error message buffers the helpers write to. */
#define WEFT__NET_ERR_LEN 256

/* Longest host part weft__net_parse_addr() accepts (a DNS name is at most
 * 253 characters; IPv6 literals are shorter). */
#define WEFT__NET_HOST_LEN 256

/* Monotonic clock in nanoseconds. Deadlines in this layer are absolute
 * values of this clock; WEFT__NET_NO_DEADLINE means "wait forever". */
#define WEFT__NET_NO_DEADLINE INT64_MAX
WEFT_INTERNAL int64_t weft__net_now_ns(void);

/* Absolute deadline `timeout_ms` from now; a negative timeout gives
 * WEFT__NET_NO_DEADLINE. Saturates instead of overflowing. */
WEFT_INTERNAL int64_t weft__net_deadline_ms(int timeout_ms);

/* Splits "host:port", "[v6addr]:port" or "v6addr" (no port: more than one
 * colon) into host and port. A missing port gives `default_port`. The port
 * must be 0..65535 and all digits. Returns 0 or WEFT_EINVAL.
 * Thread: any. Ownership: writes into the caller's buffers. */
WEFT_INTERNAL int weft__net_parse_addr(const char *s, int default_port,
                                       char host[WEFT__NET_HOST_LEN], int *port,
                                       char *err);

/* Creates a listening TCP socket bound to host:port (host NULL or "" or "*"
 * means every IPv4 address; port 0 picks a free port, see
 * weft__net_local_port). SO_REUSEADDR and close-on-exec are set.
 * Returns the fd or -errno. Ownership: caller closes the fd. */
WEFT_INTERNAL int weft__net_listen(const char *host, int port, int backlog,
                                   char *err);

/* Port the socket `fd` is bound to, or -errno. */
WEFT_INTERNAL int weft__net_local_port(int fd);

/* Connects to host:port, trying every address getaddrinfo gives, each
 * within what is left of `timeout_ms` (negative: no limit). The returned
 * socket is blocking, close-on-exec, with TCP_NODELAY set.
 * Returns the fd or -errno (WEFT_ETIMEDOUT, WEFT_ECONNREFUSED, ...).
 * Ownership: caller closes the fd. */
WEFT_INTERNAL int weft__net_connect(const char *host, int port, int timeout_ms,
                                    char *err);

/* Accepts one connection on listening socket `lfd`, waiting at most
 * `timeout_ms` (negative: no limit). Writes "ip:port" of the peer to `peer`
 * when `peer` is not NULL (peerlen bytes). The new socket is close-on-exec
 * with TCP_NODELAY. Returns the fd or -errno (WEFT_ETIMEDOUT).
 * Ownership: caller closes the fd. */
WEFT_INTERNAL int weft__net_accept(int lfd, int timeout_ms, char *peer,
                                   size_t peerlen, char *err);

/* Waits until socket `fd` is readable (writable = 0) or writable (1), or
 * has an error or hang-up pending, until the absolute `deadline_ns`.
 * Returns 0 when ready, WEFT_ETIMEDOUT, or -errno. */
WEFT_INTERNAL int weft__net_wait(int fd, int writable, int64_t deadline_ns);

/* Reads exactly n bytes from socket `fd`, looping on partial reads and
 * EINTR, waiting with poll() until the absolute `deadline_ns`. Returns 0,
 * WEFT_ETIMEDOUT, WEFT_ECONNRESET when the peer closed before n bytes, or
 * another -errno. Uses MSG_DONTWAIT per call, so the fd may be blocking.
 * Thread: one reader per fd at a time. */
WEFT_INTERNAL int weft__net_readn(int fd, void *buf, size_t n,
                                  int64_t deadline_ns);

/* Writes exactly n bytes to socket `fd` (MSG_NOSIGNAL: a closed peer gives
 * -EPIPE, never SIGPIPE), looping on partial writes and EINTR until the
 * absolute `deadline_ns`. Returns 0 or -errno (WEFT_ETIMEDOUT).
 * Thread: one writer per fd at a time. */
WEFT_INTERNAL int weft__net_writen(int fd, const void *buf, size_t n,
                                   int64_t deadline_ns);

/* TCP_NODELAY on (1) or off (0). Returns 0 or -errno. */
WEFT_INTERNAL int weft__net_set_nodelay(int fd, int on, char *err);

/* SO_RCVTIMEO and SO_SNDTIMEO to `ms` milliseconds (0: none). These only
 * bound blocking calls made outside readn/writen, which use deadlines.
 * Returns 0 or -errno. */
WEFT_INTERNAL int weft__net_set_timeout(int fd, int ms, char *err);

/* SO_KEEPALIVE with the first probe after `idle_s` seconds of silence and
 * then every idle_s/3 seconds (at least 1), 3 probes. Returns 0 or -errno. */
WEFT_INTERNAL int weft__net_set_keepalive(int fd, int idle_s, char *err);

/* "ip:port" of the peer of a connected socket ("[v6]:port" for IPv6).
 * Returns 0 or -errno. */
WEFT_INTERNAL int weft__net_peer_name(int fd, char *out, size_t outlen);

#endif
