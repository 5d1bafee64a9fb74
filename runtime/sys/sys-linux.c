/* This file handles the Linux implementation of sys/sys.h: the futex system
 * call, sched_getaffinity, clock_gettime and prctl-style thread naming. */
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "sys/sys.h"

int weft__futex_wait(weft__atomic_u32 *addr, uint32_t expected,
                     int64_t timeout_ns) {
    struct timespec ts, *tsp = NULL;
    if (timeout_ns >= 0) {
        ts.tv_sec = (time_t)(timeout_ns / 1000000000);
        ts.tv_nsec = (long)(timeout_ns % 1000000000);
        tsp = &ts;
    }
    /* FUTEX_PRIVATE_FLAG: the words never live in shared memory. The kernel
     * compares *addr with expected atomically with going to sleep. */
    long r = syscall(SYS_futex, (uint32_t *)addr,
                     FUTEX_WAIT | FUTEX_PRIVATE_FLAG, expected, tsp, NULL, 0);
    if (r == 0)
        return 0;
    if (errno == EAGAIN)
        return 0;
    return -errno;
}

void weft__futex_wake(weft__atomic_u32 *addr, int n) {
    syscall(SYS_futex, (uint32_t *)addr, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, n,
            NULL, NULL, 0);
}

int weft__sys_ncpus(void) {
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) {
        int n = CPU_COUNT(&set);
        if (n > 0)
            return n;
    }
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

int weft__sys_single_threaded(void) {
    /* /proc/self/stat: "pid (comm) state ..." where comm may hold spaces
     * and parentheses; num_threads is the 18th field after the last ')'. */
    FILE *f = fopen("/proc/self/stat", "r");
    if (!f)
        return -1;
    char buf[1024];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    const char *p = strrchr(buf, ')');
    if (!p)
        return -1;
    long threads = -1;
    for (int field = 2; field <= 20 && p; field++) {
        p = strchr(p + 1, ' ');
        if (p && field == 19)
            threads = strtol(p + 1, NULL, 10);
    }
    return threads < 1 ? -1 : threads == 1;
}

uint64_t weft__sys_monotonic_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t weft__sys_clock_res_ns(void) {
    struct timespec ts;
    if (clock_getres(CLOCK_MONOTONIC, &ts) != 0)
        return 1000;
    uint64_t r = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
    return r ? r : 1;
}

void weft__sys_thread_name(const char *name) {
    char buf[16];
    strncpy(buf, name, sizeof buf - 1);
    buf[sizeof buf - 1] = '\0';
    pthread_setname_np(pthread_self(), buf);
}

int weft__sys_thread_create(pthread_t *out, size_t stack_size,
                            void *(*fn)(void *), void *arg) {
    pthread_attr_t attr;
    sigset_t all, old;
    int r = pthread_attr_init(&attr);
    if (r)
        return -r;
    if (stack_size) {
        if (stack_size < (size_t)PTHREAD_STACK_MIN)
            stack_size = (size_t)PTHREAD_STACK_MIN;
        r = pthread_attr_setstacksize(&attr, stack_size);
        if (r)
            goto out;
    }
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    r = pthread_create(out, &attr, fn, arg);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
out:
    pthread_attr_destroy(&attr);
    return -r;
}

void weft__sys_yield(void) { sched_yield(); }
