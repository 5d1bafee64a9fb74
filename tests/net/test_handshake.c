/* This file handles the tests of the cluster handshake over 127.0.0.1. Both
 * sides run in threads of this process; the hostile peers (wrong secret,
 * other binary, other version, garbage, oversized frames, stalling and
 * trickling peers, impostor coordinators) are written by hand on the raw
 * socket, so every refusal is observed from the honest side and, where a
 * REJECT is due, from the wire as well. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "net/handshake.h"
#include "net_helper.h"
#include "net_test.h"

extern char **environ;

static const uint8_t SECRET[] = "correct horse battery staple";
static const uint8_t OTHER[] = "correct horse battery stapler";

struct side {
    struct weft__transport *t;
    struct weft__hs_config cfg;
    struct weft__hs_peer peer;
    int rc;
    atomic_int done;
};

static void *coord_main(void *arg) {
    struct side *s = arg;
    s->rc = weft__hs_accept(s->t, &s->cfg, &s->peer);
    atomic_store(&s->done, 1);
    return NULL;
}

static void *worker_main(void *arg) {
    struct side *s = arg;
    s->rc = weft__hs_join(s->t, &s->cfg, &s->peer);
    atomic_store(&s->done, 1);
    return NULL;
}

static void side_init(struct side *s, const uint8_t *secret, size_t len) {
    memset(s, 0, sizeof *s);
    s->cfg.secret = secret;
    s->cfg.secret_len = len;
    s->cfg.timeout_ms = 5000;
    s->rc = 1;
    atomic_init(&s->done, 0);
}

/* Runs a full handshake between two honest sides on a loopback pair.
 * Leaves the transports open in c->t and w->t (caller closes). */
static void run_pair(struct side *c, struct side *w) {
    int a, b;
    NT_EQ_FATAL(nt_pair(&a, &b), 0);
    NT_EQ_FATAL(weft__transport_sock_create(a, NULL, &w->t), 0);
    NT_EQ_FATAL(weft__transport_sock_create(b, NULL, &c->t), 0);
    pthread_t tc, tw;
    NT_EQ_FATAL(pthread_create(&tc, NULL, coord_main, c), 0);
    NT_EQ_FATAL(pthread_create(&tw, NULL, worker_main, w), 0);
    pthread_join(tc, NULL);
    pthread_join(tw, NULL);
}

static void close_pair(struct side *c, struct side *w) {
    weft__transport_close(c->t);
    weft__transport_close(w->t);
}

static int64_t ms_since(int64_t t0) {
    return (weft__net_now_ns() - t0) / 1000000;
}

static void test_build_id(void) {
    uint8_t a[32], b[32], zero[32] = {0};
    NT_EQ_FATAL(weft__build_id(a), 0);
    NT_EQ(weft__build_id(b), 0);
    NT_EQ(memcmp(a, b, 32), 0);
    NT_TRUE(memcmp(a, zero, 32) != 0);
}

static void test_success(void) {
    struct side c, w;
    side_init(&c, SECRET, sizeof SECRET - 1);
    side_init(&w, SECRET, sizeof SECRET - 1);
    c.cfg.node_id = 7;
    c.cfg.heartbeat_ms = 250;
    w.cfg.nthreads = 12;
    w.cfg.name = "worker-a";
    run_pair(&c, &w);
    NT_EQ(c.rc, 0);
    NT_EQ(w.rc, 0);
    NT_EQ(c.peer.reject, WEFT__REJECT_NONE);
    NT_EQ(c.peer.nthreads, 12);
    NT_EQ(strcmp(c.peer.name, "worker-a"), 0);
    NT_EQ(w.peer.node_id, 7);
    NT_EQ(w.peer.heartbeat_ms, 250);

    /* The connection carries frames afterwards. */
    struct weft__wbuf buf = WEFT__WBUF_INITIALIZER;
    struct weft__msg m;
    memset(&m, 0, sizeof m);
    m.hdr.type = WEFT__MSG_HEARTBEAT;
    m.u.heartbeat.inflight = 3;
    NT_EQ(weft__wire_encode(&buf, &m), 0);
    NT_EQ(weft__transport_send(c.t, buf.data, buf.len,
                               weft__net_deadline_ms(1000)),
          0);
    struct weft__frame f = {0};
    NT_EQ(weft__transport_recv(w.t, &f, WEFT__WIRE_MAX_FRAME,
                               weft__net_deadline_ms(1000)),
          0);
    NT_EQ(f.hdr.type, WEFT__MSG_HEARTBEAT);
    weft__frame_free(&f);
    weft__wbuf_free(&buf);
    close_pair(&c, &w);
}

static void test_wrong_secret(void) {
    /* The worker has the wrong secret: it notices the coordinator's proof
     * does not match, says so, and the coordinator hears AUTH. Promptly:
     * neither side waits for its timeout. */
    struct side c, w;
    side_init(&c, SECRET, sizeof SECRET - 1);
    side_init(&w, OTHER, sizeof OTHER - 1);
    int64_t t0 = weft__net_now_ns();
    run_pair(&c, &w);
    NT_EQ(w.rc, -EACCES);
    NT_EQ(c.rc, -EACCES);
    NT_EQ(w.peer.reject, WEFT__REJECT_AUTH);
    NT_EQ(w.peer.reject_by_peer, 0);
    NT_EQ(c.peer.reject, WEFT__REJECT_AUTH);
    NT_EQ(c.peer.reject_by_peer, 1);
    NT_TRUE(ms_since(t0) < 2000);
    close_pair(&c, &w);

    /* Same the other way round. */
    side_init(&c, OTHER, sizeof OTHER - 1);
    side_init(&w, SECRET, sizeof SECRET - 1);
    run_pair(&c, &w);
    NT_EQ(w.rc, -EACCES);
    NT_EQ(c.rc, -EACCES);
    close_pair(&c, &w);

    /* A secret below the minimum is a configuration error. */
    side_init(&c, SECRET, 3);
    struct weft__hs_peer p;
    NT_EQ(weft__hs_accept(NULL, &c.cfg, &p), -EINVAL);
}

static void test_other_binary(void) {
    struct side c, w;
    uint8_t other_id[32];
    NT_EQ_FATAL(weft__build_id(other_id), 0);
    other_id[5] ^= 0x40;
    side_init(&c, SECRET, sizeof SECRET - 1);
    side_init(&w, SECRET, sizeof SECRET - 1);
    w.cfg.build_id = other_id;
    run_pair(&c, &w);
    NT_EQ(c.rc, -EPERM);
    NT_EQ(c.peer.reject, WEFT__REJECT_BUILD_ID);
    NT_EQ(w.rc, -EPERM);
    NT_EQ(w.peer.reject, WEFT__REJECT_BUILD_ID);
    NT_EQ(w.peer.reject_by_peer, 1);
    close_pair(&c, &w);
}

/* A coordinator in a thread facing a hand-written peer on `raw`. */
struct rawrun {
    struct side c;
    int raw;
    pthread_t th;
};

static void raw_start(struct rawrun *r, int timeout_ms) {
    int b;
    side_init(&r->c, SECRET, sizeof SECRET - 1);
    r->c.cfg.timeout_ms = timeout_ms;
    NT_EQ_FATAL(nt_pair(&r->raw, &b), 0);
    NT_EQ_FATAL(weft__transport_sock_create(b, NULL, &r->c.t), 0);
    NT_EQ_FATAL(pthread_create(&r->th, NULL, coord_main, &r->c), 0);
}

static void raw_finish(struct rawrun *r) {
    pthread_join(r->th, NULL);
    weft__transport_close(r->c.t);
    close(r->raw);
}

/* Reads one frame from the raw socket and returns its REJECT reason, or -1
 * if what arrives is not a REJECT. */
static int raw_read_reject(int fd) {
    struct weft__transport *t;
    int dupfd = dup(fd), reason = -1;
    if (weft__transport_sock_create(dupfd, NULL, &t) != 0) {
        close(dupfd);
        return -1;
    }
    struct weft__frame f = {0};
    struct weft__msg m;
    if (weft__transport_recv(t, &f, 4096, weft__net_deadline_ms(2000)) == 0 &&
        weft__frame_decode(&f, &m) == 0 && m.hdr.type == WEFT__MSG_REJECT)
        reason = m.u.reject.reason;
    weft__frame_free(&f);
    weft__transport_close(t);
    return reason;
}

/* An honest HELLO frame with our build id, as a worker would send. */
static void make_hello(struct weft__wbuf *w, uint16_t role, uint16_t version) {
    struct weft__msg m;
    memset(&m, 0, sizeof m);
    m.hdr.type = WEFT__MSG_HELLO;
    m.u.hello.version = version;
    m.u.hello.role = role;
    weft__build_id(m.u.hello.build_id);
    memset(m.u.hello.nonce, 0x11, sizeof m.u.hello.nonce);
    weft__wire_encode(w, &m);
}

static void test_version_mismatch(void) {
    struct rawrun r;
    struct weft__wbuf w = WEFT__WBUF_INITIALIZER;
    /* Frame header of version 2. */
    raw_start(&r, 2000);
    make_hello(&w, WEFT__ROLE_WORKER, WEFT__WIRE_VERSION);
    w.data[4] = 2;
    NT_EQ(weft__net_writen(r.raw, w.data, w.len, weft__net_deadline_ms(1000)),
          0);
    NT_EQ(raw_read_reject(r.raw), WEFT__REJECT_VERSION);
    raw_finish(&r);
    NT_EQ(r.c.rc, -ENOTSUP);
    NT_EQ(r.c.peer.reject, WEFT__REJECT_VERSION);

    /* Version 2 announced inside a version-1 frame. */
    weft__wbuf_reset(&w);
    raw_start(&r, 2000);
    make_hello(&w, WEFT__ROLE_WORKER, 2);
    NT_EQ(weft__net_writen(r.raw, w.data, w.len, weft__net_deadline_ms(1000)),
          0);
    NT_EQ(raw_read_reject(r.raw), WEFT__REJECT_VERSION);
    raw_finish(&r);
    NT_EQ(r.c.rc, -ENOTSUP);
    weft__wbuf_free(&w);
}

static void test_garbage_and_protocol(void) {
    struct rawrun r;
    static const char http[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    raw_start(&r, 2000);
    NT_EQ(weft__net_writen(r.raw, http, sizeof http - 1,
                           weft__net_deadline_ms(1000)),
          0);
    NT_EQ(raw_read_reject(r.raw), WEFT__REJECT_PROTOCOL);
    raw_finish(&r);
    NT_EQ(r.c.rc, -EPROTO);

    /* A frame of the wrong kind first. */
    struct weft__wbuf w = WEFT__WBUF_INITIALIZER;
    struct weft__msg m;
    memset(&m, 0, sizeof m);
    m.hdr.type = WEFT__MSG_WELCOME;
    weft__wire_encode(&w, &m);
    raw_start(&r, 2000);
    NT_EQ(weft__net_writen(r.raw, w.data, w.len, weft__net_deadline_ms(1000)),
          0);
    NT_EQ(raw_read_reject(r.raw), WEFT__REJECT_PROTOCOL);
    raw_finish(&r);
    NT_EQ(r.c.rc, -EPROTO);

    /* A peer claiming to be a coordinator. */
    weft__wbuf_reset(&w);
    make_hello(&w, WEFT__ROLE_COORDINATOR, WEFT__WIRE_VERSION);
    raw_start(&r, 2000);
    NT_EQ(weft__net_writen(r.raw, w.data, w.len, weft__net_deadline_ms(1000)),
          0);
    NT_EQ(raw_read_reject(r.raw), WEFT__REJECT_ROLE);
    raw_finish(&r);
    NT_EQ(r.c.rc, -EPROTO);

    /* A HELLO whose body is cut short under an honest-looking header. */
    weft__wbuf_reset(&w);
    make_hello(&w, WEFT__ROLE_WORKER, WEFT__WIRE_VERSION);
    w.data[16] = (uint8_t)(w.data[16] - 5);
    raw_start(&r, 2000);
    NT_EQ(weft__net_writen(r.raw, w.data, w.len - 5,
                           weft__net_deadline_ms(1000)),
          0);
    NT_EQ(raw_read_reject(r.raw), WEFT__REJECT_PROTOCOL);
    raw_finish(&r);
    NT_EQ(r.c.rc, -EPROTO);
    weft__wbuf_free(&w);
}

static void test_oversized(void) {
    struct rawrun r;
    struct weft__wbuf w = WEFT__WBUF_INITIALIZER;
    make_hello(&w, WEFT__ROLE_WORKER, WEFT__WIRE_VERSION);
    /* Announce 1 MiB: over the handshake limit, refused from the header
     * alone (no payload is sent, none is waited for). */
    w.data[16] = 0;
    w.data[17] = 0;
    w.data[18] = 0x10;
    w.data[19] = 0;
    raw_start(&r, 2000);
    int64_t t0 = weft__net_now_ns();
    NT_EQ(weft__net_writen(r.raw, w.data, WEFT__WIRE_HDR_LEN,
                           weft__net_deadline_ms(1000)),
          0);
    NT_EQ(raw_read_reject(r.raw), WEFT__REJECT_PROTOCOL);
    raw_finish(&r);
    NT_EQ(r.c.rc, -EMSGSIZE);
    NT_TRUE(ms_since(t0) < 1000);
    weft__wbuf_free(&w);
}

static void test_stall(void) {
    /* Connects and says nothing: the deadline fires on time. */
    struct rawrun r;
    int64_t t0 = weft__net_now_ns();
    raw_start(&r, 200);
    raw_finish(&r);
    int64_t ms = ms_since(t0);
    NT_EQ(r.c.rc, -ETIMEDOUT);
    NT_TRUE(ms >= 150 && ms < 2000);

    /* Trickles an honest HELLO one byte every 20 ms: each read makes
     * progress, but the deadline covers the whole handshake. */
    struct weft__wbuf w = WEFT__WBUF_INITIALIZER;
    make_hello(&w, WEFT__ROLE_WORKER, WEFT__WIRE_VERSION);
    t0 = weft__net_now_ns();
    raw_start(&r, 300);
    struct timespec ts = {0, 20 * 1000000};
    for (size_t i = 0; i < w.len && !atomic_load(&r.c.done); i++) {
        if (weft__net_writen(r.raw, w.data + i, 1,
                             weft__net_deadline_ms(1000)) != 0)
            break;
        nanosleep(&ts, NULL);
    }
    raw_finish(&r);
    ms = ms_since(t0);
    NT_EQ(r.c.rc, -ETIMEDOUT);
    NT_TRUE(ms >= 250 && ms < 2000);
    weft__wbuf_free(&w);
}

/* Impostors: a worker facing a coordinator that does not know the secret
 * or never answers, and a coordinator facing a worker that guesses. */
static void test_impostors(void) {
    int a, b;
    struct side w;
    pthread_t th;
    struct weft__frame f = {0};
    struct weft__msg m;
    struct weft__wbuf buf = WEFT__WBUF_INITIALIZER;

    /* Fake coordinator: answers HELLO with a made-up proof. */
    NT_EQ_FATAL(nt_pair(&a, &b), 0);
    side_init(&w, SECRET, sizeof SECRET - 1);
    NT_EQ_FATAL(weft__transport_sock_create(a, NULL, &w.t), 0);
    struct weft__transport *fake;
    NT_EQ_FATAL(weft__transport_sock_create(b, NULL, &fake), 0);
    NT_EQ_FATAL(pthread_create(&th, NULL, worker_main, &w), 0);
    NT_EQ(weft__transport_recv(fake, &f, 4096, weft__net_deadline_ms(2000)),
          0);
    NT_EQ(f.hdr.type, WEFT__MSG_HELLO);
    weft__frame_free(&f);
    memset(&m, 0, sizeof m);
    m.hdr.type = WEFT__MSG_CHALLENGE;
    memset(m.u.challenge.mac, 0x42, sizeof m.u.challenge.mac);
    weft__wire_encode(&buf, &m);
    NT_EQ(weft__transport_send(fake, buf.data, buf.len,
                               weft__net_deadline_ms(1000)),
          0);
    pthread_join(th, NULL);
    NT_EQ(w.rc, -EACCES);
    NT_EQ(w.peer.reject, WEFT__REJECT_AUTH);
    NT_EQ(weft__transport_recv(fake, &f, 4096, weft__net_deadline_ms(2000)),
          0);
    NT_EQ(weft__frame_decode(&f, &m), 0);
    NT_EQ(m.hdr.type, WEFT__MSG_REJECT);
    NT_EQ(m.u.reject.reason, WEFT__REJECT_AUTH);
    weft__frame_free(&f);
    weft__transport_close(fake);
    weft__transport_close(w.t);

    /* Silent coordinator: the worker's deadline fires. */
    NT_EQ_FATAL(nt_pair(&a, &b), 0);
    side_init(&w, SECRET, sizeof SECRET - 1);
    w.cfg.timeout_ms = 200;
    NT_EQ_FATAL(weft__transport_sock_create(a, NULL, &w.t), 0);
    int64_t t0 = weft__net_now_ns();
    NT_EQ_FATAL(pthread_create(&th, NULL, worker_main, &w), 0);
    pthread_join(th, NULL);
    NT_EQ(w.rc, -ETIMEDOUT);
    NT_TRUE(ms_since(t0) < 2000);
    close(b);
    weft__transport_close(w.t);

    /* Guessing worker: honest HELLO, then a zero RESPONSE. */
    struct rawrun r;
    raw_start(&r, 2000);
    weft__wbuf_reset(&buf);
    make_hello(&buf, WEFT__ROLE_WORKER, WEFT__WIRE_VERSION);
    NT_EQ(weft__net_writen(r.raw, buf.data, buf.len,
                           weft__net_deadline_ms(1000)),
          0);
    uint8_t chal[WEFT__WIRE_HDR_LEN + 64];
    NT_EQ(weft__net_readn(r.raw, chal, sizeof chal,
                          weft__net_deadline_ms(2000)),
          0);
    NT_EQ(chal[6], WEFT__MSG_CHALLENGE);
    weft__wbuf_reset(&buf);
    memset(&m, 0, sizeof m);
    m.hdr.type = WEFT__MSG_RESPONSE;
    weft__wire_encode(&buf, &m);
    NT_EQ(weft__net_writen(r.raw, buf.data, buf.len,
                           weft__net_deadline_ms(1000)),
          0);
    NT_EQ(raw_read_reject(r.raw), WEFT__REJECT_AUTH);
    raw_finish(&r);
    NT_EQ(r.c.rc, -EACCES);
    NT_EQ(r.c.peer.reject_by_peer, 0);
    weft__wbuf_free(&buf);
}

static void test_secret_file(void) {
    char path[] = "/tmp/weft-secret-XXXXXX";
    int fd = mkstemp(path);
    NT_TRUE_FATAL(fd >= 0);
    NT_EQ(write(fd, "s3cret-value-1\n", 15), 15);
    close(fd);
    uint8_t *s = NULL;
    size_t len = 0;
    NT_EQ(chmod(path, 0600), 0);
    NT_EQ_FATAL(weft__hs_secret_read_file(path, &s, &len), 0);
    NT_EQ(len, 14); /* newline stripped */
    NT_EQ(memcmp(s, "s3cret-value-1", 14), 0);
    weft__hs_secret_free(s, len);
    NT_EQ(chmod(path, 0644), 0);
    NT_EQ(weft__hs_secret_read_file(path, &s, &len), -EPERM);
    NT_EQ(chmod(path, 0600), 0);
    fd = open(path, O_WRONLY | O_TRUNC);
    NT_EQ(write(fd, "short", 5), 5);
    close(fd);
    NT_EQ(weft__hs_secret_read_file(path, &s, &len), -EINVAL);
    unlink(path);
    NT_EQ(weft__hs_secret_read_file(path, &s, &len), -ENOENT);
}

/* Waits up to 5 s for child pid, killing it after that, so no helper
 * outlives the test. Returns its exit status, or -1 if it had to be
 * killed or did not exit normally. */
static int reap(pid_t pid) {
    int st = 0;
    struct timespec ts = {0, 10 * 1000000};
    for (int i = 0; i < 500; i++) {
        pid_t r = waitpid(pid, &st, WNOHANG);
        if (r == pid)
            return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
        if (r < 0)
            return -1;
        nanosleep(&ts, NULL);
    }
    kill(pid, SIGKILL);
    waitpid(pid, &st, 0);
    return -1;
}

/* Accepts one helper process started from `path` and runs the coordinator
 * side against it. Returns the handshake result; *status gets the
 * helper's exit status. */
static int accept_helper(const char *path, struct weft__hs_peer *peer,
                         int *status) {
    int port, lfd = nt_listen(&port);
    if (lfd < 0)
        return lfd;
    char portstr[16];
    snprintf(portstr, sizeof portstr, "%d", port);
    char *argv[] = {(char *)path, "join", portstr, (char *)SECRET, NULL};
    pid_t pid;
    int rc = posix_spawn(&pid, path, NULL, NULL, argv, environ);
    if (rc != 0) {
        close(lfd);
        return -rc;
    }
    int fd = weft__net_accept(lfd, 5000, NULL, 0, NULL);
    close(lfd);
    rc = fd;
    if (fd >= 0) {
        struct weft__transport *t;
        struct weft__hs_config cfg;
        memset(&cfg, 0, sizeof cfg);
        cfg.secret = SECRET;
        cfg.secret_len = sizeof SECRET - 1;
        cfg.timeout_ms = 5000;
        cfg.node_id = 4;
        rc = weft__transport_sock_create(fd, NULL, &t);
        if (rc == 0) {
            rc = weft__hs_accept(t, &cfg, peer);
            weft__transport_close(t);
        } else {
            close(fd);
        }
    }
    *status = reap(pid);
    return rc;
}

/* Separate processes: the same binary is admitted (its build id matches
 * across processes), a different binary is refused as such. */
static void test_helper_process(void) {
    struct weft__hs_peer peer;
    int status = -2;
    NT_EQ(accept_helper("/proc/self/exe", &peer, &status), 0);
    NT_EQ(status, 0);
    NT_EQ(strcmp(peer.name, "helper"), 0);
    NT_EQ(peer.nthreads, 3);

    status = -2;
    NT_EQ(accept_helper(NET_HELPER_PATH, &peer, &status), -EPERM);
    NT_EQ(peer.reject, WEFT__REJECT_BUILD_ID);
    NT_EQ(status, EPERM);
}

int main(int argc, char **argv) {
    if (argc > 1)
        return nt_helper_main(argc, argv);
    static const struct nt_case cases[] = {
        {"build_id", test_build_id},
        {"success", test_success},
        {"wrong_secret", test_wrong_secret},
        {"other_binary", test_other_binary},
        {"version_mismatch", test_version_mismatch},
        {"garbage_and_protocol", test_garbage_and_protocol},
        {"oversized", test_oversized},
        {"stall", test_stall},
        {"impostors", test_impostors},
        {"secret_file", test_secret_file},
        {"helper_process", test_helper_process},
        {NULL, NULL}};
    return nt_run("net_handshake", cases);
}
