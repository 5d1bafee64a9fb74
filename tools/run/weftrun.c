/* This file handles weftrun, the cluster launcher: `weftrun -n N [--hosts
 * a,b | --hostfile F] ./app args` starts the app as the coordinator (with
 * WEFT_LISTEN on a free port) and N-1 copies as workers (WEFT_JOIN), locally
 * with posix_spawn or on other hosts through ssh, all sharing a fresh random
 * secret. Workers' stdout and stderr lines come out on weftrun's stderr
 * prefixed with their node name ("[w1] ..."). Ctrl-C, SIGTERM or the end of
 * the coordinator ends every worker: each child runs in its own process
 * group, which gets SIGTERM and then SIGKILL after a grace period, and the
 * children arm PR_SET_PDEATHSIG themselves (libweft does, on seeing
 * WEFT_PARENT_PID). weftrun exits with the coordinator's status (128 + the
 * signal when it was killed). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sodium.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define MAX_NODES 1024
#define LINE_MAX_LEN 4096

/* One child process. */
struct child {
    pid_t pid;
    int out; /* read end of its stdout+stderr pipe, -1 for the coordinator */
    int running;
    int status;
    char name[16];
    char line[LINE_MAX_LEN]; /* partial output line */
    size_t linelen;
};

static struct child kids[MAX_NODES];
static int nkids;
static int sigpipe_fds[2] = {-1, -1};
static volatile sig_atomic_t got_signal;

static void on_signal(int sig) {
    int saved = errno;
    got_signal = sig;
    if (sigpipe_fds[1] >= 0) {
        char c = (char)sig;
        ssize_t r = write(sigpipe_fds[1], &c, 1);
        (void)r;
    }
    errno = saved;
}

static void usage(FILE *f) {
    fprintf(
        f,
        "usage: weftrun -n N [--hosts a,b,... | --hostfile FILE] [--grace "
        "SECONDS]\n"
        "               [--] PROGRAM [ARGS...]\n"
        "Runs PROGRAM as a weft cluster: one coordinator and N-1 workers.\n");
}

static int64_t mono_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A free TCP port on addr (bound, read back, released: the coordinator binds
 * it a moment later). */
static int free_port(in_addr_t addr) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = addr;
    socklen_t sl = sizeof sa;
    int port = -1;
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0 &&
        getsockname(fd, (struct sockaddr *)&sa, &sl) == 0)
        port = ntohs(sa.sin_port);
    close(fd);
    return port;
}

/* environ minus every WEFT_ cluster variable we set, plus `extra`. The
 * strings are not copied. */
static char **make_env(char *const *extra, int nextra) {
    static const char *drop[] = {
        "WEFT_LISTEN=",      "WEFT_JOIN=",       "WEFT_SECRET=",
        "WEFT_SECRET_FILE=", "WEFT_PARENT_PID=", NULL};
    size_t n = 0;
    while (environ[n])
        n++;
    char **env = calloc(n + (size_t)nextra + 1, sizeof *env);
    if (!env)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        int skip = 0;
        for (int d = 0; drop[d]; d++)
            if (strncmp(environ[i], drop[d], strlen(drop[d])) == 0)
                skip = 1;
        if (!skip)
            env[k++] = environ[i];
    }
    for (int i = 0; i < nextra; i++)
        env[k++] = extra[i];
    env[k] = NULL;
    return env;
}

/* Spawns argv in a new process group, stdout/stderr to a pipe when
 * want_pipe (its read end stored in c->out), stdin from `in_fd` when >= 0. */
static int spawn_child(struct child *c, char *const argv[], char **env,
                       int want_pipe, int in_fd) {
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t at;
    int p[2] = {-1, -1};
    if (want_pipe && pipe2(p, O_CLOEXEC) != 0)
        return -errno;
    posix_spawn_file_actions_init(&fa);
    posix_spawnattr_init(&at);
    posix_spawnattr_setpgroup(&at, 0);
    sigset_t def;
    sigemptyset(&def);
    sigaddset(&def, SIGINT);
    sigaddset(&def, SIGTERM);
    sigaddset(&def, SIGHUP);
    sigaddset(&def, SIGPIPE);
    posix_spawnattr_setsigdefault(&at, &def);
    posix_spawnattr_setflags(&at,
                             POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF);
    if (want_pipe) {
        posix_spawn_file_actions_adddup2(&fa, p[1], 1);
        posix_spawn_file_actions_adddup2(&fa, p[1], 2);
    }
    if (in_fd >= 0)
        posix_spawn_file_actions_adddup2(&fa, in_fd, 0);
    int rc = posix_spawnp(&c->pid, argv[0], &fa, &at, argv, env);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    if (want_pipe)
        close(p[1]);
    if (rc != 0) {
        if (want_pipe)
            close(p[0]);
        return -rc;
    }
    c->out = want_pipe ? p[0] : -1;
    c->running = 1;
    return 0;
}

static void emit_line(struct child *c) {
    fprintf(stderr, "[%s] %.*s\n", c->name, (int)c->linelen, c->line);
    c->linelen = 0;
}

/* Reads what child c wrote; prints whole lines with its prefix. */
static void pump(struct child *c) {
    char buf[4096];
    ssize_t r = read(c->out, buf, sizeof buf);
    if (r <= 0) {
        if (r < 0 && (errno == EINTR || errno == EAGAIN))
            return;
        if (c->linelen)
            emit_line(c);
        close(c->out);
        c->out = -1;
        return;
    }
    for (ssize_t i = 0; i < r; i++) {
        if (buf[i] == '\n') {
            emit_line(c);
            continue;
        }
        if (c->linelen == sizeof c->line)
            emit_line(c);
        c->line[c->linelen++] = buf[i];
    }
    fflush(stderr);
}

static void reap(void) {
    int st;
    pid_t pid;
    while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
        for (int i = 0; i < nkids; i++)
            if (kids[i].pid == pid) {
                kids[i].running = 0;
                kids[i].status = st;
            }
}

static int any_running(int from) {
    for (int i = from; i < nkids; i++)
        if (kids[i].running)
            return 1;
    return 0;
}

static void signal_all(int from, int sig) {
    for (int i = from; i < nkids; i++)
        if (kids[i].running)
            kill(-kids[i].pid, sig);
}

/* Pumps output and reaps children for up to ms milliseconds, or until the
 * coordinator (stop_on_coord) or every child from `from` is gone. */
static void serve(int ms, int from, int stop_on_coord) {
    int64_t end = ms < 0 ? INT64_MAX : mono_ms() + ms;
    for (;;) {
        reap();
        if (stop_on_coord && !kids[0].running)
            return;
        if (!stop_on_coord && !any_running(from))
            return;
        if (got_signal && stop_on_coord)
            return;
        int64_t left = end - mono_ms();
        if (left <= 0)
            return;
        struct pollfd pf[MAX_NODES + 1];
        int map[MAX_NODES + 1], np = 0;
        pf[np].fd = sigpipe_fds[0];
        pf[np].events = POLLIN;
        map[np++] = -1;
        for (int i = 0; i < nkids; i++)
            if (kids[i].out >= 0) {
                pf[np].fd = kids[i].out;
                pf[np].events = POLLIN;
                map[np++] = i;
            }
        int r = poll(pf, (nfds_t)np, left < 100 ? (int)left : 100);
        if (r <= 0)
            continue;
        for (int k = 0; k < np; k++) {
            if (!(pf[k].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            if (map[k] < 0) {
                char c[16];
                ssize_t rr = read(sigpipe_fds[0], c, sizeof c);
                (void)rr;
            } else {
                pump(&kids[map[k]]);
            }
        }
    }
}

/* Appends s to the shell command in buf as one single-quoted word. */
static void shell_quote(char *buf, size_t cap, const char *s) {
    size_t n = strlen(buf);
    if (n + 2 >= cap)
        return;
    buf[n++] = '\'';
    for (; *s && n + 5 < cap; s++) {
        if (*s == '\'') {
            memcpy(buf + n, "'\\''", 4);
            n += 4;
        } else {
            buf[n++] = *s;
        }
    }
    buf[n++] = '\'';
    buf[n++] = ' ';
    buf[n] = 0;
}

static int read_hostfile(const char *path, char ***hosts) {
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[512];
    int n = 0;
    *hosts = calloc(MAX_NODES, sizeof **hosts);
    while (*hosts && n < MAX_NODES && fgets(line, sizeof line, f)) {
        char *p = line + strspn(line, " \t");
        p[strcspn(p, " \t\r\n#")] = 0;
        if (*p)
            (*hosts)[n++] = strdup(p);
    }
    fclose(f);
    return n;
}

static void free_hosts(char **hosts, int n) {
    for (int i = 0; hosts && i < n; i++)
        free(hosts[i]);
    free(hosts);
}

int main(int argc, char **argv) {
    static const struct option longopts[] = {
        {"hosts", required_argument, NULL, 'H'},
        {"hostfile", required_argument, NULL, 'F'},
        {"grace", required_argument, NULL, 'g'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    long n = 0;
    double grace_s = 2.0;
    char **hosts = NULL;
    int nhosts = 0, opt;
    while ((opt = getopt_long(argc, argv, "+n:h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'n': {
            char *end;
            n = strtol(optarg, &end, 10);
            if (*end || n < 1 || n > MAX_NODES) {
                fprintf(stderr, "weftrun: -n wants 1 to %d\n", MAX_NODES);
                return 2;
            }
            break;
        }
        case 'H': {
            free_hosts(hosts, nhosts);
            hosts = calloc(MAX_NODES, sizeof *hosts);
            nhosts = 0;
            for (const char *p = optarg; hosts && *p && nhosts < MAX_NODES;) {
                size_t len = strcspn(p, ",");
                if (len)
                    hosts[nhosts++] = strndup(p, len);
                p += len + (p[len] == ',');
            }
            break;
        }
        case 'F':
            free_hosts(hosts, nhosts);
            nhosts = read_hostfile(optarg, &hosts);
            if (nhosts < 0) {
                fprintf(stderr, "weftrun: cannot read host file '%s'\n",
                        optarg);
                return 2;
            }
            break;
        case 'g':
            grace_s = atof(optarg);
            if (grace_s < 0)
                grace_s = 0;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (optind >= argc || n < 1) {
        usage(stderr);
        return 2;
    }
    char **app = argv + optind;
    if (sodium_init() < 0) {
        fprintf(stderr, "weftrun: libsodium failed to start\n");
        return 1;
    }
    unsigned char raw[32];
    char secret[2 * sizeof raw + 1];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(secret, sizeof secret, raw, sizeof raw);
    sodium_memzero(raw, sizeof raw);

    int remote = nhosts > 0;
    int port = free_port(remote ? htonl(INADDR_ANY) : htonl(INADDR_LOOPBACK));
    if (port <= 0) {
        fprintf(stderr, "weftrun: no free TCP port\n");
        return 1;
    }
    char coord_host[256] = "127.0.0.1";
    if (remote)
        gethostname(coord_host, sizeof coord_host - 1);

    if (pipe2(sigpipe_fds, O_CLOEXEC | O_NONBLOCK) != 0)
        return 1;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    char e_listen[300], e_join[300], e_secret[200], e_ppid[64], e_name[64];
    snprintf(e_listen, sizeof e_listen, "WEFT_LISTEN=%s:%d",
             remote ? "0.0.0.0" : "127.0.0.1", port);
    snprintf(e_join, sizeof e_join, "WEFT_JOIN=%s:%d", coord_host, port);
    snprintf(e_secret, sizeof e_secret, "WEFT_SECRET=%s", secret);
    snprintf(e_ppid, sizeof e_ppid, "WEFT_PARENT_PID=%ld", (long)getpid());

    /* The coordinator: the app itself, output untouched. */
    char *cextra[] = {e_listen, e_secret, e_ppid};
    char **cenv = make_env(cextra, 3);
    struct child *co = &kids[nkids++];
    snprintf(co->name, sizeof co->name, "coordinator");
    int rc = spawn_child(co, app, cenv, 0, -1);
    if (rc) {
        fprintf(stderr, "weftrun: cannot start %s: %s\n", app[0],
                strerror(-rc));
        return 127;
    }
    for (long i = 1; i < n; i++) {
        struct child *c = &kids[nkids];
        snprintf(c->name, sizeof c->name, "w%d", (int)i);
        if (!remote) {
            snprintf(e_name, sizeof e_name, "WEFT_NODE_NAME=w%ld", i);
            char *wextra[] = {e_join, e_secret, e_ppid, e_name};
            char **wenv = make_env(wextra, 4);
            rc = spawn_child(c, app, wenv, 1, -1);
            free(wenv);
        } else {
            /* ssh host 'read -r WEFT_SECRET; export WEFT_SECRET; cd DIR &&
             * exec env WEFT_JOIN=... APP ARGS': the secret goes through
             * ssh's stdin, never on a command line. */
            char cmd[8192] = "read -r WEFT_SECRET; export WEFT_SECRET; cd ";
            char cwd[4096];
            if (!getcwd(cwd, sizeof cwd))
                snprintf(cwd, sizeof cwd, ".");
            shell_quote(cmd, sizeof cmd, cwd);
            strncat(cmd, "&& exec env ", sizeof cmd - strlen(cmd) - 1);
            shell_quote(cmd, sizeof cmd, e_join);
            for (char **a = app; *a; a++)
                shell_quote(cmd, sizeof cmd, *a);
            char *host = hosts[(i - 1) % nhosts];
            char *sargv[] = {"ssh", "-o", "BatchMode=yes", "-T", host,
                             cmd,   NULL};
            int in[2];
            if (pipe2(in, O_CLOEXEC) != 0)
                break;
            char **wenv = make_env(NULL, 0);
            rc = spawn_child(c, sargv, wenv, 1, in[0]);
            free(wenv);
            close(in[0]);
            if (rc == 0) {
                ssize_t wr = write(in[1], secret, strlen(secret));
                wr = write(in[1], "\n", 1);
                (void)wr;
            }
            close(in[1]);
        }
        if (rc) {
            fprintf(stderr, "weftrun: cannot start worker %ld: %s\n", i,
                    strerror(-rc));
            break;
        }
        nkids++;
    }
    sodium_memzero(secret, sizeof secret);
    sodium_memzero(e_secret, sizeof e_secret);

    serve(-1, 1, 1);
    if (got_signal && kids[0].running) {
        /* Pass Ctrl-C (or TERM, HUP) on to every child, then insist. */
        signal_all(0, got_signal == SIGHUP ? SIGTERM : got_signal);
        serve((int)(grace_s * 1000), 0, 0);
        signal_all(0, SIGKILL);
        serve(1000, 0, 0);
    }
    /* The coordinator is gone: workers got BYE or see EOF; give them the
     * grace period, then end them. */
    serve((int)(grace_s * 1000), 1, 0);
    if (any_running(1)) {
        signal_all(1, SIGTERM);
        serve(1000, 1, 0);
        signal_all(1, SIGKILL);
        serve(1000, 1, 0);
    }
    for (int i = 1; i < nkids; i++)
        while (kids[i].out >= 0)
            pump(&kids[i]);
    reap();
    free(cenv);
    free_hosts(hosts, nhosts);
    int st = kids[0].status;
    if (kids[0].running)
        return 1;
    if (WIFEXITED(st))
        return WEXITSTATUS(st);
    if (WIFSIGNALED(st))
        return 128 + WTERMSIG(st);
    return 1;
}
