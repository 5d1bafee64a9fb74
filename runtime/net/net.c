/* This file handles TCP sockets for the cluster layer: listen, connect with a
 * timeout, accept, whole-buffer reads and writes under absolute deadlines,
 * and socket options. Each helper has one exit (`out:`) that releases what
 * it acquired, returns -errno on failure and fills the caller's message
 * buffer when one is given (the anet pattern). */
#include "net/net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static void seterr(char *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void seterr(char *err, const char *fmt, ...) {
    if (!err)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, WEFT__NET_ERR_LEN, fmt, ap);
    va_end(ap);
}

int64_t weft__net_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t weft__net_deadline_ms(int timeout_ms) {
    if (timeout_ms < 0)
        return WEFT__NET_NO_DEADLINE;
    /* int milliseconds fit easily: 2^31 ms * 1e6 < 2^62. */
    return weft__net_now_ns() + (int64_t)timeout_ms * 1000000;
}

/* Milliseconds poll() should wait for `deadline_ns`: -1 for no deadline, 0
 * once it has passed, otherwise rounded up so we never wake just early. */
static int poll_ms(int64_t deadline_ns) {
    if (deadline_ns == WEFT__NET_NO_DEADLINE)
        return -1;
    int64_t left = deadline_ns - weft__net_now_ns();
    if (left <= 0)
        return 0;
    int64_t ms = (left + 999999) / 1000000;
    return ms > 1000000000 ? 1000000000 : (int)ms;
}

/* Waits until fd is ready for `events` or the deadline passes. Returns 0
 * when ready (including error/hang-up conditions, which the following
 * read or write then reports), WEFT_ETIMEDOUT, or -errno. */
static int wait_fd(int fd, short events, int64_t deadline_ns) {
    for (;;) {
        struct pollfd p = {.fd = fd, .events = events};
        int ms = poll_ms(deadline_ns);
        int r = poll(&p, 1, ms);
        if (r > 0)
            return 0;
        if (r == 0) {
            if (ms == 0 || weft__net_now_ns() >= deadline_ns)
                return -ETIMEDOUT;
            continue;
        }
        if (errno != EINTR)
            return -errno;
    }
}

int weft__net_wait(int fd, int writable, int64_t deadline_ns) {
    return wait_fd(fd, writable ? POLLOUT : POLLIN, deadline_ns);
}

int weft__net_parse_addr(const char *s, int default_port,
                         char host[WEFT__NET_HOST_LEN], int *port, char *err) {
    int rc = -EINVAL;
    const char *h = s, *p = NULL;
    size_t hlen;
    if (!s || !*s) {
        seterr(err, "empty address");
        goto out;
    }
    if (s[0] == '[') {
        const char *close = strchr(s, ']');
        if (!close) {
            seterr(err, "'%s': missing ']'", s);
            goto out;
        }
        h = s + 1;
        hlen = (size_t)(close - h);
        if (close[1] == ':')
            p = close + 2;
        else if (close[1] != '\0') {
            seterr(err, "'%s': junk after ']'", s);
            goto out;
        }
    } else {
        /* One colon separates a port; none, or several (a bare IPv6
         * literal), means the whole string is the host. */
        const char *colon = strchr(s, ':');
        if (colon && !strchr(colon + 1, ':')) {
            hlen = (size_t)(colon - s);
            p = colon + 1;
        } else {
            hlen = strlen(s);
        }
    }
    if (hlen == 0 || hlen >= WEFT__NET_HOST_LEN) {
        seterr(err, "'%s': bad host length", s);
        goto out;
    }
    int pv = default_port;
    if (p) {
        if (!*p || strlen(p) > 5) {
            seterr(err, "'%s': bad port", s);
            goto out;
        }
        pv = 0;
        for (const char *c = p; *c; c++) {
            if (*c < '0' || *c > '9') {
                seterr(err, "'%s': bad port", s);
                goto out;
            }
            pv = pv * 10 + (*c - '0');
        }
    }
    if (pv < 0 || pv > 65535) {
        seterr(err, "'%s': port out of range", s);
        goto out;
    }
    memcpy(host, h, hlen);
    host[hlen] = '\0';
    *port = pv;
    rc = 0;
out:
    return rc;
}

/* Formats a socket address as "ip:port" or "[ip6]:port". */
static void addr_str(const struct sockaddr *sa, char *out, size_t outlen) {
    char ip[INET6_ADDRSTRLEN] = "?";
    int port = 0;
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *s4 = (const struct sockaddr_in *)sa;
        inet_ntop(AF_INET, &s4->sin_addr, ip, sizeof ip);
        port = ntohs(s4->sin_port);
        snprintf(out, outlen, "%s:%d", ip, port);
    } else if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)sa;
        inet_ntop(AF_INET6, &s6->sin6_addr, ip, sizeof ip);
        port = ntohs(s6->sin6_port);
        snprintf(out, outlen, "[%s]:%d", ip, port);
    } else {
        snprintf(out, outlen, "(family %d)", sa->sa_family);
    }
}

int weft__net_listen(const char *host, int port, int backlog, char *err) {
    int rc, fd = -1;
    struct addrinfo hints = {0}, *res = NULL, *ai;
    char portstr[8];
    if (port < 0 || port > 65535) {
        rc = -EINVAL;
        seterr(err, "port %d out of range", port);
        goto out;
    }
    snprintf(portstr, sizeof portstr, "%d", port);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE;
    if (!host || !*host || strcmp(host, "*") == 0) {
        host = NULL;
        hints.ai_family = AF_INET;
    }
    int g = getaddrinfo(host, portstr, &hints, &res);
    if (g != 0) {
        rc = g == EAI_SYSTEM ? -errno : -EINVAL;
        seterr(err, "listen %s:%d: %s", host ? host : "*", port,
               gai_strerror(g));
        goto out;
    }
    rc = -EADDRNOTAVAIL;
    for (ai = res; ai; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
                    ai->ai_protocol);
        if (fd < 0) {
            rc = -errno;
            continue;
        }
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (ai->ai_family == AF_INET6)
            setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
        if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 &&
            listen(fd, backlog > 0 ? backlog : 16) == 0) {
            rc = fd;
            fd = -1;
            goto out;
        }
        rc = -errno;
        close(fd);
        fd = -1;
    }
    seterr(err, "listen %s:%d: %s", host ? host : "*", port, strerror(-rc));
out:
    if (res)
        freeaddrinfo(res);
    if (fd >= 0)
        close(fd);
    return rc;
}

int weft__net_local_port(int fd) {
    struct sockaddr_storage ss = {0};
    socklen_t len = sizeof ss;
    if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0)
        return -errno;
    if (ss.ss_family == AF_INET)
        return ntohs(((struct sockaddr_in *)&ss)->sin_port);
    if (ss.ss_family == AF_INET6)
        return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
    return -EAFNOSUPPORT;
}

/* Sets or clears O_NONBLOCK. Returns 0 or -errno. */
static int set_nonblock(int fd, int on) {
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0)
        return -errno;
    fl = on ? (fl | O_NONBLOCK) : (fl & ~O_NONBLOCK);
    return fcntl(fd, F_SETFL, fl) < 0 ? -errno : 0;
}

/* One non-blocking connect attempt to `ai`, waiting until `deadline_ns`.
 * Returns a connected blocking fd or -errno. */
static int connect_one(const struct addrinfo *ai, int64_t deadline_ns) {
    int rc, fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
                        ai->ai_protocol);
    if (fd < 0)
        return -errno;
    if ((rc = set_nonblock(fd, 1)) != 0)
        goto out;
    if (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
        if (errno != EINPROGRESS) {
            rc = -errno;
            goto out;
        }
        if ((rc = wait_fd(fd, POLLOUT, deadline_ns)) != 0)
            goto out;
        int soerr = 0;
        socklen_t sl = sizeof soerr;
        if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) != 0) {
            rc = -errno;
            goto out;
        }
        if (soerr != 0) {
            rc = -soerr;
            goto out;
        }
    }
    if ((rc = set_nonblock(fd, 0)) != 0)
        goto out;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    rc = fd;
    fd = -1;
out:
    if (fd >= 0)
        close(fd);
    return rc;
}

int weft__net_connect(const char *host, int port, int timeout_ms, char *err) {
    int rc;
    struct addrinfo hints = {0}, *res = NULL, *ai;
    char portstr[8];
    int64_t deadline = weft__net_deadline_ms(timeout_ms);
    if (!host || !*host || port <= 0 || port > 65535) {
        rc = -EINVAL;
        seterr(err, "connect: bad address %s:%d", host ? host : "", port);
        goto out;
    }
    snprintf(portstr, sizeof portstr, "%d", port);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    int g = getaddrinfo(host, portstr, &hints, &res);
    if (g != 0) {
        rc = g == EAI_SYSTEM ? -errno : -EINVAL;
        seterr(err, "connect %s:%d: %s", host, port, gai_strerror(g));
        goto out;
    }
    rc = -EADDRNOTAVAIL;
    for (ai = res; ai; ai = ai->ai_next) {
        rc = connect_one(ai, deadline);
        if (rc >= 0 || rc == -ETIMEDOUT)
            break;
    }
    if (rc < 0)
        seterr(err, "connect %s:%d: %s", host, port, strerror(-rc));
out:
    if (res)
        freeaddrinfo(res);
    return rc;
}

int weft__net_accept(int lfd, int timeout_ms, char *peer, size_t peerlen,
                     char *err) {
    int rc;
    int64_t deadline = weft__net_deadline_ms(timeout_ms);
    struct sockaddr_storage ss = {0};
    for (;;) {
        if ((rc = wait_fd(lfd, POLLIN, deadline)) != 0) {
            seterr(err, "accept: %s", strerror(-rc));
            goto out;
        }
        socklen_t len = sizeof ss;
        /* Non-blocking accept: another thread may have taken the pending
         * connection between poll and accept; then we wait again. */
        rc = accept4(lfd, (struct sockaddr *)&ss, &len,
                     SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (rc >= 0)
            break;
        if (errno == EINTR || errno == EAGAIN || errno == ECONNABORTED)
            continue;
        rc = -errno;
        seterr(err, "accept: %s", strerror(-rc));
        goto out;
    }
    int fd = rc;
    if ((rc = set_nonblock(fd, 0)) != 0) {
        close(fd);
        seterr(err, "accept: %s", strerror(-rc));
        goto out;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (peer && peerlen)
        addr_str((struct sockaddr *)&ss, peer, peerlen);
    rc = fd;
out:
    return rc;
}

int weft__net_readn(int fd, void *buf, size_t n, int64_t deadline_ns) {
    uint8_t *p = buf;
    while (n > 0) {
        ssize_t r = recv(fd, p, n, MSG_DONTWAIT);
        if (r > 0) {
            p += r;
            n -= (size_t)r;
            continue;
        }
        if (r == 0)
            return -ECONNRESET; /* orderly close before n bytes */
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK)
            return -errno;
        int rc = wait_fd(fd, POLLIN, deadline_ns);
        if (rc != 0)
            return rc;
    }
    return 0;
}

int weft__net_writen(int fd, const void *buf, size_t n, int64_t deadline_ns) {
    const uint8_t *p = buf;
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (w > 0) {
            p += w;
            n -= (size_t)w;
            continue;
        }
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
            return -errno;
        int rc = wait_fd(fd, POLLOUT, deadline_ns);
        if (rc != 0)
            return rc;
    }
    return 0;
}

int weft__net_set_nodelay(int fd, int on, char *err) {
    int rc = 0;
    if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on) != 0) {
        rc = -errno;
        seterr(err, "setsockopt TCP_NODELAY: %s", strerror(errno));
    }
    return rc;
}

int weft__net_set_timeout(int fd, int ms, char *err) {
    int rc = 0;
    struct timeval tv = {.tv_sec = ms / 1000,
                         .tv_usec = (suseconds_t)(ms % 1000) * 1000};
    if (ms < 0) {
        rc = -EINVAL;
        seterr(err, "negative timeout");
        goto out;
    }
    if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) != 0 ||
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv) != 0) {
        rc = -errno;
        seterr(err, "setsockopt SO_RCVTIMEO/SO_SNDTIMEO: %s", strerror(errno));
    }
out:
    return rc;
}

int weft__net_set_keepalive(int fd, int idle_s, char *err) {
    int rc = 0, one = 1;
    if (idle_s < 1) {
        rc = -EINVAL;
        seterr(err, "keepalive idle must be >= 1 s");
        goto out;
    }
    int intvl = idle_s / 3 > 0 ? idle_s / 3 : 1, cnt = 3;
    if (setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one) != 0 ||
        setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle_s, sizeof idle_s) !=
            0 ||
        setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof intvl) != 0 ||
        setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof cnt) != 0) {
        rc = -errno;
        seterr(err, "setsockopt keepalive: %s", strerror(errno));
    }
out:
    return rc;
}

int weft__net_peer_name(int fd, char *out, size_t outlen) {
    struct sockaddr_storage ss = {0};
    socklen_t len = sizeof ss;
    if (getpeername(fd, (struct sockaddr *)&ss, &len) != 0)
        return -errno;
    addr_str((struct sockaddr *)&ss, out, outlen);
    return 0;
}
