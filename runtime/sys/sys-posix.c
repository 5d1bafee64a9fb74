/* This file handles the portable POSIX implementation of sys/sys.h for
 * systems without futexes: a fixed table of mutex/condition-variable buckets
 * hashed by address emulates wait/wake. A waiter re-checks the word under
 * the bucket mutex, and a waker takes the same mutex before broadcasting, so
 * no wake-up is lost between the check and the sleep. */
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sys/sys.h"

#define NBUCKETS 64

static struct bucket {
    pthread_mutex_t lock;
    pthread_cond_t cond;
} buckets[NBUCKETS];
static pthread_once_t buckets_once = PTHREAD_ONCE_INIT;

static void buckets_init(void) {
    for (int i = 0; i < NBUCKETS; i++) {
        pthread_mutex_init(&buckets[i].lock, NULL);
        pthread_cond_init(&buckets[i].cond, NULL);
    }
}

static struct bucket *bucket_of(const void *addr) {
    uintptr_t a = (uintptr_t)addr;
    pthread_once(&buckets_once, buckets_init);
    return &buckets[(a >> 4) % NBUCKETS];
}

int weft__futex_wait(weft__atomic_u32 *addr, uint32_t expected,
                     int64_t timeout_ns) {
    struct bucket *b = bucket_of(addr);
    int r = 0;
    pthread_mutex_lock(&b->lock);
    if (weft__load(addr, WEFT__SEQ_CST) == expected) {
        if (timeout_ns < 0) {
            pthread_cond_wait(&b->cond, &b->lock);
        } else {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            uint64_t ns = (uint64_t)ts.tv_nsec + (uint64_t)timeout_ns;
            ts.tv_sec += (time_t)(ns / 1000000000u);
            ts.tv_nsec = (long)(ns % 1000000000u);
            if (pthread_cond_timedwait(&b->cond, &b->lock, &ts) == ETIMEDOUT)
                r = -ETIMEDOUT;
        }
    }
    pthread_mutex_unlock(&b->lock);
    return r;
}

void weft__futex_wake(weft__atomic_u32 *addr, int n) {
    struct bucket *b = bucket_of(addr);
    (void)n; /* other words share the bucket: wake every waiter */
    pthread_mutex_lock(&b->lock);
    pthread_cond_broadcast(&b->cond);
    pthread_mutex_unlock(&b->lock);
}

int weft__sys_ncpus(void) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

int weft__sys_single_threaded(void) { return -1; }

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
    (void)name; /* no portable call; naming is only a debugging aid */
}

int weft__sys_thread_create(pthread_t *out, size_t stack_size,
                            void *(*fn)(void *), void *arg) {
    pthread_attr_t attr;
    sigset_t all, old;
    int r = pthread_attr_init(&attr);
    if (r)
        return -r;
    if (stack_size) {
#ifdef PTHREAD_STACK_MIN
        if (stack_size < (size_t)PTHREAD_STACK_MIN)
            stack_size = (size_t)PTHREAD_STACK_MIN;
#endif
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
