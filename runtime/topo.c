/* This file handles every use of hwloc in libweft: loading the topology (or
 * the flat fallback when hwloc fails), turning it into the plain snapshot of
 * topo.h, thread binding, and NUMA memory placement and queries. Nothing else
 * in the runtime includes hwloc.h, so a port to another topology library
 * touches this file only. */
#include "topo.h"
#include "sys/sys.h"

#include <errno.h>
#include <hwloc.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Maps keys to dense ids in order of first appearance. PUs are visited in
 * logical order, so dense ids follow hwloc's logical order too. `keys` has n
 * entries; ids[i] receives the id of keys[i]; returns the number of ids.
 * Quadratic in the number of distinct keys, which is fine at topology load
 * (a few thousand PUs at most, once per process). */
static int densify(const void *const *keys, int n, int *ids) {
    int nid = 0;
    for (int i = 0; i < n; i++) {
        int id = -1;
        for (int j = 0; j < i; j++) {
            if (keys[j] == keys[i]) {
                id = ids[j];
                break;
            }
        }
        ids[i] = id >= 0 ? id : nid++;
    }
    return nid;
}

/* Allocates the snapshot arrays for npus PUs with the given largest OS
 * number; fills os_to_pu from pu[].os once the caller set them. */
static struct weft__topo *snapshot_alloc(int npus) {
    struct weft__topo *t = calloc(1, sizeof(*t));
    if (!t)
        return NULL;
    t->npus = npus;
    t->pu = calloc((size_t)npus, sizeof(*t->pu));
    if (!t->pu) {
        free(t);
        return NULL;
    }
    return t;
}

static int snapshot_index_os(struct weft__topo *t) {
    int max_os = 0;
    for (int i = 0; i < t->npus; i++) {
        if (t->pu[i].os < 0)
            return -EINVAL;
        if (t->pu[i].os + 1 > max_os)
            max_os = t->pu[i].os + 1;
    }
    t->max_os = max_os;
    t->os_to_pu = malloc((size_t)max_os * sizeof(int));
    if (!t->os_to_pu)
        return -ENOMEM;
    for (int i = 0; i < max_os; i++)
        t->os_to_pu[i] = -1;
    for (int i = 0; i < t->npus; i++) {
        if (t->os_to_pu[t->pu[i].os] >= 0)
            return -EINVAL; /* duplicate OS number */
        t->os_to_pu[t->pu[i].os] = i;
    }
    t->numa_package = malloc((size_t)t->nnumas * sizeof(int));
    if (!t->numa_package)
        return -ENOMEM;
    for (int d = 0; d < t->nnumas; d++)
        t->numa_package[d] = -1;
    for (int i = t->npus - 1; i >= 0; i--)
        if (t->pu[i].numa >= 0 && t->pu[i].numa < t->nnumas)
            t->numa_package[t->pu[i].numa] = t->pu[i].package;
    return 0;
}

void weft__topo_destroy(struct weft__topo *t) {
    if (!t)
        return;
    if (t->hwloc)
        hwloc_topology_destroy((hwloc_topology_t)t->hwloc);
    free(t->pu);
    free(t->os_to_pu);
    free(t->distance);
    free(t->numa_package);
    free(t);
}

int weft__topo_create_flat(const int *os, int n, struct weft__topo **out) {
    *out = NULL;
    if (n < 1)
        return -EINVAL;
    struct weft__topo *t = snapshot_alloc(n);
    if (!t)
        return -ENOMEM;
    t->flat = 1;
    t->npackages = n;
    t->nnumas = 1;
    t->nllcs = n;
    t->ncores = n;
    for (int i = 0; i < n; i++) {
        t->pu[i].os = os[i];
        t->pu[i].core = i;
        t->pu[i].llc = i;
        t->pu[i].numa = 0;
        t->pu[i].package = i;
    }
    int rc = snapshot_index_os(t);
    if (rc < 0) {
        weft__topo_destroy(t);
        return rc;
    }
    *out = t;
    return 0;
}

/* The flat fallback over the CPUs this process may run on. */
static int create_flat_affinity(struct weft__topo **out) {
    cpu_set_t set;
    int os[CPU_SETSIZE];
    int n = 0;
    if (sched_getaffinity(0, sizeof(set), &set) == 0) {
        for (int c = 0; c < CPU_SETSIZE; c++)
            if (CPU_ISSET(c, &set))
                os[n++] = c;
    }
    if (n == 0) {
        long np = sysconf(_SC_NPROCESSORS_ONLN);
        n = np > 0 && np <= CPU_SETSIZE ? (int)np : 1;
        for (int c = 0; c < n; c++)
            os[c] = c;
    }
    return weft__topo_create_flat(os, n, out);
}

/* The deepest-level-from-the-PU data or unified cache above pu: the cache
 * with the largest level (L3 over L2), which the PUs below it share. */
static hwloc_obj_t last_level_cache(hwloc_obj_t pu) {
    hwloc_obj_t best = NULL;
    for (hwloc_obj_t o = pu->parent; o; o = o->parent) {
        if (hwloc_obj_type_is_dcache(o->type) &&
            (!best || o->attr->cache.depth > best->attr->cache.depth))
            best = o;
    }
    return best;
}

/* The NUMA node whose CPU set holds the PU: the first memory child found
 * walking up from the PU (hwloc 2 attaches NUMA nodes as memory children
 * of the object whose CPUs are local to them). */
static hwloc_obj_t local_numa(hwloc_obj_t pu) {
    for (hwloc_obj_t o = pu->parent; o; o = o->parent) {
        for (hwloc_obj_t m = o->memory_first_child; m;) {
            if (m->type == HWLOC_OBJ_NUMANODE)
                return m;
            /* Memory-side caches sit between the object and its nodes. */
            m = m->memory_first_child ? m->memory_first_child : m->next_sibling;
        }
    }
    return NULL;
}

/* Copies the NUMA latency matrix, if the topology has one covering every
 * node, into t->distance (indexed by node logical index). */
static void snapshot_distances(hwloc_topology_t topo, struct weft__topo *t) {
    unsigned nr = 1;
    struct hwloc_distances_s *d = NULL;
    if (hwloc_distances_get_by_type(topo, HWLOC_OBJ_NUMANODE, &nr, &d,
                                    HWLOC_DISTANCES_KIND_MEANS_LATENCY,
                                    0) < 0 ||
        nr < 1)
        return;
    if ((int)d->nbobjs == t->nnumas) {
        size_t nn = (size_t)t->nnumas;
        t->distance = calloc(nn * nn, sizeof(*t->distance));
        if (t->distance) {
            for (unsigned i = 0; i < d->nbobjs; i++)
                for (unsigned j = 0; j < d->nbobjs; j++)
                    t->distance[d->objs[i]->logical_index * nn +
                                d->objs[j]->logical_index] =
                        (unsigned long)d->values[i * d->nbobjs + j];
        }
    }
    hwloc_distances_release(topo, d);
}

/* Fills a snapshot from a loaded hwloc topology; takes ownership of topo
 * on success. */
static int snapshot_from_hwloc(hwloc_topology_t topo, struct weft__topo **out) {
    int npus = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PU);
    if (npus < 1)
        return -EINVAL;
    struct weft__topo *t = snapshot_alloc(npus);
    const void **keys = calloc((size_t)npus, sizeof(*keys));
    int *ids = calloc((size_t)npus, sizeof(*ids));
    int rc = -ENOMEM;
    if (!t || !keys || !ids)
        goto out;

    int nnuma = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_NUMANODE);
    t->nnumas = nnuma > 0 ? nnuma : 1;
    for (int i = 0; i < npus; i++) {
        hwloc_obj_t pu = hwloc_get_obj_by_type(topo, HWLOC_OBJ_PU, (unsigned)i);
        hwloc_obj_t numa = local_numa(pu);
        t->pu[i].os = (int)pu->os_index;
        t->pu[i].numa = numa ? (int)numa->logical_index : 0;
    }
    /* Cores: a PU without a core ancestor is its own core. */
    for (int i = 0; i < npus; i++) {
        hwloc_obj_t pu = hwloc_get_obj_by_type(topo, HWLOC_OBJ_PU, (unsigned)i);
        hwloc_obj_t c =
            hwloc_get_ancestor_obj_by_type(topo, HWLOC_OBJ_CORE, pu);
        keys[i] = c ? (const void *)c : (const void *)pu;
    }
    t->ncores = densify(keys, npus, ids);
    for (int i = 0; i < npus; i++)
        t->pu[i].core = ids[i];
    /* Last-level cache groups: without cache objects (synthetic topologies
     * often have none) a NUMA domain stands for the group. */
    for (int i = 0; i < npus; i++) {
        hwloc_obj_t pu = hwloc_get_obj_by_type(topo, HWLOC_OBJ_PU, (unsigned)i);
        hwloc_obj_t c = last_level_cache(pu);
        keys[i] = c ? (const void *)c
                    : (const void *)hwloc_get_obj_by_type(
                          topo, HWLOC_OBJ_NUMANODE, (unsigned)t->pu[i].numa);
    }
    t->nllcs = densify(keys, npus, ids);
    for (int i = 0; i < npus; i++)
        t->pu[i].llc = ids[i];
    /* Packages: without package objects the whole machine is one. */
    for (int i = 0; i < npus; i++) {
        hwloc_obj_t pu = hwloc_get_obj_by_type(topo, HWLOC_OBJ_PU, (unsigned)i);
        keys[i] = hwloc_get_ancestor_obj_by_type(topo, HWLOC_OBJ_PACKAGE, pu);
    }
    t->npackages = densify(keys, npus, ids);
    for (int i = 0; i < npus; i++)
        t->pu[i].package = ids[i];

    rc = snapshot_index_os(t);
    if (rc < 0)
        goto out;
    snapshot_distances(topo, t);
    t->is_thissystem = hwloc_topology_is_thissystem(topo);
    t->hwloc = topo;
    *out = t;
    t = NULL;
    rc = 0;
out:
    free(keys);
    free(ids);
    weft__topo_destroy(t);
    return rc;
}

int weft__topo_create_from(const char *synthetic, const char *xml_path,
                           struct weft__topo **out) {
    *out = NULL;
    if ((synthetic == NULL) == (xml_path == NULL))
        return -EINVAL;
    hwloc_topology_t topo;
    if (hwloc_topology_init(&topo) < 0)
        return -ENOMEM;
    int rc = synthetic ? hwloc_topology_set_synthetic(topo, synthetic)
                       : hwloc_topology_set_xml(topo, xml_path);
    if (rc == 0)
        rc = hwloc_topology_load(topo);
    if (rc == 0)
        rc = snapshot_from_hwloc(topo, out);
    else
        rc = -EINVAL;
    if (rc < 0)
        hwloc_topology_destroy(topo);
    return rc;
}

/* hwloc dlopens every plugin it finds (PCI, OpenCL, GL, libxml2, and
 * through them libpciaccess, ICU, X11...) inside hwloc_topology_init: on
 * Debian with libhwloc-plugins that is ~40 ms of dynamic loading, paid in
 * the first parallel region that binds threads. weft reads processors,
 * caches and memory only (I/O objects are filtered out by default, and
 * hwloc's built-in XML reader serves HWLOC_XMLFILE), so it needs none of
 * them. The only switch is the environment variable
 * HWLOC_PLUGINS_BLACKLIST, read at that moment. setenv is unsafe while
 * another thread may read the environment, so weft sets it (and removes it
 * again) only when the process has a single thread and the user has not
 * configured hwloc's plugins or components. Returns whether it was set. */
#define WEFT_HWLOC_SKIP_PLUGINS                                                \
    "hwloc_pci,hwloc_opencl,hwloc_gl,hwloc_cuda,hwloc_nvml,hwloc_rsmi,"        \
    "hwloc_levelzero,hwloc_xml_libxml"
static int skip_plugins_begin(void) {
    if (getenv("HWLOC_PLUGINS_BLACKLIST") || getenv("HWLOC_COMPONENTS") ||
        getenv("HWLOC_PLUGINS_PATH") || weft__sys_single_threaded() != 1)
        return 0;
    return setenv("HWLOC_PLUGINS_BLACKLIST", WEFT_HWLOC_SKIP_PLUGINS, 0) == 0;
}

int weft__topo_create(struct weft__topo **out) {
    *out = NULL;
    hwloc_topology_t topo;
    int rc = -EINVAL;
    int skipped = skip_plugins_begin();
    int inited = hwloc_topology_init(&topo) == 0;
    if (skipped)
        unsetenv("HWLOC_PLUGINS_BLACKLIST");
    if (inited) {
        /* hwloc_topology_load() itself reads HWLOC_XMLFILE and
         * HWLOC_SYNTHETIC, so no environment lookup happens here. */
        if (hwloc_topology_load(topo) == 0)
            rc = snapshot_from_hwloc(topo, out);
        if (rc < 0)
            hwloc_topology_destroy(topo);
    }
    if (rc == -ENOMEM)
        return rc;
    if (rc < 0) {
        fprintf(stderr,
                "weft: warning: hwloc could not load the topology; "
                "using a flat topology (one NUMA domain, no binding)\n");
        return create_flat_affinity(out);
    }
    return 0;
}

static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static struct weft__topo *global_topo;

static void global_load(void) {
    if (weft__topo_create(&global_topo) < 0) {
        fprintf(stderr, "weft: fatal: out of memory loading the topology\n");
        abort();
    }
}

const struct weft__topo *weft__topo_global(void) {
    pthread_once(&global_once, global_load);
    return global_topo;
}

void weft__topo_global_release(void) {
    weft__topo_destroy(global_topo);
    global_topo = NULL;
}

int weft__topo_pu_of_os(const struct weft__topo *t, int os) {
    if (os < 0 || os >= t->max_os)
        return -1;
    return t->os_to_pu[os];
}

unsigned long weft__topo_numa_distance(const struct weft__topo *t, int a,
                                       int b) {
    if (t->distance && a >= 0 && b >= 0 && a < t->nnumas && b < t->nnumas)
        return t->distance[(size_t)a * (size_t)t->nnumas + (size_t)b];
    if (a == b)
        return 10;
    /* Without a matrix, domains of one package are taken as nearer than
     * domains of another. */
    if (a < 0 || b < 0 || a >= t->nnumas || b >= t->nnumas)
        return 30;
    int pa = t->numa_package[a], pb = t->numa_package[b];
    return pa >= 0 && pa == pb ? 20 : 30;
}

/* A bitmap of OS CPU numbers, or NULL (errno-style code in *rc). */
static hwloc_bitmap_t os_set(const int *os, int n, int *rc) {
    hwloc_bitmap_t set = hwloc_bitmap_alloc();
    if (!set) {
        *rc = -ENOMEM;
        return NULL;
    }
    for (int i = 0; i < n; i++)
        hwloc_bitmap_set(set, (unsigned)os[i]);
    *rc = 0;
    return set;
}

int weft__topo_bind_self(const struct weft__topo *t, const int *os, int n) {
    if (!t->hwloc || !t->is_thissystem)
        return -ENOTSUP;
    if (n < 1)
        return -EINVAL;
    int rc;
    hwloc_bitmap_t set = os_set(os, n, &rc);
    if (!set)
        return rc;
    if (hwloc_set_cpubind((hwloc_topology_t)t->hwloc, set,
                          HWLOC_CPUBIND_THREAD) < 0)
        rc = errno ? -errno : -EINVAL;
    hwloc_bitmap_free(set);
    return rc;
}

int weft__topo_get_bind_self(const struct weft__topo *t, int *os, int cap) {
    if (!t->hwloc || !t->is_thissystem)
        return -ENOTSUP;
    hwloc_bitmap_t set = hwloc_bitmap_alloc();
    if (!set)
        return -ENOMEM;
    int rc = 0;
    if (hwloc_get_cpubind((hwloc_topology_t)t->hwloc, set,
                          HWLOC_CPUBIND_THREAD) < 0) {
        rc = errno ? -errno : -EINVAL;
    } else {
        unsigned id;
        hwloc_bitmap_foreach_begin(id, set) {
            if (rc < cap)
                os[rc] = (int)id;
            rc++;
        }
        hwloc_bitmap_foreach_end();
    }
    hwloc_bitmap_free(set);
    return rc;
}

int weft__topo_current_numa(const struct weft__topo *t) {
    int cpu = sched_getcpu();
    int pu = cpu >= 0 ? weft__topo_pu_of_os(t, cpu) : -1;
    return pu >= 0 ? t->pu[pu].numa : 0;
}

static void *plain_alloc(const struct weft__topo *t, size_t len) {
    if (t->hwloc)
        return hwloc_alloc((hwloc_topology_t)t->hwloc, len);
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

void *weft__topo_alloc(const struct weft__topo *t, size_t len,
                       enum weft__topo_mempol pol, int numa, int *bound,
                       int *err) {
    *bound = 0;
    *err = 0;
    if (len == 0 ||
        (pol == WEFT__MEMPOL_BIND && (numa < 0 || numa >= t->nnumas))) {
        *err = -EINVAL;
        return NULL;
    }
    if (pol != WEFT__MEMPOL_DEFAULT && t->hwloc && t->is_thissystem) {
        hwloc_topology_t topo = (hwloc_topology_t)t->hwloc;
        hwloc_const_nodeset_t nodes;
        hwloc_membind_policy_t mp;
        if (pol == WEFT__MEMPOL_BIND) {
            hwloc_obj_t o =
                hwloc_get_obj_by_type(topo, HWLOC_OBJ_NUMANODE, (unsigned)numa);
            nodes = o ? o->nodeset : hwloc_topology_get_topology_nodeset(topo);
            mp = HWLOC_MEMBIND_BIND;
        } else {
            nodes = hwloc_topology_get_topology_nodeset(topo);
            mp = HWLOC_MEMBIND_INTERLEAVE;
        }
        /* STRICT makes hwloc fail instead of silently ignoring the policy,
         * so *bound tells the truth; the fallback below is unbound. */
        void *p =
            hwloc_alloc_membind(topo, len, nodes, mp,
                                HWLOC_MEMBIND_BYNODESET | HWLOC_MEMBIND_STRICT);
        if (p) {
            *bound = 1;
            return p;
        }
        if (errno == ENOMEM) {
            *err = -ENOMEM;
            return NULL;
        }
    }
    void *p = plain_alloc(t, len);
    if (!p)
        *err = -ENOMEM;
    return p;
}

void weft__topo_free(const struct weft__topo *t, void *p, size_t len) {
    if (!p)
        return;
    if (t->hwloc)
        hwloc_free((hwloc_topology_t)t->hwloc, p, len);
    else
        munmap(p, len);
}

int weft__topo_mem_domain(const struct weft__topo *t, const void *addr) {
    if (!t->hwloc || !t->is_thissystem)
        return -ENOTSUP;
    hwloc_topology_t topo = (hwloc_topology_t)t->hwloc;
    hwloc_nodeset_t nodes = hwloc_bitmap_alloc();
    if (!nodes)
        return -ENOMEM;
    int rc;
    if (hwloc_get_area_memlocation(topo, addr, 1, nodes,
                                   HWLOC_MEMBIND_BYNODESET) < 0) {
        rc = errno ? -errno : -EINVAL;
    } else if (hwloc_bitmap_iszero(nodes)) {
        rc = -ENOENT;
    } else {
        hwloc_obj_t o = hwloc_get_numanode_obj_by_os_index(
            topo, (unsigned)hwloc_bitmap_first(nodes));
        rc = o ? (int)o->logical_index : -ENOENT;
    }
    hwloc_bitmap_free(nodes);
    return rc;
}
