/* This file is weft's public user API: thread and team queries, time, loop
 * schedules, locks, and (in later sections) NUMA-aware memory and cluster
 * status. Generated code uses include/weft/abi.h instead. */
#ifndef WEFT_H
#define WEFT_H

#include <stddef.h>
#include <stdint.h>

#include "weft/errno.h"
#include "weft/version.h"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(WEFT_BUILDING_LIBRARY)
#define WEFT_API __attribute__((visibility("default")))
#else
#define WEFT_API
#endif

/** \defgroup weft_errors Error reporting
 * Public calls that can fail return 0 or a negative WEFT_E* code equal to
 * -errno. Calls that return pointers give NULL and store the code through an
 * optional `int *err`.
 * @{ */
enum weft_errno {
#define WEFT_XX_(name, val, msg) WEFT_##name = -(val),
    WEFT_ERRNO_MAP(WEFT_XX_)
#undef WEFT_XX_
};

/** \brief Human-readable text for a WEFT_E* code (or any -errno).
 * Ownership: returned string belongs to the library; do not free. */
WEFT_API const char *weft_strerror(int err);
/** @} */

/** \defgroup weft_threads Threads and teams
 * The OpenMP runtime routines of weft's omp.h map one to one onto these.
 * @{ */
/** \brief Number of the calling thread in its team, 0 for the primary. */
WEFT_API int weft_thread_num(void);
/** \brief Number of threads in the current team (1 outside a region). */
WEFT_API int weft_num_threads(void);
/** \brief Team size the next parallel region would get without a clause. */
WEFT_API int weft_max_threads(void);
/** \brief Sets the team size of later parallel regions (n >= 1). */
WEFT_API void weft_set_num_threads(int n);
/** \brief Number of processors available to the process. */
WEFT_API int weft_num_procs(void);
/** \brief Non-zero inside an active parallel region (team of more than 1). */
WEFT_API int weft_in_parallel(void);
/** \brief Nesting level of parallel regions, active or not (0 outside). */
WEFT_API int weft_level(void);
/** \brief Nesting level of active parallel regions. */
WEFT_API int weft_active_level(void);
/** \brief Non-zero inside a final task (`final(e)` true, or a descendant
 * of one), whose children all run included. */
WEFT_API int weft_in_final(void);
/** \brief Thread number of the ancestor at `level`, -1 if out of range. */
WEFT_API int weft_ancestor_thread_num(int level);
/** \brief Team size at `level`, -1 if out of range. */
WEFT_API int weft_team_size(int level);
/** \brief Upper bound on the threads the runtime will use (thread-limit). */
WEFT_API int weft_thread_limit(void);
/** \brief Enables or disables dynamic adjustment of team sizes. */
WEFT_API void weft_set_dynamic(int on);
WEFT_API int weft_get_dynamic(void);
/** \brief Maximum number of nested active parallel levels. */
WEFT_API void weft_set_max_active_levels(int levels);
WEFT_API int weft_get_max_active_levels(void);
/** @} */

/** \defgroup weft_time Time
 * @{ */
/** \brief Wall-clock seconds from an arbitrary fixed origin (monotonic). */
WEFT_API double weft_wtime(void);
/** \brief Resolution of weft_wtime() in seconds. */
WEFT_API double weft_wtick(void);
/** @} */

/** \defgroup weft_sched Loop schedules
 * Values equal OpenMP's omp_sched_t so omp.h can map them directly.
 * @{ */
typedef enum weft_sched {
    WEFT_SCHED_STATIC = 1,
    WEFT_SCHED_DYNAMIC = 2,
    WEFT_SCHED_GUIDED = 3,
    WEFT_SCHED_AUTO = 4,
    WEFT_SCHED_MONOTONIC = (int)0x80000000u
} weft_sched_t;
/** \brief Schedule used by schedule(runtime) loops; chunk < 1 = default. */
WEFT_API void weft_set_schedule(weft_sched_t kind, int chunk);
WEFT_API void weft_get_schedule(weft_sched_t *kind, int *chunk);
/** @} */

/** \defgroup weft_locks Locks
 * Caller-allocated; weft_lock_init() must precede use, weft_lock_destroy()
 * ends it. A simple lock must not be re-acquired by its owner; a nestable
 * lock counts re-acquisitions by its owner.
 * @{ */
typedef struct weft_lock {
    uint32_t state; /* 0 free, 1 held, 2 held with waiters */
} weft_lock_t;
typedef struct weft_nest_lock {
    weft_lock_t lock;
    int owner;     /* implementation token of the owning thread, 0 if none */
    int count;     /* re-acquisitions by the owner */
    void *owner_p; /* owning thread's identity */
} weft_nest_lock_t;
WEFT_API void weft_lock_init(weft_lock_t *l);
WEFT_API void weft_lock_destroy(weft_lock_t *l);
WEFT_API void weft_lock_set(weft_lock_t *l);
WEFT_API void weft_lock_unset(weft_lock_t *l);
/** \brief Takes the lock if it is free; returns non-zero on success. */
WEFT_API int weft_lock_test(weft_lock_t *l);
WEFT_API void weft_nest_lock_init(weft_nest_lock_t *l);
WEFT_API void weft_nest_lock_destroy(weft_nest_lock_t *l);
WEFT_API void weft_nest_lock_set(weft_nest_lock_t *l);
WEFT_API void weft_nest_lock_unset(weft_nest_lock_t *l);
/** \brief Returns the new nesting count on success, 0 if held by another. */
WEFT_API int weft_nest_lock_test(weft_nest_lock_t *l);
/** @} */

/** \defgroup weft_numa NUMA-aware memory
 * Memory whose pages are placed on NUMA domains by policy. Domains are
 * numbered 0 .. weft_num_domains() - 1 in hwloc's logical order.
 * @{ */
/** \brief Page placement policies of weft_alloc(). */
typedef enum weft_mem_policy {
    /** Pages first touched (zeroed) in parallel by the threads that will use
     * them in a `schedule(static)` loop over the array with the default
     * team: thread t touches its static block of pages. The pages follow
     * the threads' domains only when threads are bound (OMP_PROC_BIND or
     * OMP_PLACES set); unbound threads may move. */
    WEFT_MEM_FIRST_TOUCH_STATIC = 0,
    /** Pages round-robin over every domain (bandwidth-bound shared data). */
    WEFT_MEM_INTERLEAVE = 1,
    /** Pages on one domain: use weft_alloc_onnode(); weft_alloc() rejects it
     * with WEFT_EINVAL. */
    WEFT_MEM_BIND = 2,
    /** Pages on the domain of the CPU the caller runs on. */
    WEFT_MEM_LOCAL = 3
} weft_mem_policy_t;

/** \brief Allocates `size` bytes, page-aligned and zeroed, placed by
 * `policy`. Where the system cannot apply a policy (one domain, a container
 * refusing mbind), the memory is still returned, unplaced. Returns NULL and
 * stores WEFT_EINVAL (size 0, WEFT_MEM_BIND) or WEFT_ENOMEM in *err (when
 * err is non-NULL; 0 on success). FIRST_TOUCH_STATIC runs a parallel region:
 * call it outside parallel regions.
 * Ownership: release with weft_free() only. */
WEFT_API void *weft_alloc(size_t size, weft_mem_policy_t policy, int *err);

/** \brief Like weft_alloc() with WEFT_MEM_BIND: pages on domain `node`
 * (WEFT_EINVAL if node is not a domain of this machine).
 * Ownership: release with weft_free() only. */
WEFT_API void *weft_alloc_onnode(size_t size, int node, int *err);

/** \brief Releases memory from weft_alloc()/weft_alloc_onnode(); NULL is
 * ignored. Passing any other pointer aborts with a message. */
WEFT_API void weft_free(void *p);

/** \brief Domain holding the page of `addr`, or a negative WEFT_E* code:
 * WEFT_ENOENT when the page is not backed yet, WEFT_ENOTSUP when the
 * topology is not the running system (HWLOC_SYNTHETIC/HWLOC_XMLFILE). */
WEFT_API int weft_mem_domain(const void *addr);

/** \brief Number of NUMA domains of the machine (1 at least). */
WEFT_API int weft_num_domains(void);
/** @} */

/** \defgroup weft_places Places and binding
 * The place list comes from OMP_PLACES (default: one place per core);
 * OMP_PROC_BIND chooses how team threads are bound to places.
 * @{ */
/** \brief Number of places in the place list. */
WEFT_API int weft_num_places(void);
/** \brief Number of processors of place `place` (0 if out of range). */
WEFT_API int weft_place_num_procs(int place);
/** \brief Writes the OS processor numbers of `place` into ids[0 ..
 * weft_place_num_procs(place)). Ownership: caller provides ids. */
WEFT_API void weft_place_proc_ids(int place, int *ids);
/** \brief Place the calling thread is bound to, -1 when it is not bound. */
WEFT_API int weft_place_num(void);
/** \brief The calling thread's place partition (OpenMP 4.5): returns its
 * number of places and, when place_nums is non-NULL, writes their indices
 * into place_nums[0 .. count). An unbound thread's partition is the whole
 * place list. Ownership: caller provides place_nums. */
WEFT_API int weft_place_partition(int *place_nums);
/** \brief The binding policy (enum weft_proc_bind, never WEFT_BIND_UNSET)
 * that a parallel region without a proc_bind clause started by the caller
 * would use: OMP_PROC_BIND's entry for the next nesting level. */
WEFT_API int weft_proc_bind(void);
/** \brief Prints the settings weft read from the environment (the
 * OMP_DISPLAY_ENV block) on stderr; verbose adds weft's own variables. */
WEFT_API void weft_display_env(int verbose);
/** \brief The affinity-format ICV (OMP_AFFINITY_FORMAT, else "level %L
 * thread %i affinity %A"): copies it into buf (truncated, terminated when
 * size > 0) and returns its full length. */
WEFT_API size_t weft_affinity_format_get(char *buf, size_t size);
/** \brief Sets the affinity-format ICV (copied; NULL is ignored). */
WEFT_API void weft_affinity_format_set(const char *format);
/** \brief Expands an OpenMP affinity format (NULL or "": the ICV) for the
 * calling thread into buf (truncated, terminated when size > 0); returns
 * the full length. Fields: %t %T %L %n %N %a %H %P %i %A and their
 * %{long_name} forms, with the 0 . and width modifiers. */
WEFT_API size_t weft_affinity_capture(char *buf, size_t size,
                                      const char *format);
/** \brief Prints weft_affinity_capture()'s line on stderr. */
WEFT_API void weft_affinity_display(const char *format);
/** \brief The teams ICVs of OpenMP 5.1 (nteams-var, teams-thread-limit-var;
 * initially 0, or OMP_NUM_TEAMS / OMP_TEAMS_THREAD_LIMIT when read by a
 * later version): set by omp_set_num_teams() and
 * omp_set_teams_thread_limit(), read back by their getters. weft has no
 * teams construct, so nothing else reads them. Values below 1 are
 * ignored, as OpenMP says. */
WEFT_API void weft_set_num_teams(int n);
WEFT_API int weft_max_teams(void);
WEFT_API void weft_set_teams_thread_limit(int n);
WEFT_API int weft_teams_thread_limit(void);
/** @} */

/** \defgroup weft_allocators OpenMP memory allocators
 * What omp_alloc() and friends of <omp.h> run on. An allocator handle is 0
 * (none: use the thread's default allocator), 1 .. 8 for OpenMP's
 * predefined allocators (all of them use ordinary memory: weft offers no
 * high-bandwidth or low-latency memory, which OpenMP allows), or what
 * weft_allocator_create() returned. Every block carries a header before
 * it, so it must be released with weft_allocator_free() (or omp_free()).
 * @{ */
/** \brief Fallback when a custom allocator cannot satisfy a request
 * (values of OpenMP's omp_atv_*_fb). */
enum weft_alloc_fallback {
    WEFT_ALLOC_FB_DEFAULT = 11,  /* use the default memory allocator */
    WEFT_ALLOC_FB_NULL = 12,     /* return NULL */
    WEFT_ALLOC_FB_ABORT = 13,    /* print a message and abort */
    WEFT_ALLOC_FB_ALLOCATOR = 14 /* use the fb_allocator handle */
};
/** \brief Creates an allocator: blocks aligned to `alignment` (a power of
 * two, 0 for the default), at most `pool_size` bytes live at a time (0:
 * unlimited), `fallback` when that limit or the system refuses.
 * Returns 0 when an argument is invalid or memory is short.
 * Ownership: release with weft_allocator_destroy(). */
WEFT_API uintptr_t weft_allocator_create(size_t alignment, size_t pool_size,
                                         int fallback, uintptr_t fb_allocator);
/** \brief Releases an allocator from weft_allocator_create(); its live
 * blocks must have been freed. Predefined handles and 0 are ignored. */
WEFT_API void weft_allocator_destroy(uintptr_t allocator);
/** \brief Sets / gets the calling thread's default allocator (the
 * def-allocator-var ICV; initially 1, OpenMP's omp_default_mem_alloc). */
WEFT_API void weft_allocator_set_default(uintptr_t allocator);
WEFT_API uintptr_t weft_allocator_get_default(void);
/** \brief Allocates `size` bytes aligned to at least `alignment` (a power
 * of two, or 0) and the allocator's alignment; zeroed when `zero`. Returns
 * NULL for size 0, an invalid alignment, or after a NULL fallback. */
WEFT_API void *weft_allocator_alloc(size_t alignment, size_t size,
                                    uintptr_t allocator, int zero);
/** \brief omp_realloc(): a block of `size` bytes from `allocator` holding
 * the first bytes of `p` (freed through free_allocator); p NULL allocates,
 * size 0 frees and returns NULL. */
WEFT_API void *weft_allocator_realloc(void *p, size_t size, uintptr_t allocator,
                                      uintptr_t free_allocator);
/** \brief Releases a block of weft_allocator_alloc()/_realloc(); NULL is
 * ignored. The allocator argument is not needed (the header knows). */
WEFT_API void weft_allocator_free(void *p);
/** @} */

#ifdef __cplusplus
}
#endif
#endif /* WEFT_H */
