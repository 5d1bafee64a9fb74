/* This file handles weftcc's child processes and temporary files: argument
 * vectors, posix_spawn and wait, printing commands for -v, and a registry
 * of temporaries that is emptied on every exit path, including SIGINT and
 * SIGTERM. weftcc is single-threaded; the registry is only changed with the
 * cleanup signals blocked, so the handler always sees a consistent list. */
#define _GNU_SOURCE
#include "driver.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static void *xrealloc(void *p, size_t n) {
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fputs("weftcc: out of memory\n", stderr);
        exit(1);
    }
    return q;
}

void tr_argv_push(struct tr_argv *av, const char *s) {
    if (av->n + 2 > av->cap) {
        av->cap = av->cap ? 2 * av->cap : 32;
        av->v = xrealloc(av->v, (size_t)av->cap * sizeof *av->v);
    }
    size_t len = strlen(s) + 1;
    av->v[av->n] = xrealloc(NULL, len);
    memcpy(av->v[av->n], s, len);
    av->n++;
    av->v[av->n] = NULL;
}

void tr_argv_push_cat(struct tr_argv *av, const char *a, const char *b) {
    size_t la = strlen(a), lb = strlen(b);
    char *s = xrealloc(NULL, la + lb + 1);
    memcpy(s, a, la);
    memcpy(s + la, b, lb + 1);
    tr_argv_push(av, s);
    free(s);
}

void tr_argv_free(struct tr_argv *av) {
    for (int i = 0; i < av->n; i++)
        free(av->v[i]);
    free(av->v);
    av->v = NULL;
    av->n = av->cap = 0;
}

/* ------------------------------------------------------------------ */
/* Temporary registry                                                  */
/* ------------------------------------------------------------------ */

/* Registered paths, removed in reverse order (files before the directories
 * that hold them). Written only with the cleanup signals blocked. */
static char **tmp_paths;
static volatile int tmp_count;
static int tmp_cap;
static char *tmp_root;
static int tmp_next_subdir;
/* Pid of the running child, for the handler to pass the signal on. */
static volatile pid_t child_pid;

static const int cleanup_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
#define N_CLEANUP_SIGNALS                                                      \
    ((int)(sizeof cleanup_signals / sizeof cleanup_signals[0]))

static void block_signals(sigset_t *old) {
    sigset_t set;
    sigemptyset(&set);
    for (int i = 0; i < N_CLEANUP_SIGNALS; i++)
        sigaddset(&set, cleanup_signals[i]);
    sigprocmask(SIG_BLOCK, &set, old);
}

static void register_path(char *owned) {
    sigset_t old;
    block_signals(&old);
    if (tmp_count + 1 > tmp_cap) {
        tmp_cap = tmp_cap ? 2 * tmp_cap : 16;
        tmp_paths = xrealloc(tmp_paths, (size_t)tmp_cap * sizeof *tmp_paths);
    }
    tmp_paths[tmp_count] = owned;
    tmp_count = tmp_count + 1;
    sigprocmask(SIG_SETMASK, &old, NULL);
}

/* Async-signal-safe part of the cleanup: unlink() and rmdir() only. It
 * keeps errno as it found it: it runs in signal handlers, which may
 * interrupt code that is about to read errno (ThreadSanitizer reports a
 * handler that changes it). */
static void remove_registered(void) {
    int saved = errno;
    for (int i = tmp_count - 1; i >= 0; i--) {
        if (unlink(tmp_paths[i]) != 0)
            rmdir(tmp_paths[i]);
    }
    errno = saved;
}

static void on_signal(int sig) {
    if (child_pid > 0)
        kill(child_pid, sig);
    remove_registered();
    signal(sig, SIG_DFL);
    raise(sig);
}

#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
/* Crash handler: stops the running child and removes the temporaries.
 * The handler was reset before it ran (SA_RESETHAND), so the re-raised
 * signal, delivered on return, ends the process the default way. */
static void on_crash(int sig) {
    if (child_pid > 0)
        kill(child_pid, SIGTERM);
    remove_registered();
    raise(sig);
}
#endif

void tr_proc_init(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (int i = 0; i < N_CLEANUP_SIGNALS; i++)
        sigaddset(&sa.sa_mask, cleanup_signals[i]);
    for (int i = 0; i < N_CLEANUP_SIGNALS; i++) {
        struct sigaction old;
        /* A signal ignored by our parent (nohup, background jobs) stays
         * ignored, as in any well-behaved compiler driver. */
        if (sigaction(cleanup_signals[i], NULL, &old) == 0 &&
            old.sa_handler == SIG_IGN)
            continue;
        sigaction(cleanup_signals[i], &sa, NULL);
    }
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
    /* A crash inside the translator (libclang) still removes the
     * temporaries; SA_RESETHAND lets the re-raised signal take its default
     * action (core dump). Sanitizer builds keep their own reports. */
    static const int crash_signals[] = {SIGSEGV, SIGBUS, SIGABRT, SIGFPE,
                                        SIGILL};
    sa.sa_handler = on_crash;
    sa.sa_flags = SA_RESETHAND;
    for (size_t i = 0; i < sizeof crash_signals / sizeof crash_signals[0]; i++)
        sigaction(crash_signals[i], &sa, NULL);
#endif
}

static char *join_path(const char *dir, const char *name) {
    size_t ld = strlen(dir), ln = strlen(name);
    char *p = xrealloc(NULL, ld + ln + 2);
    memcpy(p, dir, ld);
    p[ld] = '/';
    memcpy(p + ld + 1, name, ln + 1);
    return p;
}

const char *tr_tmp_subdir(void) {
    if (!tmp_root) {
        const char *base = getenv("TMPDIR");
        if (!base || !*base)
            base = "/tmp";
        char *tmpl = join_path(base, "weftcc-XXXXXX");
        if (!mkdtemp(tmpl)) {
            fprintf(stderr,
                    "weftcc: cannot create a temporary directory in "
                    "%s: %s\n",
                    base, strerror(errno));
            free(tmpl);
            return NULL;
        }
        tmp_root = tmpl;
        size_t n = strlen(tmpl) + 1;
        char *copy = xrealloc(NULL, n);
        memcpy(copy, tmpl, n);
        register_path(copy);
    }
    char name[32];
    snprintf(name, sizeof name, "%d", ++tmp_next_subdir);
    char *dir = join_path(tmp_root, name);
    if (mkdir(dir, 0700) != 0) {
        fprintf(stderr, "weftcc: cannot create %s: %s\n", dir, strerror(errno));
        free(dir);
        return NULL;
    }
    register_path(dir);
    return dir;
}

const char *tr_tmp_file(const char *dir, const char *name) {
    char *p = join_path(dir, name);
    register_path(p);
    return p;
}

/* Removes whatever else the real compiler left in dir (for instance
 * -save-temps=obj files next to a temporary object). Not signal-safe: only
 * on the normal exit path. */
static void remove_unregistered(const char *dir, int depth) {
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char *p = join_path(dir, e->d_name);
        if (unlink(p) != 0 && depth < 2) {
            remove_unregistered(p, depth + 1);
            rmdir(p);
        }
        free(p);
    }
    closedir(d);
}

void tr_tmp_cleanup(void) {
    sigset_t old;
    block_signals(&old);
    if (tmp_root)
        remove_unregistered(tmp_root, 0);
    remove_registered();
    for (int i = 0; i < tmp_count; i++)
        free(tmp_paths[i]);
    free(tmp_paths);
    tmp_paths = NULL;
    tmp_count = tmp_cap = 0;
    free(tmp_root);
    tmp_root = NULL;
    sigprocmask(SIG_SETMASK, &old, NULL);
}

/* ------------------------------------------------------------------ */
/* Running commands                                                    */
/* ------------------------------------------------------------------ */

/* Characters that need no quoting in a POSIX shell word. */
static int shell_safe(const char *s) {
    if (!*s)
        return 0;
    for (; *s; s++) {
        char c = *s;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || strchr("-_./=+,:@%^", c)))
            return 0;
    }
    return 1;
}

void tr_print_cmd(const char *tag, char *const *v) {
    fprintf(stderr, "%s", tag);
    for (; *v; v++) {
        if (shell_safe(*v)) {
            fprintf(stderr, " %s", *v);
            continue;
        }
        fputs(" '", stderr);
        for (const char *c = *v; *c; c++) {
            if (*c == '\'')
                fputs("'\\''", stderr);
            else
                fputc(*c, stderr);
        }
        fputc('\'', stderr);
    }
    fputc('\n', stderr);
    fflush(stderr);
}

int tr_run(const struct tr_argv *av, int verbose) {
    if (verbose)
        tr_print_cmd("weftcc: run:", av->v);
    fflush(stdout);
    fflush(stderr);
    pid_t pid;
    sigset_t old;
    /* Blocked across spawn so the handler never misses a child pid; the
     * child gets the mask from before, or it could not be interrupted. */
    block_signals(&old);
    posix_spawnattr_t attr;
    int err = posix_spawnattr_init(&attr);
    if (err == 0) {
        posix_spawnattr_setsigmask(&attr, &old);
        posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
        err = posix_spawnp(&pid, av->v[0], NULL, &attr, av->v, environ);
        posix_spawnattr_destroy(&attr);
    }
    if (err == 0)
        child_pid = pid;
    sigprocmask(SIG_SETMASK, &old, NULL);
    if (err != 0) {
        fprintf(stderr, "weftcc: cannot run '%s': %s\n", av->v[0],
                strerror(err));
        return 127;
    }
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            fprintf(stderr, "weftcc: waitpid: %s\n", strerror(errno));
            child_pid = 0;
            return 1;
        }
    }
    child_pid = 0;
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    int sig = WTERMSIG(status);
    for (int i = 0; i < N_CLEANUP_SIGNALS; i++) {
        if (sig == cleanup_signals[i]) {
            /* The compiler was interrupted: so are we. */
            tr_tmp_cleanup();
            signal(sig, SIG_DFL);
            raise(sig);
        }
    }
    fprintf(stderr, "weftcc: '%s' died of signal %d (%s)\n", av->v[0], sig,
            strsignal(sig));
    return 128 + sig;
}

int tr_run_capture(const struct tr_argv *av, int verbose, char **out) {
    if (out)
        *out = NULL;
    if (verbose)
        tr_print_cmd("weftcc: ask:", av->v);
    fflush(stdout);
    fflush(stderr);
    int fds[2];
    if (pipe(fds) != 0)
        return 127;
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    pid_t pid;
    sigset_t old;
    block_signals(&old);
    int err = posix_spawn_file_actions_init(&fa);
    if (err == 0) {
        /* The child writes to the pipe and nowhere else: its stderr is
         * not the user's business (a failed --showme is expected when the
         * wrapper is MPICH's). */
        posix_spawn_file_actions_addclose(&fa, fds[0]);
        posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
        posix_spawn_file_actions_addclose(&fa, fds[1]);
        posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null",
                                         O_WRONLY, 0);
        err = posix_spawnattr_init(&attr);
        if (err == 0) {
            posix_spawnattr_setsigmask(&attr, &old);
            posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
            err = posix_spawnp(&pid, av->v[0], &fa, &attr, av->v, environ);
            posix_spawnattr_destroy(&attr);
        }
        posix_spawn_file_actions_destroy(&fa);
    }
    if (err == 0)
        child_pid = pid;
    sigprocmask(SIG_SETMASK, &old, NULL);
    close(fds[1]);
    if (err != 0) {
        close(fds[0]);
        return 127;
    }
    size_t cap = 1024, n = 0;
    char *buf = xrealloc(NULL, cap);
    for (;;) {
        if (cap - n < 2) {
            cap *= 2;
            buf = xrealloc(buf, cap);
        }
        ssize_t r = read(fds[0], buf + n, cap - n - 1);
        if (r > 0)
            n += (size_t)r;
        else if (r == 0 || errno != EINTR)
            break;
    }
    buf[n] = '\0';
    close(fds[0]);
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            child_pid = 0;
            free(buf);
            return 1;
        }
    }
    child_pid = 0;
    if (out)
        *out = buf;
    else
        free(buf);
    if (WIFEXITED(status)) {
        /* posix_spawnp reports a missing program as an exit with 127 on
         * some C libraries: the same answer either way. */
        return WEXITSTATUS(status);
    }
    return 128 + WTERMSIG(status);
}
