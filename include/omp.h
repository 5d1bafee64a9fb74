/* This file is weft's omp.h, for programs built with weftcc that include
 * <omp.h>: the OpenMP runtime routines as static inline wrappers over
 * weft.h's functions, so libweft itself exports no omp_* symbol and a
 * process may hold libweft and libgomp/libomp together. */
#ifndef WEFT_OMP_H
#define WEFT_OMP_H

#include "weft.h"

#ifdef __cplusplus
extern "C" {
#endif

/** \brief OpenMP simple and nestable locks: weft's locks themselves. */
typedef weft_lock_t omp_lock_t;
typedef weft_nest_lock_t omp_nest_lock_t;

/** \brief Loop schedule kinds (values fixed by the OpenMP specification). */
typedef enum omp_sched_t {
    omp_sched_static = 1,
    omp_sched_dynamic = 2,
    omp_sched_guided = 3,
    omp_sched_auto = 4,
    omp_sched_monotonic = (int)0x80000000u
} omp_sched_t;

static inline int omp_get_thread_num(void) { return weft_thread_num(); }
static inline int omp_get_num_threads(void) { return weft_num_threads(); }
static inline int omp_get_max_threads(void) { return weft_max_threads(); }
static inline void omp_set_num_threads(int n) { weft_set_num_threads(n); }
static inline int omp_get_num_procs(void) { return weft_num_procs(); }
static inline int omp_in_parallel(void) { return weft_in_parallel(); }
static inline double omp_get_wtime(void) { return weft_wtime(); }
static inline double omp_get_wtick(void) { return weft_wtick(); }
static inline void omp_set_schedule(omp_sched_t kind, int chunk) {
    weft_set_schedule((weft_sched_t)kind, chunk);
}
static inline void omp_get_schedule(omp_sched_t *kind, int *chunk) {
    weft_sched_t k;
    weft_get_schedule(&k, chunk);
    *kind = (omp_sched_t)k;
}
static inline void omp_set_dynamic(int on) { weft_set_dynamic(on); }
static inline int omp_get_dynamic(void) { return weft_get_dynamic(); }
static inline int omp_get_level(void) { return weft_level(); }
static inline int omp_get_active_level(void) { return weft_active_level(); }
static inline int omp_get_ancestor_thread_num(int level) {
    return weft_ancestor_thread_num(level);
}
static inline int omp_get_team_size(int level) { return weft_team_size(level); }
static inline int omp_get_thread_limit(void) { return weft_thread_limit(); }
/** \brief Deprecated in OpenMP 5: nesting on means unlimited active levels. */
static inline void omp_set_nested(int on) {
    weft_set_max_active_levels(on ? 0x7fffffff : 1);
}
static inline int omp_get_nested(void) {
    return weft_get_max_active_levels() > 1;
}
static inline void omp_set_max_active_levels(int levels) {
    weft_set_max_active_levels(levels);
}
static inline int omp_get_max_active_levels(void) {
    return weft_get_max_active_levels();
}
static inline int omp_in_final(void) { return weft_in_final(); }
/** \brief Always 0: weft does not implement cancellation, so `cancel` and
 * `cancellation point` have no effect (what OpenMP prescribes while the
 * cancel-var ICV is false); OMP_CANCELLATION=true only draws a warning. */
static inline int omp_get_cancellation(void) { return 0; }

static inline void omp_init_lock(omp_lock_t *l) { weft_lock_init(l); }
static inline void omp_destroy_lock(omp_lock_t *l) { weft_lock_destroy(l); }
static inline void omp_set_lock(omp_lock_t *l) { weft_lock_set(l); }
static inline void omp_unset_lock(omp_lock_t *l) { weft_lock_unset(l); }
static inline int omp_test_lock(omp_lock_t *l) { return weft_lock_test(l); }
static inline void omp_init_nest_lock(omp_nest_lock_t *l) {
    weft_nest_lock_init(l);
}
static inline void omp_destroy_nest_lock(omp_nest_lock_t *l) {
    weft_nest_lock_destroy(l);
}
static inline void omp_set_nest_lock(omp_nest_lock_t *l) {
    weft_nest_lock_set(l);
}
static inline void omp_unset_nest_lock(omp_nest_lock_t *l) {
    weft_nest_lock_unset(l);
}
static inline int omp_test_nest_lock(omp_nest_lock_t *l) {
    return weft_nest_lock_test(l);
}

#ifdef __cplusplus
}
#endif
#endif /* WEFT_OMP_H */
