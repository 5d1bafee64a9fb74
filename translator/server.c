/* This file handles how weftcc reaches the translator without linking
 * libclang: loading libweft-translate.so with dlopen when a file is really
 * translated, and the persistent translation server that makes this load
 * (and libclang's first-parse warm-up) a once-per-session cost.
 *
 * The server is a daemon started by the first weftcc that needs it: a
 * weftcc re-executed as `weftcc --weft-server-run ...` after a double fork
 * and setsid, with stdin/stdout/stderr on /dev/null and every other
 * inherited descriptor closed, so it never holds a make or ctest pipe
 * open. It binds a Unix socket in a private per-user directory, loads the
 * module, warms libclang up with one translation, and then, single-
 * threaded, forks a small pool of workers (see "Daemon and workers") that
 * accept the connections. A worker (copy-on-write, so libclang is already
 * loaded and warm) receives
 * the client's translation arguments, environment and umask, plus its
 * stderr and working directory as descriptors (SCM_RIGHTS), so that
 * diagnostics reach the user's terminal unchanged; it runs the same entry
 * point and sends the TR_* status back. A crash of a worker is a failed
 * request, never a dead server. Every socket wait is bounded, and any
 * failure of the server path falls back to the in-process path: the
 * server can make a build faster, never make it fail. */
#define _GNU_SOURCE
#include "server.h"

#include "translate.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

typedef int (*translate_fn)(const char *, const char *, const char *const *,
                            int, const struct tr_options *);

/* Protocol: the client sends one struct req_head (with its stderr and cwd
 * descriptors attached) followed by head.len bytes of NUL-terminated
 * strings: in_path, out_path, display_name ("" = none), the n_args
 * arguments, then the n_env environment entries. The serving child answers
 * one struct reply_ack as soon as the request is read (the request is now
 * owned by a child whose pid the client learns), then one int32_t TR_*
 * status when the translation is done. A server that closes the connection
 * before the ack never started the work: the client may retry. */
#define REQ_MAGIC 0x77667472u /* "wftr" */
#define REQ_TRANSLATE 1u
#define REQ_STOP 2u
#define REQ_MAX_LEN (64u << 20)
#define REQ_MAX_STRS (1u << 20)

struct req_head {
    uint32_t magic;
    uint32_t kind;
    uint32_t n_args;
    uint32_t n_env;
    uint32_t len;
    uint32_t umask;
    int32_t verbose;
};

struct reply_ack {
    uint32_t magic;
    int32_t pid;
};

/* Socket waits (milliseconds): sending a request or an ack, the wait for
 * the ack (the server may still be loading libclang on a loaded machine),
 * daemon start-up and the lock. The wait for the status has its own bound,
 * WEFT_TRANSLATE_TIMEOUT seconds (default 600), after which the child is
 * killed and the file is translated in process. */
#define IO_TIMEOUT_MS 10000
#define ACK_TIMEOUT_MS 60000
#define START_TIMEOUT_MS 10000
#define LOCK_TIMEOUT_MS 20000
#define DEFAULT_IDLE_S 300
#define DEFAULT_STATUS_TIMEOUT_S 600

double tr_now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

static double cpu_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

int tr_times_on(void) {
    const char *s = getenv("WEFT_TRANSLATE_TIMES");
    return s && *s && strcmp(s, "0") != 0;
}

/* ------------------------------------------------------------------ */
/* In-process path                                                     */
/* ------------------------------------------------------------------ */

/* The module stays loaded until exit once opened (dlclose of libLLVM is
 * neither cheap nor safe with its static destructors). */
static void *module; /* the translator module's handle, once loaded */

static translate_fn load_translator(const char *lib_path, int quiet) {
    static translate_fn fn;
    if (fn)
        return fn;
    double t0 = tr_now_ms();
    /* Lazy binding: most of libLLVM's symbols are never called by a
     * parse, and resolving them up front costs start-up time. */
    void *h = dlopen(lib_path, RTLD_LAZY | RTLD_LOCAL);
    if (!h) {
        if (!quiet)
            fprintf(stderr, "weftcc: cannot load the translator: %s\n",
                    dlerror());
        return NULL;
    }
    module = h;
    fn = (translate_fn)(uintptr_t)dlsym(h, TR_TRANSLATE_SYMBOL);
    if (!fn) {
        if (!quiet)
            fprintf(stderr,
                    "weftcc: %s: no %s (a translator of another weft "
                    "version?)\n",
                    lib_path, TR_TRANSLATE_SYMBOL);
        return NULL;
    }
    if (tr_times_on() && !quiet)
        fprintf(stderr, "weftcc: time: load %s: %.1f ms\n", lib_path,
                tr_now_ms() - t0);
    return fn;
}

static int translate_in_process(const char *lib_path, const char *in_path,
                                const char *out_path,
                                const char *const *cc_args, int n_cc_args,
                                const struct tr_options *opt) {
    translate_fn fn = load_translator(lib_path, 0);
    if (!fn)
        return TR_INTERNAL;
    double t0 = tr_now_ms();
    int rc = fn(in_path, out_path, cc_args, n_cc_args, opt);
    if (tr_times_on())
        fprintf(stderr, "weftcc: time: translate %s in process: %.1f ms\n",
                in_path, tr_now_ms() - t0);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Socket directory and names                                          */
/* ------------------------------------------------------------------ */

/* Why the server is not used, for -v and WEFT_TRANSLATE_TIMES. */
static char why_not[512];

/* Sets why_not (truncated if need be: it is only ever printed). */
static void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void note(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why_not, sizeof why_not, fmt, ap);
    va_end(ap);
}

/* Checks that dir is ours alone: a real directory (not a symlink), owned
 * by this user, mode 0700. Anyone else able to write there could plant a
 * socket and be handed our source files and environment. */
static int dir_is_private(const char *dir) {
    struct stat st;
    if (lstat(dir, &st) != 0) {
        note("%s: %s", dir, strerror(errno));
        return 0;
    }
    if (!S_ISDIR(st.st_mode) || st.st_uid != getuid() ||
        (st.st_mode & 07777) != 0700) {
        note("%s is not a directory of mode 0700 owned by uid %u", dir,
             (unsigned)getuid());
        return 0;
    }
    return 1;
}

/* The socket directory: $WEFT_TRANSLATE_SOCKDIR, else
 * $XDG_RUNTIME_DIR/weft, else /tmp/weft-$UID; created 0700 when missing
 * (its parent must exist). Returns 0 and the path in buf, or -1. */
static int sock_dir(char *buf, size_t len) {
    const char *env = getenv("WEFT_TRANSLATE_SOCKDIR");
    const char *xdg = getenv("XDG_RUNTIME_DIR");
    int n;
    if (env && *env)
        n = snprintf(buf, len, "%s", env);
    else if (xdg && *xdg == '/')
        n = snprintf(buf, len, "%s/weft", xdg);
    else
        n = snprintf(buf, len, "/tmp/weft-%u", (unsigned)getuid());
    if (n < 0 || (size_t)n >= len) {
        note("socket directory name too long");
        return -1;
    }
    if (mkdir(buf, 0700) != 0 && errno != EEXIST) {
        note("cannot create %s: %s", buf, strerror(errno));
        return -1;
    }
    return dir_is_private(buf) ? 0 : -1;
}

static uint64_t fnv1a(uint64_t h, const void *p, size_t n) {
    const unsigned char *c = p;
    for (size_t i = 0; i < n; i++) {
        h ^= c[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

static uint64_t hash_file(uint64_t h, const char *path) {
    struct stat st;
    char real[PATH_MAX];
    if (!realpath(path, real) || stat(real, &st) != 0)
        return h;
    h = fnv1a(h, real, strlen(real));
    uint64_t id[5] = {(uint64_t)st.st_dev, (uint64_t)st.st_ino,
                      (uint64_t)st.st_size, (uint64_t)st.st_mtim.tv_sec,
                      (uint64_t)st.st_mtim.tv_nsec};
    return fnv1a(h, id, sizeof id);
}

/* Socket and lock paths for this weftcc and this translator module: a
 * rebuilt weftcc or module gets a new name and so never talks to an old
 * server (which idles out on its own). */
static int server_paths(const char *dir, const char *lib_path, char *sock,
                        char *lock, size_t len) {
    uint64_t h = 0xcbf29ce484222325ull;
    h = hash_file(h, "/proc/self/exe");
    h = hash_file(h, lib_path);
    int n1 =
        snprintf(sock, len, "%s/tr-%016llx.sock", dir, (unsigned long long)h);
    int n2 =
        snprintf(lock, len, "%s/tr-%016llx.lock", dir, (unsigned long long)h);
    if (n1 < 0 || n2 < 0 || (size_t)n1 >= len || (size_t)n2 >= len ||
        (size_t)n1 >= sizeof(((struct sockaddr_un *)0)->sun_path)) {
        note("socket path too long in %s", dir);
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* Bounded socket I/O                                                  */
/* ------------------------------------------------------------------ */

static void set_timeouts(int fd, int ms) {
    struct timeval tv = {ms / 1000, (ms % 1000) * 1000};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

/* Writes all n bytes; 0 or -1 (timeout, peer gone). */
static int send_all(int fd, const void *p, size_t n) {
    const char *c = p;
    while (n > 0) {
        ssize_t r = send(fd, c, n, MSG_NOSIGNAL);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        c += r;
        n -= (size_t)r;
    }
    return 0;
}

/* Reads exactly n bytes, waiting at most ms in total. Returns 0, -1 when
 * the peer is gone (or an error), -2 on timeout. */
static int recv_all(int fd, void *p, size_t n, int ms) {
    char *c = p;
    double end = tr_now_ms() + ms;
    while (n > 0) {
        double left = end - tr_now_ms();
        if (left <= 0)
            return -2;
        struct pollfd pfd = {fd, POLLIN, 0};
        int pr = poll(&pfd, 1, (int)left + 1);
        if (pr < 0 && errno == EINTR)
            continue;
        if (pr == 0)
            return -2;
        if (pr < 0)
            return -1;
        ssize_t r = recv(fd, c, n, 0);
        if (r < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (r <= 0)
            return -1;
        c += r;
        n -= (size_t)r;
    }
    return 0;
}

/* The uid of the process at the other end, or (uid_t)-1. */
static uid_t peer_uid(int fd) {
    struct ucred cr;
    socklen_t len = sizeof cr;
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) != 0)
        return (uid_t)-1;
    return cr.uid;
}

/* Connects to sock; returns the descriptor, or -1 with errno (ENOENT,
 * ECONNREFUSED: no server; EACCES for a server of another user). */
static int dial(const char *sock) {
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    /* SO_SNDTIMEO also bounds a connect that waits for backlog room. */
    set_timeouts(fd, IO_TIMEOUT_MS);
    struct sockaddr_un sa;
    memset(&sa, 0, sizeof sa);
    sa.sun_family = AF_UNIX;
    snprintf(sa.sun_path, sizeof sa.sun_path, "%s", sock);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    if (peer_uid(fd) != getuid()) {
        close(fd);
        errno = EACCES;
        return -1;
    }
    return fd;
}

/* ------------------------------------------------------------------ */
/* Starting the daemon                                                 */
/* ------------------------------------------------------------------ */

/* Takes an exclusive flock on path, waiting at most LOCK_TIMEOUT_MS.
 * Returns the descriptor (closing it unlocks) or -1. */
static int lock_file(const char *path) {
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        return -1;
    double end = tr_now_ms() + LOCK_TIMEOUT_MS;
    while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if ((errno != EWOULDBLOCK && errno != EINTR) || tr_now_ms() > end) {
            close(fd);
            return -1;
        }
        struct timespec ts = {0, 5 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    return fd;
}

/* Closes every descriptor from lo up, between fork and exec (so nothing
 * here may allocate). */
static void close_from(int lo) {
#ifdef SYS_close_range
    if (syscall(SYS_close_range, (unsigned)lo, ~0u, 0u) == 0)
        return;
#endif
    struct rlimit rl;
    long max = 65536;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
        rl.rlim_cur < 65536)
        max = (long)rl.rlim_cur;
    for (long fd = lo; fd < max; fd++)
        close((int)fd);
}

/* Starts the daemon for sock and waits until it listens. Called with the
 * lock held and no server answering on sock. Returns 0 or -1. */
static int spawn_server(const char *sock, const char *lib_path) {
    struct stat st;
    if (lstat(sock, &st) == 0) {
        /* A dead server's socket: replace it (we hold the lock, so no
         * other weftcc is starting one). Anything else there is not
         * ours to remove. */
        if (!S_ISSOCK(st.st_mode) || unlink(sock) != 0) {
            note("cannot replace %s", sock);
            return -1;
        }
    }
    char idle[32];
    const char *ienv = getenv("WEFT_TRANSLATE_IDLE");
    long idle_s = ienv && *ienv ? strtol(ienv, NULL, 10) : DEFAULT_IDLE_S;
    snprintf(idle, sizeof idle, "%ld", idle_s > 0 ? idle_s : DEFAULT_IDLE_S);
    char *const argv[] = {"weftcc",     "--weft-server-run",
                          (char *)sock, (char *)lib_path,
                          idle,         NULL};
    int pfd[2];
    if (pipe2(pfd, O_CLOEXEC) != 0)
        return -1;
    int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (devnull < 0) {
        close(pfd[0]);
        close(pfd[1]);
        return -1;
    }
    /* weftcc's cleanup handlers (driver-proc.c) remove this process's
     * temporaries: they must never run in the children, so signals stay
     * blocked until the children have put the default actions back. */
    sigset_t all, orig;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, &orig);
    pid_t pid = fork();
    if (pid == 0) {
        struct sigaction dfl;
        memset(&dfl, 0, sizeof dfl);
        dfl.sa_handler = SIG_DFL;
        for (int sig = 1; sig < NSIG; sig++) {
            struct sigaction cur;
            if (sigaction(sig, NULL, &cur) == 0 && cur.sa_handler != SIG_IGN &&
                cur.sa_handler != SIG_DFL)
                sigaction(sig, &dfl, NULL);
        }
        /* Intermediate child: a new session, then the daemon is its
         * child, so it is never the session leader (it can never acquire
         * a controlling terminal) and init reaps it. */
        setsid();
        pid_t d = fork();
        if (d != 0)
            _exit(d < 0 ? 1 : 0);
        dup2(devnull, 0);
        dup2(devnull, 1);
        dup2(devnull, 2);
        /* The ready pipe becomes descriptor 3, the only one kept. */
        if (pfd[1] != 3 && dup2(pfd[1], 3) < 0)
            _exit(1);
        fcntl(3, F_SETFD, 0);
        close_from(4);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        execv("/proc/self/exe", argv);
        _exit(127);
    }
    sigprocmask(SIG_SETMASK, &orig, NULL);
    close(devnull);
    close(pfd[1]);
    if (pid < 0) {
        close(pfd[0]);
        return -1;
    }
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    /* The daemon writes one byte once it listens; EOF means it failed. */
    char c = 0;
    struct pollfd rp = {pfd[0], POLLIN, 0};
    int ok = poll(&rp, 1, START_TIMEOUT_MS) == 1 && read(pfd[0], &c, 1) == 1 &&
             c == 'R';
    close(pfd[0]);
    if (!ok)
        note("the server did not start");
    return ok ? 0 : -1;
}

/* Connects to the server for sock, starting it when none answers. Returns
 * the descriptor or -1 (why_not says why). */
static int connect_or_start(const char *sock, const char *lock,
                            const char *lib_path) {
    int fd = dial(sock);
    if (fd >= 0)
        return fd;
    if (errno != ENOENT && errno != ECONNREFUSED) {
        note("%s: %s", sock, strerror(errno));
        return -1;
    }
    int lk = lock_file(lock);
    if (lk < 0) {
        note("cannot lock %s", lock);
        return -1;
    }
    /* Another weftcc may have started it while we waited for the lock. */
    fd = dial(sock);
    if (fd < 0 && spawn_server(sock, lib_path) == 0) {
        /* The server needs about as long to load and warm up as this
         * translation takes in process: do it here, the next weftcc gets
         * the warm server. */
        note("started the server %s", sock);
    } else if (fd < 0 && !why_not[0]) {
        note("%s: %s", sock, strerror(errno));
    }
    close(lk);
    return fd;
}

/* ------------------------------------------------------------------ */
/* Client                                                              */
/* ------------------------------------------------------------------ */

static void buf_add(char **b, size_t *len, size_t *cap, const char *s) {
    size_t n = strlen(s) + 1;
    if (*len + n > *cap) {
        *cap = (*len + n) * 2;
        char *nb = realloc(*b, *cap);
        if (!nb) {
            fputs("weftcc: out of memory\n", stderr);
            exit(1);
        }
        *b = nb;
    }
    memcpy(*b + *len, s, n);
    *len += n;
}

/* Sends head (with fds attached when nfds > 0) and body. 0 or -1. */
static int send_request(int fd, const struct req_head *head, const int *fds,
                        int nfds, const char *body) {
    struct iovec iov = {(void *)head, sizeof *head};
    union {
        char buf[CMSG_SPACE(2 * sizeof(int))];
        struct cmsghdr align;
    } u;
    struct msghdr mh;
    memset(&mh, 0, sizeof mh);
    memset(&u, 0, sizeof u);
    mh.msg_iov = &iov;
    mh.msg_iovlen = 1;
    if (nfds > 0) {
        mh.msg_control = u.buf;
        mh.msg_controllen = CMSG_SPACE((size_t)nfds * sizeof(int));
        struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
        cm->cmsg_level = SOL_SOCKET;
        cm->cmsg_type = SCM_RIGHTS;
        cm->cmsg_len = CMSG_LEN((size_t)nfds * sizeof(int));
        memcpy(CMSG_DATA(cm), fds, (size_t)nfds * sizeof(int));
    }
    ssize_t r;
    while ((r = sendmsg(fd, &mh, MSG_NOSIGNAL)) < 0 && errno == EINTR)
        ;
    if (r != (ssize_t)sizeof *head) {
        /* A partial header: finish it without the descriptors. */
        if (r < 0)
            return -1;
        if (send_all(fd, (const char *)head + r, sizeof *head - (size_t)r))
            return -1;
    }
    return head->len ? send_all(fd, body, head->len) : 0;
}

/* Outcomes of one request to the server. */
enum {
    ASK_DONE, /* *status holds the translation's TR_* result */
    ASK_NOT_TAKEN /* nobody started the work: retry or fall back */,
    ASK_LOST /* a child took it and died or hung: fall back */
};

static int ask_server(int fd, const char *in_path, const char *out_path,
                      const char *const *cc_args, int n_cc_args,
                      const struct tr_options *opt, int *status) {
    char *body = NULL;
    size_t len = 0, cap = 0;
    buf_add(&body, &len, &cap, in_path);
    buf_add(&body, &len, &cap, out_path);
    buf_add(&body, &len, &cap,
            opt && opt->display_name ? opt->display_name : "");
    for (int i = 0; i < n_cc_args; i++)
        buf_add(&body, &len, &cap, cc_args[i]);
    uint32_t n_env = 0;
    for (char **e = environ; *e; e++, n_env++)
        buf_add(&body, &len, &cap, *e);
    mode_t um = umask(0);
    umask(um);
    struct req_head head = {
        REQ_MAGIC,     REQ_TRANSLATE, (uint32_t)n_cc_args,   n_env,
        (uint32_t)len, (uint32_t)um,  opt ? opt->verbose : 0};
    int fds[2] = {2, open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
    int rc = ASK_NOT_TAKEN;
    if (fds[1] >= 0 && len <= REQ_MAX_LEN &&
        send_request(fd, &head, fds, 2, body) == 0) {
        struct reply_ack ack;
        if (recv_all(fd, &ack, sizeof ack, ACK_TIMEOUT_MS) == 0 &&
            ack.magic == REQ_MAGIC) {
            const char *t = getenv("WEFT_TRANSLATE_TIMEOUT");
            long secs = t && *t ? strtol(t, NULL, 10) : 0;
            if (secs <= 0)
                secs = DEFAULT_STATUS_TIMEOUT_S;
            int32_t st;
            int got = recv_all(fd, &st, sizeof st, (int)(secs * 1000));
            if (got == 0) {
                *status = st;
                rc = ASK_DONE;
            } else {
                /* A stuck child (it still holds the connection, so the
                 * pid is still its own): make sure it cannot write the
                 * output while we translate in process. */
                if (got == -2 && ack.pid > 0)
                    kill(ack.pid, SIGKILL);
                note("the server lost the request (child %d)", (int)ack.pid);
                rc = ASK_LOST;
            }
        }
    }
    if (fds[1] >= 0)
        close(fds[1]);
    free(body);
    return rc;
}

int tr_xlate_file(const char *lib_path, const char *in_path,
                  const char *out_path, const char *const *cc_args,
                  int n_cc_args, const struct tr_options *opt) {
    const char *env = getenv("WEFT_TRANSLATE_SERVER");
    int verbose = opt && opt->verbose;
    why_not[0] = '\0';
    if (env && strcmp(env, "0") == 0) {
        note("WEFT_TRANSLATE_SERVER=0");
    } else {
        char dir[PATH_MAX], sock[PATH_MAX], lock[PATH_MAX];
        struct stat st;
        if (stat(lib_path, &st) != 0)
            note("%s: %s", lib_path, strerror(errno));
        else if (sock_dir(dir, sizeof dir) == 0 &&
                 server_paths(dir, lib_path, sock, lock, sizeof sock) == 0) {
            double t0 = tr_now_ms();
            /* Two tries: a server that is exiting (idle) closes the
             * connections it has not accepted, before any work started. */
            for (int attempt = 0; attempt < 2; attempt++) {
                int fd = connect_or_start(sock, lock, lib_path);
                if (fd < 0)
                    break;
                int status = TR_INTERNAL;
                int r = ask_server(fd, in_path, out_path, cc_args, n_cc_args,
                                   opt, &status);
                close(fd);
                if (r == ASK_DONE) {
                    if (verbose)
                        fprintf(stderr, "weftcc: translated by server %s\n",
                                sock);
                    if (tr_times_on())
                        fprintf(stderr,
                                "weftcc: time: translate %s by server: "
                                "%.1f ms\n",
                                in_path, tr_now_ms() - t0);
                    return status;
                }
                if (r == ASK_LOST)
                    break;
                note("the server closed the connection");
            }
        }
    }
    if (verbose || tr_times_on())
        fprintf(stderr, "weftcc: translating in process (%s)\n", why_not);
    return translate_in_process(lib_path, in_path, out_path, cc_args, n_cc_args,
                                opt);
}

/* ------------------------------------------------------------------ */
/* Stopping servers                                                    */
/* ------------------------------------------------------------------ */

int tr_server_stop(void) {
    char dir[PATH_MAX];
    if (sock_dir(dir, sizeof dir) != 0) {
        fprintf(stderr, "weftcc: no translation server directory (%s)\n",
                why_not);
        return 0;
    }
    DIR *dp = opendir(dir);
    if (!dp)
        return 0;
    int bad = 0, stopped = 0;
    struct dirent *de;
    while ((de = readdir(dp)) != NULL) {
        size_t n = strlen(de->d_name);
        if (strncmp(de->d_name, "tr-", 3) != 0 || n < 8 ||
            strcmp(de->d_name + n - 5, ".sock") != 0)
            continue;
        char sock[PATH_MAX];
        int sn = snprintf(sock, sizeof sock, "%s/%s", dir, de->d_name);
        if (sn < 0 || (size_t)sn >= sizeof sock)
            continue;
        int fd = dial(sock);
        if (fd < 0) {
            /* A dead server's leftover: nothing listens, remove it. */
            if (errno == ECONNREFUSED)
                unlink(sock);
            continue;
        }
        /* The daemon's pid, to wait for its exit (and only for that). */
        long dpid = 0;
        char pidfile[PATH_MAX];
        int pn = snprintf(pidfile, sizeof pidfile, "%.*s.pid",
                          (int)(strlen(sock) - 5), sock);
        FILE *pf =
            pn > 0 && (size_t)pn < sizeof pidfile ? fopen(pidfile, "r") : NULL;
        if (pf) {
            if (fscanf(pf, "%ld", &dpid) != 1)
                dpid = 0;
            fclose(pf);
        }
        struct req_head head = {REQ_MAGIC, REQ_STOP, 0, 0, 0, 0, 0};
        struct reply_ack ack;
        if (send_request(fd, &head, NULL, 0, NULL) != 0 ||
            recv_all(fd, &ack, sizeof ack, ACK_TIMEOUT_MS) != 0) {
            fprintf(stderr, "weftcc: %s did not answer\n", sock);
            bad = 1;
        } else {
            /* The daemon removes its socket as it exits: wait for that,
             * so that a caller may remove the directory next. */
            struct stat st;
            double end = tr_now_ms() + START_TIMEOUT_MS;
            while ((lstat(sock, &st) == 0 ||
                    (dpid > 0 && kill((pid_t)dpid, 0) == 0)) &&
                   tr_now_ms() < end) {
                struct timespec ts = {0, 5 * 1000 * 1000};
                nanosleep(&ts, NULL);
            }
            stopped++;
        }
        close(fd);
    }
    closedir(dp);
    printf("weftcc: stopped %d translation server%s in %s\n", stopped,
           stopped == 1 ? "" : "s", dir);
    return bad;
}

/* ------------------------------------------------------------------ */
/* Daemon and workers                                                  */
/* ------------------------------------------------------------------ */

/* Why workers serve many requests instead of one fork per request: on
 * this kind of machine (a VM), the first translation in a freshly forked
 * process costs about 45 ms more CPU than the next one (the copy-on-write
 * and page-table faults of libclang's warmed-up heap and code), which is
 * as much as the translation itself. A worker pays it once, at start-up,
 * while idle, then serves requests one at a time. The translator is
 * reentrant across files (weftcc translates several sources in one
 * process), each request restores the client's environment, directory,
 * umask and stderr, and a worker is replaced after WORKER_REQUESTS
 * requests so that nothing it accumulates grows without bound. A worker
 * that crashes loses only its current request (the client translates in
 * process) and the daemon starts another. */
#define WORKER_REQUESTS 200
#define MAX_WORKERS 16

/* Set by SIGTERM/SIGINT in the daemon (stop) and SIGCHLD (reap). */
static volatile sig_atomic_t stop_requested;
static volatile sig_atomic_t child_exited;

static void on_term(int sig) {
    (void)sig;
    stop_requested = 1;
}

static void on_chld(int sig) {
    (void)sig;
    child_exited = 1;
}

/* Shared between the daemon and its workers (MAP_SHARED): the time of
 * the last accepted request, for the idle exit. */
struct shared_state {
    _Atomic long last_active_s;
};

static long mono_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec;
}

/* One translation of a small file with the usual headers and a directive:
 * pays libclang's lazy set-up (symbol binding, first touch of its code and
 * heap, the headers' pages) before any client waits for it. */
static void warm_up(translate_fn fn, const char *dir) {
    char src[PATH_MAX], out[PATH_MAX];
    int n1 = snprintf(src, sizeof src, "%s/warm-%d.c", dir, (int)getpid());
    int n2 = snprintf(out, sizeof out, "%s/warm-%d.out.c", dir, (int)getpid());
    if (n1 < 0 || n2 < 0 || (size_t)n1 >= sizeof src ||
        (size_t)n2 >= sizeof out)
        return;
    FILE *f = fopen(src, "w");
    if (!f)
        return;
    fputs("#include <math.h>\n#include <stdio.h>\n#include <stdlib.h>\n"
          "#include <string.h>\n"
          "double f(const double *a, int n) {\n"
          "    double s = 0;\n"
          "#pragma omp parallel for reduction(+: s) schedule(static)\n"
          "    for (int i = 0; i < n; i++)\n"
          "        s += sqrt(a[i]);\n"
          "    return s;\n"
          "}\n",
          f);
    if (fclose(f) == 0) {
        struct tr_options opt = {NULL, 0};
        fn(src, out, NULL, 0, &opt);
    }
    unlink(src);
    unlink(out);
}

/* H29: the parsed-TU cache of each worker (tucache.c, in the module)
 * keeps the last WEFT_TRANSLATE_CACHE (default 8) files it parsed, so that
 * compiling one of them again reuses or re-parses its TU (about 2 MB of
 * resident memory for a sample, 4 MB for a 1900-line file, measured
 * without preambles), and drops them all above WEFT_TRANSLATE_CACHE_RSS_MB.
 * With WEFT_TRANSLATE_PREAMBLE=1, libclang writes each TU's preamble to a
 * temporary file in $TMPDIR: a worker points TMPDIR at a private directory, the
 * daemon's <socket>.tmp (mode 0700) / w<pid>. A worker deletes its
 * preambles (by disposing its TUs) when it exits on its own; the daemon
 * removes the directory of every worker it reaps, however it died, and the
 * whole tree when it exits (a stale tree left by a killed daemon goes when
 * the next one for the same socket starts). */
#define DEFAULT_CACHE_ENTRIES 8
#define DEFAULT_CACHE_RSS_MB 1024
static char tmp_root[PATH_MAX];   /* the daemon's; "" = no cache */
static char worker_tmp[PATH_MAX]; /* this worker's; "" = no cache */
static void (*cache_clear)(void);

/* Removes dir and what it holds, down to depth levels of directories
 * (never following a symbolic link). */
static void remove_tree(const char *dir, int depth) {
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    DIR *dp = fd >= 0 ? fdopendir(fd) : NULL;
    if (!dp) {
        if (fd >= 0)
            close(fd);
        rmdir(dir);
        return;
    }
    struct dirent *de;
    while ((de = readdir(dp)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (unlinkat(fd, de->d_name, 0) == 0 || errno != EISDIR || depth <= 0)
            continue;
        char sub[PATH_MAX];
        int n = snprintf(sub, sizeof sub, "%s/%s", dir, de->d_name);
        if (n > 0 && (size_t)n < sizeof sub)
            remove_tree(sub, depth - 1);
    }
    closedir(dp);
    rmdir(dir);
}

/* The daemon's private tree for the workers' preambles, emptied; on
 * failure tmp_root stays "" and the workers keep no cache. */
static void tmp_root_create(const char *sock) {
    char d[PATH_MAX];
    int n = snprintf(d, sizeof d, "%.*s.tmp", (int)(strlen(sock) - 5), sock);
    if (n < 0 || (size_t)n >= sizeof d)
        return;
    remove_tree(d, 1);
    if (mkdir(d, 0700) != 0)
        return;
    memcpy(tmp_root, d, (size_t)n + 1);
}

static void worker_tmp_remove(pid_t pid) {
    char d[PATH_MAX];
    int n = snprintf(d, sizeof d, "%s/w%d", tmp_root, (int)pid);
    if (tmp_root[0] && n > 0 && (size_t)n < sizeof d)
        remove_tree(d, 0);
}

/* Turns this worker's cache on (after its warm-up, which must not fill
 * it) unless WEFT_TRANSLATE_CACHE=0 or the module has none. */
static void cache_setup(void) {
    if (!tmp_root[0] || !module)
        return;
    void (*config)(int, long) = (void (*)(int, long))(uintptr_t)dlsym(
        module, TR_TUCACHE_CONFIG_SYMBOL);
    void (*clear)(void) =
        (void (*)(void))(uintptr_t)dlsym(module, TR_TUCACHE_CLEAR_SYMBOL);
    const char *s = getenv("WEFT_TRANSLATE_CACHE");
    long n = s && *s ? strtol(s, NULL, 10) : DEFAULT_CACHE_ENTRIES;
    const char *m = getenv("WEFT_TRANSLATE_CACHE_RSS_MB");
    long mb = m && *m ? strtol(m, NULL, 10) : DEFAULT_CACHE_RSS_MB;
    if (!config || !clear || n <= 0 || n > INT_MAX)
        return;
    int k = snprintf(worker_tmp, sizeof worker_tmp, "%s/w%d", tmp_root,
                     (int)getpid());
    if (k < 0 || (size_t)k >= sizeof worker_tmp ||
        mkdir(worker_tmp, 0700) != 0) {
        worker_tmp[0] = '\0';
        return;
    }
    cache_clear = clear;
    config((int)n, mb > 0 && mb < LONG_MAX / 1024 ? mb * 1024 : 0);
}

/* The request being served keeps its strings here until the next one:
 * putenv() keeps pointers into them. */
static char *req_body;

/* Serves one connection in a worker: reads the request, takes over the
 * client's stderr, directory, umask and environment, translates, answers,
 * and puts the worker's own state back (stderr on /dev/null, cwd /). */
static void serve_one(int fd, translate_fn fn, pid_t daemon) {
    set_timeouts(fd, IO_TIMEOUT_MS);
    struct req_head head;
    union {
        char buf[CMSG_SPACE(2 * sizeof(int))];
        struct cmsghdr align;
    } u;
    struct iovec iov = {&head, sizeof head};
    struct msghdr mh;
    memset(&mh, 0, sizeof mh);
    mh.msg_iov = &iov;
    mh.msg_iovlen = 1;
    mh.msg_control = u.buf;
    mh.msg_controllen = sizeof u.buf;
    ssize_t r;
    while ((r = recvmsg(fd, &mh, MSG_WAITALL | MSG_CMSG_CLOEXEC)) < 0 &&
           errno == EINTR)
        ;
    int fds[2] = {-1, -1};
    int nfds = 0;
    for (struct cmsghdr *cm = r > 0 ? CMSG_FIRSTHDR(&mh) : NULL; cm;
         cm = CMSG_NXTHDR(&mh, cm)) {
        if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS) {
            int n = (int)((cm->cmsg_len - CMSG_LEN(0)) / sizeof(int));
            for (int i = 0; i < n; i++) {
                int got;
                memcpy(&got, CMSG_DATA(cm) + (size_t)i * sizeof(int),
                       sizeof got);
                if (nfds < 2)
                    fds[nfds++] = got;
                else
                    close(got);
            }
        }
    }
    struct reply_ack ack = {REQ_MAGIC, (int32_t)getpid()};
    char *body = NULL;
    char **strs = NULL;
    if (r != (ssize_t)sizeof head || head.magic != REQ_MAGIC)
        goto out;
    if (head.kind == REQ_STOP) {
        send_all(fd, &ack, sizeof ack);
        /* Only while the daemon is still our parent: a reparented worker
         * must not signal whatever now has that pid. */
        if (getppid() == daemon)
            kill(daemon, SIGTERM);
        goto out;
    }
    if (head.kind != REQ_TRANSLATE || nfds != 2 || head.len > REQ_MAX_LEN ||
        head.n_args > REQ_MAX_STRS || head.n_env > REQ_MAX_STRS)
        goto out;
    body = malloc((size_t)head.len + 1);
    if (!body || recv_all(fd, body, head.len, IO_TIMEOUT_MS) != 0)
        goto out;
    body[head.len] = '\0';
    size_t nstr = 3 + (size_t)head.n_args + head.n_env;
    strs = calloc(nstr, sizeof *strs);
    if (!strs)
        goto out;
    char *p = body, *end = body + head.len;
    for (size_t i = 0; i < nstr; i++) {
        if (p >= end)
            goto out;
        strs[i] = p;
        p += strlen(p) + 1;
    }
    /* The client may have given up waiting (it then translates itself):
     * an ack that cannot be sent means nobody wants this work. */
    if (send_all(fd, &ack, sizeof ack) != 0 || fchdir(fds[1]) != 0 ||
        dup2(fds[0], 2) < 0)
        goto out;
    mode_t old_umask = umask((mode_t)head.umask);
    clearenv();
    free(req_body);
    req_body = body;
    body = NULL;
    for (size_t i = 0; i < head.n_env; i++)
        putenv(strs[3 + head.n_args + i]);
    /* Preambles go to the worker's private directory (the translation
     * makes no other temporary file through TMPDIR). */
    if (worker_tmp[0])
        setenv("TMPDIR", worker_tmp, 1);
    /* A worker is a fork of the daemon: parse on this thread rather than
     * start libclang's safety thread (ThreadSanitizer builds refuse new
     * threads after a fork of a threaded process). */
    setenv("LIBCLANG_NOTHREADS", "1", 1);
    struct tr_options opt = {strs[2][0] ? strs[2] : NULL, head.verbose};
    double t0 = tr_now_ms(), c0 = cpu_ms();
    int32_t st = fn(strs[0], strs[1], (const char *const *)strs + 3,
                    (int)head.n_args, &opt);
    if (tr_times_on())
        fprintf(stderr,
                "weftcc: time: server worker %d: translate %.1f ms (cpu "
                "%.1f ms)\n",
                (int)getpid(), tr_now_ms() - t0, cpu_ms() - c0);
    fflush(stderr);
    send_all(fd, &st, sizeof st);
    umask(old_umask);
    int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (devnull >= 0) {
        dup2(devnull, 2);
        close(devnull);
    }
    if (chdir("/") != 0)
        _exit(1);
out:
    for (int i = 0; i < nfds; i++)
        close(fds[i]);
    free(strs);
    free(body);
}

/* A worker's life: warm up, then accept and serve until it has served
 * WORKER_REQUESTS requests, the daemon dies, or it is told to stop. */
static void worker_main(int lfd, translate_fn fn, pid_t daemon,
                        struct shared_state *sh, const char *dir) {
    signal(SIGTERM, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    signal(SIGCHLD, SIG_DFL);
    signal(SIGPIPE, SIG_IGN);
    /* A worker must never outlive its daemon (it would keep the socket
     * listening with nobody to replace it). */
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != daemon)
        _exit(0);
    warm_up(fn, dir);
    cache_setup();
    for (int served = 0; served < WORKER_REQUESTS;) {
        if (getppid() != daemon)
            break;
        struct pollfd pfd = {lfd, POLLIN, 0};
        int pr = poll(&pfd, 1, 1000);
        if (pr <= 0)
            continue;
        /* Every idle worker wakes up; the others get EAGAIN. */
        int cfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
        if (cfd < 0)
            continue;
        atomic_store(&sh->last_active_s, mono_s());
        if (peer_uid(cfd) == getuid()) {
            serve_one(cfd, fn, daemon);
            served++;
        }
        close(cfd);
    }
    /* libclang deletes a preamble file when its TU is disposed. */
    if (cache_clear)
        cache_clear();
    _exit(0);
}

/* Removes the socket unless another server has replaced it since. */
static void remove_socket(const char *sock, const struct stat *mine) {
    char lock[PATH_MAX];
    size_t n = strlen(sock);
    if (n < 5 || n >= sizeof lock)
        return;
    memcpy(lock, sock, n - 5);
    memcpy(lock + n - 5, ".lock", 6);
    int lk = lock_file(lock);
    struct stat st;
    if (lstat(sock, &st) == 0 && st.st_ino == mine->st_ino &&
        st.st_dev == mine->st_dev)
        unlink(sock);
    if (lk >= 0)
        close(lk);
}

/* How many workers: WEFT_TRANSLATE_WORKERS, else one per online CPU (as
 * many translations as a make -j at full load runs at once), at least 2
 * (1 only when asked for), at most MAX_WORKERS. */
static int worker_count(void) {
    const char *s = getenv("WEFT_TRANSLATE_WORKERS");
    long n = s && *s ? strtol(s, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);
    /* One worker only when asked for (tests that need every request to
     * reach the same worker's TU cache). */
    if (n < 2 && !(s && *s && n == 1))
        n = 2;
    return n > MAX_WORKERS ? MAX_WORKERS : (int)n;
}

int tr_server_main(int argc, char **argv) {
    if (argc != 5)
        return 2;
    const char *sock = argv[2], *lib_path = argv[3];
    long idle_s = strtol(argv[4], NULL, 10);
    if (idle_s <= 0)
        idle_s = DEFAULT_IDLE_S;
    int ready = 3;
    /* The daemon must not keep the directory it was started from busy. */
    if (chdir("/") != 0)
        return 1;
    sigset_t block, orig;
    sigemptyset(&block);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGCHLD);
    sigprocmask(SIG_BLOCK, &block, &orig);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_term;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sa.sa_handler = on_chld;
    sigaction(SIGCHLD, &sa, NULL);
    signal(SIGHUP, SIG_IGN);
    signal(SIGPIPE, SIG_IGN);
    unsetenv("WEFT__IN_WEFTCC");
    setenv("LIBCLANG_NOTHREADS", "1", 1);

    int lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    struct sockaddr_un sa_un;
    memset(&sa_un, 0, sizeof sa_un);
    sa_un.sun_family = AF_UNIX;
    snprintf(sa_un.sun_path, sizeof sa_un.sun_path, "%s", sock);
    struct stat mine;
    if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa_un, sizeof sa_un) != 0 ||
        chmod(sock, 0600) != 0 || listen(lfd, 128) != 0 ||
        lstat(sock, &mine) != 0)
        return 1;
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", sock);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    char pidfile[PATH_MAX];
    snprintf(pidfile, sizeof pidfile, "%.*s.pid", (int)(strlen(sock) - 5),
             sock);
    FILE *pf = fopen(pidfile, "w");
    if (pf) {
        fprintf(pf, "%d\n", (int)getpid());
        fclose(pf);
    }
    /* Listening: clients may connect and wait in the backlog while the
     * translator loads. */
    if (write(ready, "R", 1) != 1)
        return 1;
    close(ready);

    struct shared_state *sh = mmap(NULL, sizeof *sh, PROT_READ | PROT_WRITE,
                                   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    translate_fn fn = sh != MAP_FAILED ? load_translator(lib_path, 1) : NULL;
    /* Warm the daemon too: what it touches before forking is shared by
     * every worker instead of being redone in each. */
    if (fn)
        warm_up(fn, dir);
    tmp_root_create(sock);
    pid_t self = getpid();
    int nworkers = worker_count();
    pid_t workers[MAX_WORKERS] = {0};
    int recent_starts = 0;
    long window = mono_s();
    if (fn)
        atomic_store(&sh->last_active_s, mono_s());
    while (fn && !stop_requested) {
        if (mono_s() - window >= 10) {
            window = mono_s();
            recent_starts = 0;
        }
        for (int i = 0; i < nworkers; i++) {
            if (workers[i] > 0)
                continue;
            /* Workers that die as fast as they start (a broken
             * translator): give up rather than spin. */
            if (recent_starts >= 4 * MAX_WORKERS) {
                stop_requested = 1;
                break;
            }
            pid_t pid = fork();
            if (pid == 0) {
                sigprocmask(SIG_SETMASK, &orig, NULL);
                worker_main(lfd, fn, self, sh, dir);
            }
            if (pid > 0) {
                workers[i] = pid;
                recent_starts++;
            }
        }
        if (mono_s() - atomic_load(&sh->last_active_s) >= idle_s)
            break;
        /* Sleep until a worker exits, a stop signal, or the next idle
         * check; the signals are only unblocked inside ppoll. */
        struct timespec tick = {1, 0};
        if (!child_exited && !stop_requested)
            ppoll(NULL, 0, &tick, &orig);
        child_exited = 0;
        pid_t dead;
        while ((dead = waitpid(-1, NULL, WNOHANG)) > 0) {
            for (int i = 0; i < nworkers; i++)
                if (workers[i] == dead)
                    workers[i] = 0;
            worker_tmp_remove(dead);
        }
    }
    for (int i = 0; i < nworkers; i++)
        if (workers[i] > 0)
            kill(workers[i], SIGTERM);
    /* The workers' preambles go once they are gone (at most a second:
     * SIGTERM ends a worker even mid-request). */
    double end = tr_now_ms() + 1000;
    for (int i = 0; i < nworkers; i++)
        while (workers[i] > 0 && tr_now_ms() < end) {
            if (waitpid(workers[i], NULL, WNOHANG) != 0) {
                workers[i] = 0;
                break;
            }
            struct timespec ts = {0, 2 * 1000 * 1000};
            nanosleep(&ts, NULL);
        }
    if (tmp_root[0])
        remove_tree(tmp_root, 1);
    remove_socket(sock, &mine);
    unlink(pidfile);
    close(lfd);
    /* Skip the module's static destructors, as the workers do. */
    _exit(0);
}
