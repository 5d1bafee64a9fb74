/* This file handles libweft's compile-time tunables. Each has a default that
 * a build may override with -DWEFT_X=value, and a static check that rejects
 * values the code cannot work with. Runtime settings come from env.c. */
#ifndef WEFT_CONFIG_H
#define WEFT_CONFIG_H

/* Bytes per cache line used for padding. 128 rather than 64: adjacent-line
 * prefetchers on x86 fetch pairs of lines, and some arm64 parts have 128-byte
 * lines, so 128 keeps hot fields of different threads truly apart. */
#ifndef WEFT_CACHE_LINE
#define WEFT_CACHE_LINE 128
#endif
_Static_assert(WEFT_CACHE_LINE >= 64 &&
                   (WEFT_CACHE_LINE & (WEFT_CACHE_LINE - 1)) == 0,
               "WEFT_CACHE_LINE must be a power of two >= 64");

/* Most threads one team may have (and the default thread-limit-var). */
#ifndef WEFT_MAX_THREADS
#define WEFT_MAX_THREADS 1024
#endif
_Static_assert(WEFT_MAX_THREADS >= 2 && WEFT_MAX_THREADS <= 65536,
               "WEFT_MAX_THREADS out of range");

/* Microseconds a waiting thread spins before it sleeps on a futex, when
 * neither WEFT_SPIN_US nor OMP_WAIT_POLICY say otherwise. Long enough to
 * cover the gap between back-to-back parallel loops, short enough that an
 * idle pool stops burning CPU almost at once. */
#ifndef WEFT_SPIN_US_DEFAULT
#define WEFT_SPIN_US_DEFAULT 300
#endif
_Static_assert(WEFT_SPIN_US_DEFAULT >= 0 && WEFT_SPIN_US_DEFAULT <= 1000000,
               "WEFT_SPIN_US_DEFAULT out of range");

/* Spin time under OMP_WAIT_POLICY=active (microseconds); still finite so a
 * forgotten idle pool eventually sleeps. */
#ifndef WEFT_SPIN_US_ACTIVE
#define WEFT_SPIN_US_ACTIVE 200000
#endif
_Static_assert(WEFT_SPIN_US_ACTIVE >= WEFT_SPIN_US_DEFAULT,
               "active spin too short");

/* Spin time under OMP_WAIT_POLICY=passive (microseconds). */
#ifndef WEFT_SPIN_US_PASSIVE
#define WEFT_SPIN_US_PASSIVE 0
#endif

/* Spin time (microseconds) while teams hold more threads than there are
 * processors: the awaited thread may need this processor. */
#ifndef WEFT_SPIN_US_OVERSUB
#define WEFT_SPIN_US_OVERSUB 20
#endif

/* A waiter that has spun this long without the word changing yields its
 * processor at every clock check from then on: on a busy host the thread it
 * waits for may be queued behind it (libomp yields while spinning, too). On
 * an idle machine the yield returns at once and costs ~0.1 us. */
#ifndef WEFT_SPIN_YIELD_AFTER_US
#define WEFT_SPIN_YIELD_AFTER_US 20
#endif
_Static_assert(WEFT_SPIN_YIELD_AFTER_US >= 0, "WEFT_SPIN_YIELD_AFTER_US >= 0");

/* A spinning thread reads the clock once every this many relax rounds. */
#ifndef WEFT_SPIN_CLOCK_EVERY
#define WEFT_SPIN_CLOCK_EVERY 64
#endif
_Static_assert((WEFT_SPIN_CLOCK_EVERY & (WEFT_SPIN_CLOCK_EVERY - 1)) == 0,
               "WEFT_SPIN_CLOCK_EVERY must be a power of two");

/* Work-share slots per team: how many consecutive `for nowait` loops a fast
 * thread may run ahead of the slowest one before it waits. */
#ifndef WEFT_WS_RING
#define WEFT_WS_RING 8
#endif
_Static_assert(WEFT_WS_RING >= 2 && (WEFT_WS_RING & (WEFT_WS_RING - 1)) == 0,
               "WEFT_WS_RING must be a power of two >= 2");

/* Guided schedule: a thread takes remaining / (K * nthreads) iterations. */
#ifndef WEFT_GUIDED_K
#define WEFT_GUIDED_K 2
#endif
_Static_assert(WEFT_GUIDED_K >= 1 && WEFT_GUIDED_K <= 16,
               "WEFT_GUIDED_K out of range");

/* Reduction partials of loops run by a team of one live on the stack when
 * they fit in this many bytes (no allocation on the serial path). */
#ifndef WEFT_SERIAL_RED_STACK
#define WEFT_SERIAL_RED_STACK 512
#endif
_Static_assert(WEFT_SERIAL_RED_STACK % WEFT_CACHE_LINE == 0,
               "WEFT_SERIAL_RED_STACK must be whole cache lines");

/* Default chunk sizes for dynamic and guided schedules without a chunk. */
#ifndef WEFT_DEFAULT_CHUNK
#define WEFT_DEFAULT_CHUNK 1
#endif
_Static_assert(WEFT_DEFAULT_CHUNK >= 1, "WEFT_DEFAULT_CHUNK must be >= 1");

/* Explicit tasks: a new task runs inline (undeferred) when the creating
 * thread's deque already holds this many tasks. Recursive task trees then
 * keep about this many stealable tasks per thread and run the rest as
 * plain calls, so they neither exhaust memory nor pay queueing costs for
 * every leaf. */
#ifndef WEFT_TASK_CUTOFF
#define WEFT_TASK_CUTOFF 8
#endif
_Static_assert(WEFT_TASK_CUTOFF >= 1, "WEFT_TASK_CUTOFF must be >= 1");

/* Explicit tasks: a task nested this deep below its implicit task runs its
 * children inline (bounds chains of tasks that each spawn one task). */
#ifndef WEFT_TASK_DEPTH_CUTOFF
#define WEFT_TASK_DEPTH_CUTOFF 256
#endif
_Static_assert(WEFT_TASK_DEPTH_CUTOFF >= 2,
               "WEFT_TASK_DEPTH_CUTOFF must be >= 2");

/* Bytes of one pooled task block (descriptor plus argument block); larger
 * argument blocks get a block of their own. Whole cache lines. */
#ifndef WEFT_TASK_BLOCK
#define WEFT_TASK_BLOCK 384
#endif
_Static_assert(WEFT_TASK_BLOCK % WEFT_CACHE_LINE == 0 && WEFT_TASK_BLOCK >= 256,
               "WEFT_TASK_BLOCK must be whole cache lines, >= 256");

/* Task blocks a thread keeps on its free list before returning them. */
#ifndef WEFT_TASK_FREE_MAX
#define WEFT_TASK_FREE_MAX 256
#endif
_Static_assert(WEFT_TASK_FREE_MAX >= 1, "WEFT_TASK_FREE_MAX must be >= 1");

/* taskloop without grainsize or num_tasks: tasks per team thread. */
#ifndef WEFT_TASKLOOP_PER_THREAD
#define WEFT_TASKLOOP_PER_THREAD 4
#endif
_Static_assert(WEFT_TASKLOOP_PER_THREAD >= 1,
               "WEFT_TASKLOOP_PER_THREAD must be >= 1");

#endif
