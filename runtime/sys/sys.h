/* This file handles the operating-system interface of libweft: futex-style
 * wait/wake on a 32-bit word, thread creation and naming, processor count
 * and the monotonic clock. CMake compiles sys-linux.c on Linux and
 * sys-posix.c elsewhere; core files call only these functions. */
#ifndef WEFT_SYS_H
#define WEFT_SYS_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "arch/atomic.h"

#ifndef WEFT_INTERNAL
#define WEFT_INTERNAL __attribute__((visibility("hidden")))
#endif

/* Sleeps while *addr == expected, at most timeout_ns nanoseconds (< 0: no
 * limit). Returns 0 when woken or when *addr already differed, -ETIMEDOUT on
 * timeout, -EINTR on a signal. Spurious returns are possible: callers
 * re-check their condition through an atomic load, which is also what
 * gives them their happens-before edge (the kernel's is invisible to TSan). */
WEFT_INTERNAL int weft__futex_wait(weft__atomic_u32 *addr, uint32_t expected,
                                   int64_t timeout_ns);

/* Wakes at most n threads sleeping on addr (INT32_MAX: all). */
WEFT_INTERNAL void weft__futex_wake(weft__atomic_u32 *addr, int n);

/* Number of processors this process may run on (its affinity mask), >= 1. */
WEFT_INTERNAL int weft__sys_ncpus(void);

/* Whether the calling process has exactly one thread (1), more (0), or
 * the system cannot tell (-1). */
WEFT_INTERNAL int weft__sys_single_threaded(void);

/* Monotonic clock in nanoseconds from an arbitrary origin. */
WEFT_INTERNAL uint64_t weft__sys_monotonic_ns(void);

/* Resolution of weft__sys_monotonic_ns() in nanoseconds. */
WEFT_INTERNAL uint64_t weft__sys_clock_res_ns(void);

/* Names the calling thread (truncated to the OS limit) for debuggers. */
WEFT_INTERNAL void weft__sys_thread_name(const char *name);

/* Starts a thread running fn(arg) with all signals blocked (so signals go to
 * the user's threads) and the given stack size (0: the system default).
 * Returns 0 or -errno. */
WEFT_INTERNAL int weft__sys_thread_create(pthread_t *out, size_t stack_size,
                                          void *(*fn)(void *), void *arg);

/* Gives the processor to another runnable thread. */
WEFT_INTERNAL void weft__sys_yield(void);

#endif
