/* This file handles the atomics layer: short names over C11 <stdatomic.h>
 * and one weft__cpu_relax() per architecture (ck_pr.h, kmp_platform.h).
 * Core files use only these, never inline assembly of their own. */
#ifndef WEFT_ARCH_ATOMIC_H
#define WEFT_ARCH_ATOMIC_H

#include <stdatomic.h>
#include <stdint.h>

typedef _Atomic uint32_t weft__atomic_u32;
typedef _Atomic uint64_t weft__atomic_u64;
typedef _Atomic(void *) weft__atomic_ptr;

#define WEFT__RELAXED memory_order_relaxed
#define WEFT__ACQUIRE memory_order_acquire
#define WEFT__RELEASE memory_order_release
#define WEFT__ACQ_REL memory_order_acq_rel
#define WEFT__SEQ_CST memory_order_seq_cst

#define weft__load(p, mo) atomic_load_explicit((p), (mo))
#define weft__store(p, v, mo) atomic_store_explicit((p), (v), (mo))
#define weft__fetch_add(p, v, mo) atomic_fetch_add_explicit((p), (v), (mo))
#define weft__fetch_sub(p, v, mo) atomic_fetch_sub_explicit((p), (v), (mo))
#define weft__exchange(p, v, mo) atomic_exchange_explicit((p), (v), (mo))
/* Strong CAS; on failure *expected receives the current value. */
#define weft__cas(p, expected, desired, mo_ok, mo_fail)                        \
    atomic_compare_exchange_strong_explicit((p), (expected), (desired),        \
                                            (mo_ok), (mo_fail))
#define weft__cas_weak(p, expected, desired, mo_ok, mo_fail)                   \
    atomic_compare_exchange_weak_explicit((p), (expected), (desired), (mo_ok), \
                                          (mo_fail))

/* Tells the core that this thread is in a spin loop: frees pipeline
 * resources for the sibling hyper-thread and saves power. */
static inline void weft__cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__) || defined(__arm__)
    __asm__ __volatile__("yield" ::: "memory");
#elif defined(__powerpc64__) || defined(__powerpc__)
    __asm__ __volatile__("or 27,27,27" ::: "memory");
#elif defined(__riscv)
    __asm__ __volatile__(".insn i 0x0F, 0, x0, x0, 0x010" ::: "memory");
#else
#error                                                                         \
    "weft: add weft__cpu_relax() for this architecture in runtime/arch/atomic.h"
#endif
}

#endif
