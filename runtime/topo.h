/* This file handles the machine topology as the rest of libweft sees it: a
 * plain, read-only snapshot of packages, NUMA domains, last-level caches,
 * cores and PUs, loaded once through hwloc (runtime/topo.c is the only hwloc
 * user) or built by the flat fallback. Pure code (places, affinity, steal
 * order) reads the snapshot and never calls hwloc. */
#ifndef WEFT_TOPO_H
#define WEFT_TOPO_H

#include <stddef.h>

#ifndef WEFT_INTERNAL
#define WEFT_INTERNAL __attribute__((visibility("hidden")))
#endif

/* One processing unit (hardware thread). Every id is a dense, 0-based
 * logical index in hwloc's logical order of its kind, so ids can index
 * arrays; `os` is the operating system's CPU number, which OMP_PLACES lists,
 * sched_getcpu() and cpusets use. */
struct weft__topo_pu {
    int os;      /* OS CPU number */
    int core;    /* core id (the PU itself when hwloc shows no cores) */
    int llc;     /* last-level cache group (NUMA domain id without caches) */
    int numa;    /* NUMA domain id (0 when the PU has no local memory) */
    int package; /* package (socket) id (0 when hwloc shows none) */
};

/* The snapshot. Built by weft__topo_create*() and immutable afterwards, so
 * any thread may read it without locks. `pu` is sorted by logical index:
 * PUs of one core, cache, domain and package are contiguous. */
struct weft__topo {
    void *hwloc;       /* hwloc_topology_t; NULL in the flat fallback */
    int is_thissystem; /* 1 when binding and memory queries act for real */
    int flat;          /* 1 when the flat fallback is in use */
    int npackages;
    int nnumas;
    int nllcs;
    int ncores;
    int npus;
    int max_os;               /* largest PU os index + 1 */
    struct weft__topo_pu *pu; /* npus entries */
    int *os_to_pu;            /* max_os entries: index in pu[] or -1 */
    /* nnumas * nnumas relative latencies (row = from, column = to), as
     * hwloc reports them (ACPI SLIT style, 10 = local), or NULL when the
     * topology carries no distance matrix. */
    unsigned long *distance;
    /* nnumas entries: the package of each domain's first PU, -1 for a
     * domain without PUs (the distance stand-in uses it). */
    int *numa_package;
};

/* Loads the topology of the machine the process runs on, through hwloc,
 * which itself honours HWLOC_XMLFILE and HWLOC_SYNTHETIC (so tests and
 * weft-info can pretend to run elsewhere). When hwloc fails, builds the flat
 * fallback (the PUs of sched_getaffinity(), one core each, one domain) and
 * prints one warning to stderr. Returns 0 or -errno (only -ENOMEM: the flat
 * fallback cannot fail otherwise). Any thread.
 * Ownership: caller frees *out with weft__topo_destroy(). */
WEFT_INTERNAL int weft__topo_create(struct weft__topo **out);

/* Loads a topology from an hwloc synthetic description ("package:2 numa:2
 * core:4 pu:2") or, when `xml_path` is non-NULL, from an hwloc XML file;
 * exactly one of the two must be non-NULL. Such topologies are never "this
 * system". Returns 0, -EINVAL for a description hwloc rejects, -ENOMEM.
 * Ownership: caller frees *out with weft__topo_destroy(). */
WEFT_INTERNAL int weft__topo_create_from(const char *synthetic,
                                         const char *xml_path,
                                         struct weft__topo **out);

/* Builds the flat fallback over the given OS CPU numbers (one core, cache
 * group and package per PU, one NUMA domain). Used when hwloc fails and by
 * tests. Returns 0, -EINVAL (n < 1 or a negative/duplicate number), -ENOMEM.
 * Ownership: caller frees *out with weft__topo_destroy(). */
WEFT_INTERNAL int weft__topo_create_flat(const int *os, int n,
                                         struct weft__topo **out);

/* Frees a snapshot and its hwloc topology. NULL is ignored. */
WEFT_INTERNAL void weft__topo_destroy(struct weft__topo *t);

/* The process-wide topology, loaded on first call (pthread_once) with
 * weft__topo_create(); never NULL (aborts on out-of-memory, as the runtime
 * has no failure path there). Any thread.
 * Ownership: belongs to the library; do not free. Released by
 * weft__topo_global_release() at library teardown. */
WEFT_INTERNAL const struct weft__topo *weft__topo_global(void);

/* Frees the process-wide topology (library teardown only, when no thread
 * uses it any more). */
WEFT_INTERNAL void weft__topo_global_release(void);

/* Index in t->pu of OS CPU `os`, or -1 if the topology has no such PU. */
WEFT_INTERNAL int weft__topo_pu_of_os(const struct weft__topo *t, int os);

/* Relative distance between NUMA domains a and b: the hwloc matrix value
 * when present, otherwise 10 for a == b and 20 for two domains of one
 * package, 30 across packages (a stand-in with the right order). */
WEFT_INTERNAL unsigned long weft__topo_numa_distance(const struct weft__topo *t,
                                                     int a, int b);

/* Binds the calling thread to the given OS CPUs (hwloc_set_cpubind with
 * HWLOC_CPUBIND_THREAD). Returns 0, -ENOTSUP when the topology is not this
 * system or is the flat fallback, -EINVAL for an empty set, or -errno from
 * the OS (EPERM, EINVAL, EXDEV in a restricted cgroup). Calling thread. */
WEFT_INTERNAL int weft__topo_bind_self(const struct weft__topo *t,
                                       const int *os, int n);

/* Reads the calling thread's CPU binding into os[0..cap) in increasing
 * order; returns the number of CPUs in the binding (may exceed cap) or
 * -errno (-ENOTSUP as above). Calling thread. */
WEFT_INTERNAL int weft__topo_get_bind_self(const struct weft__topo *t, int *os,
                                           int cap);

/* NUMA domain of the CPU the calling thread runs on now (sched_getcpu),
 * or 0 when unknown. */
WEFT_INTERNAL int weft__topo_current_numa(const struct weft__topo *t);

/* Memory policies understood by weft__topo_alloc(). */
enum weft__topo_mempol {
    WEFT__MEMPOL_DEFAULT = 0,   /* the OS default: first touch */
    WEFT__MEMPOL_BIND = 1,      /* pages on domain `numa` */
    WEFT__MEMPOL_INTERLEAVE = 2 /* pages round-robin over every domain */
};

/* Page-aligned anonymous memory of `len` bytes under a placement policy
 * (hwloc_alloc_membind). `numa` is the domain id for WEFT__MEMPOL_BIND and
 * ignored otherwise. On a topology that is not this system, or when the OS
 * refuses the policy, falls back to unbound memory and sets *bound to 0
 * (1 when the policy was applied). Returns NULL with *err = -ENOMEM or
 * -EINVAL. Any thread.
 * Ownership: release only with weft__topo_free(p, len). */
WEFT_INTERNAL void *weft__topo_alloc(const struct weft__topo *t, size_t len,
                                     enum weft__topo_mempol pol, int numa,
                                     int *bound, int *err);

/* Releases memory from weft__topo_alloc(); `len` is the length given. */
WEFT_INTERNAL void weft__topo_free(const struct weft__topo *t, void *p,
                                   size_t len);

/* NUMA domain id holding the page of `addr` (hwloc_get_area_memlocation),
 * or -errno: -ENOTSUP when not this system, -ENOENT when the page is not
 * backed yet or its location is unknown. Any thread. */
WEFT_INTERNAL int weft__topo_mem_domain(const struct weft__topo *t,
                                        const void *addr);

#endif /* WEFT_TOPO_H */
