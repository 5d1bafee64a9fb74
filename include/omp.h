/* This file is weft's omp.h, for programs built with weftcc that include
 * <omp.h>: the OpenMP runtime routines as static inline wrappers over
 * weft.h's functions, so libweft itself exports no omp_* symbol and a
 * process may hold libweft and libgomp/libomp together. */
#ifndef WEFT_OMP_H
#define WEFT_OMP_H

#include <stdlib.h>
#include <string.h>

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

/* ---- H30: the rest of the OpenMP 5.0 host API that gcc 12's omp.h has ---- */

/** \brief Lock hints (OpenMP 4.5 omp_lock_hint_t, 5.0 omp_sync_hint_t):
 * weft's locks take none, so the _with_hint initialisers ignore them. */
typedef enum omp_sync_hint_t {
    omp_sync_hint_none = 0,
    omp_lock_hint_none = omp_sync_hint_none,
    omp_sync_hint_uncontended = 1,
    omp_lock_hint_uncontended = omp_sync_hint_uncontended,
    omp_sync_hint_contended = 2,
    omp_lock_hint_contended = omp_sync_hint_contended,
    omp_sync_hint_nonspeculative = 4,
    omp_lock_hint_nonspeculative = omp_sync_hint_nonspeculative,
    omp_sync_hint_speculative = 8,
    omp_lock_hint_speculative = omp_sync_hint_speculative
} omp_sync_hint_t;
typedef omp_sync_hint_t omp_lock_hint_t;
static inline void omp_init_lock_with_hint(omp_lock_t *l, omp_sync_hint_t h) {
    (void)h;
    weft_lock_init(l);
}
static inline void omp_init_nest_lock_with_hint(omp_nest_lock_t *l,
                                                omp_sync_hint_t h) {
    (void)h;
    weft_nest_lock_init(l);
}

/** \brief Thread affinity policies (values fixed by the specification). */
typedef enum omp_proc_bind_t {
    omp_proc_bind_false = 0,
    omp_proc_bind_true = 1,
    omp_proc_bind_primary = 2,
    omp_proc_bind_master = omp_proc_bind_primary,
    omp_proc_bind_close = 3,
    omp_proc_bind_spread = 4
} omp_proc_bind_t;
static inline omp_proc_bind_t omp_get_proc_bind(void) {
    switch (weft_proc_bind()) {
    case 2: /* WEFT_BIND_TRUE */
        return omp_proc_bind_true;
    case 3: /* WEFT_BIND_PRIMARY */
        return omp_proc_bind_primary;
    case 4: /* WEFT_BIND_CLOSE */
        return omp_proc_bind_close;
    case 5: /* WEFT_BIND_SPREAD */
        return omp_proc_bind_spread;
    default:
        return omp_proc_bind_false;
    }
}
static inline int omp_get_num_places(void) { return weft_num_places(); }
static inline int omp_get_place_num_procs(int place) {
    return weft_place_num_procs(place);
}
static inline void omp_get_place_proc_ids(int place, int *ids) {
    weft_place_proc_ids(place, ids);
}
static inline int omp_get_place_num(void) { return weft_place_num(); }
static inline int omp_get_partition_num_places(void) {
    return weft_place_partition((int *)0);
}
static inline void omp_get_partition_place_nums(int *place_nums) {
    weft_place_partition(place_nums);
}
static inline void omp_display_env(int verbose) { weft_display_env(verbose); }
static inline size_t omp_get_affinity_format(char *buffer, size_t size) {
    return weft_affinity_format_get(buffer, size);
}
static inline void omp_set_affinity_format(const char *format) {
    weft_affinity_format_set(format);
}
static inline size_t omp_capture_affinity(char *buffer, size_t size,
                                          const char *format) {
    return weft_affinity_capture(buffer, size, format);
}
static inline void omp_display_affinity(const char *format) {
    weft_affinity_display(format);
}

/** \brief Devices: weft runs on the host only, so these return what an
 * OpenMP implementation without offload devices returns (as gcc's libgomp
 * does then): no devices, the host is the initial device and its number
 * is omp_get_num_devices(). */
static inline int omp_get_num_devices(void) { return 0; }
static inline int omp_get_initial_device(void) { return 0; }
static inline int omp_get_device_num(void) { return 0; }
static inline int omp_is_initial_device(void) { return 1; }
static inline int omp_get_default_device(void) { return 0; }
/** \brief Only the host exists: any other device number selects it. */
static inline void omp_set_default_device(int device) { (void)device; }
/** \brief Outside a teams construct (weft has none) there is one team. */
static inline int omp_get_num_teams(void) { return 1; }
static inline int omp_get_team_num(void) { return 0; }
static inline void omp_set_num_teams(int n) { weft_set_num_teams(n); }
static inline int omp_get_max_teams(void) { return weft_max_teams(); }
static inline void omp_set_teams_thread_limit(int n) {
    weft_set_teams_thread_limit(n);
}
static inline int omp_get_teams_thread_limit(void) {
    return weft_teams_thread_limit();
}

/** \brief Device memory routines with only the host (device number
 * omp_get_initial_device()): host memory and memcpy; any other device
 * number fails (NULL, or a non-zero result). Pointer association needs a
 * device to associate with, so it always fails. */
static inline void *omp_target_alloc(size_t size, int device) {
    return device == omp_get_initial_device() && size ? malloc(size)
                                                      : (void *)0;
}
static inline void omp_target_free(void *p, int device) {
    if (device == omp_get_initial_device())
        free(p);
}
static inline int omp_target_is_present(const void *p, int device) {
    (void)p;
    return device == omp_get_initial_device();
}
static inline int omp_target_memcpy(void *dst, const void *src, size_t length,
                                    size_t dst_offset, size_t src_offset,
                                    int dst_device, int src_device) {
    if (dst_device != omp_get_initial_device() ||
        src_device != omp_get_initial_device() || !dst || !src)
        return 22; /* EINVAL */
    memmove((char *)dst + dst_offset, (const char *)src + src_offset, length);
    return 0;
}
/** \brief With dst and src NULL, returns the number of dimensions weft
 * copies (any: it recurses); otherwise copies the volume of `volume`
 * elements at dst_offsets/src_offsets in arrays of dst_dims/src_dims. */
static inline int
omp_target_memcpy_rect(void *dst, const void *src, size_t element_size,
                       int num_dims, const size_t *volume,
                       const size_t *dst_offsets, const size_t *src_offsets,
                       const size_t *dst_dims, const size_t *src_dims,
                       int dst_device, int src_device) {
    if (!dst && !src)
        return 0x7fffffff;
    if (!dst || !src || num_dims < 1 ||
        dst_device != omp_get_initial_device() ||
        src_device != omp_get_initial_device())
        return 22; /* EINVAL */
    size_t dstride = element_size, sstride = element_size;
    for (int k = 1; k < num_dims; k++) {
        dstride *= dst_dims[k];
        sstride *= src_dims[k];
    }
    char *d = (char *)dst + dst_offsets[0] * dstride;
    const char *s = (const char *)src + src_offsets[0] * sstride;
    if (num_dims == 1) {
        memmove(d, s, volume[0] * element_size);
        return 0;
    }
    for (size_t i = 0; i < volume[0]; i++) {
        int rc = omp_target_memcpy_rect(
            d + i * dstride, s + i * sstride, element_size, num_dims - 1,
            volume + 1, dst_offsets + 1, src_offsets + 1, dst_dims + 1,
            src_dims + 1, dst_device, src_device);
        if (rc)
            return rc;
    }
    return 0;
}
static inline int omp_target_associate_ptr(const void *host_ptr,
                                           const void *device_ptr, size_t size,
                                           size_t device_offset, int device) {
    (void)host_ptr, (void)device_ptr, (void)size, (void)device_offset;
    (void)device;
    return 22; /* EINVAL */
}
static inline int omp_target_disassociate_ptr(const void *p, int device) {
    (void)p, (void)device;
    return 22; /* EINVAL */
}

/** \brief weft ignores task priorities (OpenMP allows it): the largest
 * priority value that means anything is 0. */
static inline int omp_get_max_task_priority(void) { return 0; }
/** \brief Nesting levels weft can make active: as many as a program asks
 * for (omp_set_nested(1) sets INT_MAX). */
static inline int omp_get_supported_active_levels(void) { return 0x7fffffff; }

/** \brief omp_pause_resource(): weft keeps its threads (OpenMP lets an
 * implementation keep resources) and rebuilds its pool in a child after
 * fork(), which is what programs pause for. 0 (success) for the host,
 * non-zero for any other device number. */
typedef enum omp_pause_resource_t {
    omp_pause_soft = 1,
    omp_pause_hard = 2
} omp_pause_resource_t;
static inline int omp_pause_resource(omp_pause_resource_t kind, int device) {
    return (kind == omp_pause_soft || kind == omp_pause_hard) &&
                   device == omp_get_initial_device()
               ? 0
               : -1;
}
static inline int omp_pause_resource_all(omp_pause_resource_t kind) {
    return omp_pause_resource(kind, omp_get_initial_device());
}

/** \brief Memory allocators (OpenMP 5.0): handles, memory spaces and
 * traits with the values gcc and clang use. Every memory space is ordinary
 * memory; the alignment, pool_size, fallback and fb_data traits are
 * honoured, the others (sync_hint, access, pinned, partition) are hints
 * weft has no use for. Blocks come from weft_allocator_alloc(). */
typedef uintptr_t omp_uintptr_t;
typedef enum omp_memspace_handle_t {
    omp_default_mem_space = 0,
    omp_large_cap_mem_space = 1,
    omp_const_mem_space = 2,
    omp_high_bw_mem_space = 3,
    omp_low_lat_mem_space = 4,
    weft__omp_memspace_max__ = 0x7fffffff
} omp_memspace_handle_t;
typedef enum omp_allocator_handle_t {
    omp_null_allocator = 0,
    omp_default_mem_alloc = 1,
    omp_large_cap_mem_alloc = 2,
    omp_const_mem_alloc = 3,
    omp_high_bw_mem_alloc = 4,
    omp_low_lat_mem_alloc = 5,
    omp_cgroup_mem_alloc = 6,
    omp_pteam_mem_alloc = 7,
    omp_thread_mem_alloc = 8,
    weft__omp_allocator_max__ = UINTPTR_MAX
} omp_allocator_handle_t;
typedef enum omp_alloctrait_key_t {
    omp_atk_sync_hint = 1,
    omp_atk_alignment = 2,
    omp_atk_access = 3,
    omp_atk_pool_size = 4,
    omp_atk_fallback = 5,
    omp_atk_fb_data = 6,
    omp_atk_pinned = 7,
    omp_atk_partition = 8
} omp_alloctrait_key_t;
typedef enum omp_alloctrait_value_t {
    omp_atv_default = -1,
    omp_atv_false = 0,
    omp_atv_true = 1,
    omp_atv_contended = 3,
    omp_atv_uncontended = 4,
    omp_atv_serialized = 5,
    omp_atv_sequential = omp_atv_serialized,
    omp_atv_private = 6,
    omp_atv_all = 7,
    omp_atv_thread = 8,
    omp_atv_pteam = 9,
    omp_atv_cgroup = 10,
    omp_atv_default_mem_fb = 11,
    omp_atv_null_fb = 12,
    omp_atv_abort_fb = 13,
    omp_atv_allocator_fb = 14,
    omp_atv_environment = 15,
    omp_atv_nearest = 16,
    omp_atv_blocked = 17,
    omp_atv_interleaved = 18
} omp_alloctrait_value_t;
typedef struct omp_alloctrait_t {
    omp_alloctrait_key_t key;
    omp_uintptr_t value;
} omp_alloctrait_t;

/** \brief Returns omp_null_allocator for an unknown memory space, an
 * unknown trait or value, a fallback allocator missing for allocator_fb,
 * or an alignment that is not a power of two. */
static inline omp_allocator_handle_t
omp_init_allocator(omp_memspace_handle_t memspace, int ntraits,
                   const omp_alloctrait_t traits[]) {
    size_t align = 0, pool = 0;
    int fb = omp_atv_default_mem_fb;
    uintptr_t fb_data = 0;
    if ((unsigned)memspace > (unsigned)omp_low_lat_mem_space || ntraits < 0)
        return omp_null_allocator;
    for (int i = 0; i < ntraits; i++) {
        omp_uintptr_t v = traits[i].value;
        switch (traits[i].key) {
        case omp_atk_alignment:
            if (v != (omp_uintptr_t)omp_atv_default)
                align = (size_t)v;
            break;
        case omp_atk_pool_size:
            if (v != (omp_uintptr_t)omp_atv_default)
                pool = (size_t)v;
            break;
        case omp_atk_fallback:
            if (v == (omp_uintptr_t)omp_atv_default)
                break;
            if (v < omp_atv_default_mem_fb || v > omp_atv_allocator_fb)
                return omp_null_allocator;
            fb = (int)v;
            break;
        case omp_atk_fb_data:
            fb_data = v;
            break;
        case omp_atk_sync_hint:
        case omp_atk_access:
        case omp_atk_pinned:
        case omp_atk_partition:
            break;
        default:
            return omp_null_allocator;
        }
    }
    return (omp_allocator_handle_t)weft_allocator_create(align, pool, fb,
                                                         fb_data);
}
static inline void omp_destroy_allocator(omp_allocator_handle_t a) {
    weft_allocator_destroy((uintptr_t)a);
}
static inline void omp_set_default_allocator(omp_allocator_handle_t a) {
    weft_allocator_set_default((uintptr_t)a);
}
static inline omp_allocator_handle_t omp_get_default_allocator(void) {
    return (omp_allocator_handle_t)weft_allocator_get_default();
}
static inline void *omp_alloc(size_t size, omp_allocator_handle_t a) {
    return weft_allocator_alloc(0, size, (uintptr_t)a, 0);
}
static inline void *omp_aligned_alloc(size_t alignment, size_t size,
                                      omp_allocator_handle_t a) {
    return weft_allocator_alloc(alignment, size, (uintptr_t)a, 0);
}
static inline void *omp_calloc(size_t nmemb, size_t size,
                               omp_allocator_handle_t a) {
    if (size && nmemb > (size_t)-1 / size)
        return (void *)0;
    return weft_allocator_alloc(0, nmemb * size, (uintptr_t)a, 1);
}
static inline void *omp_aligned_calloc(size_t alignment, size_t nmemb,
                                       size_t size, omp_allocator_handle_t a) {
    if (size && nmemb > (size_t)-1 / size)
        return (void *)0;
    return weft_allocator_alloc(alignment, nmemb * size, (uintptr_t)a, 1);
}
static inline void *omp_realloc(void *p, size_t size, omp_allocator_handle_t a,
                                omp_allocator_handle_t free_a) {
    return weft_allocator_realloc(p, size, (uintptr_t)a, (uintptr_t)free_a);
}
static inline void omp_free(void *p, omp_allocator_handle_t a) {
    (void)a;
    weft_allocator_free(p);
}

#ifdef __cplusplus
}
#endif
#endif /* WEFT_OMP_H */
