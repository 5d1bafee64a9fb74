/* This file handles weft-info: it prints the machine topology as libweft
 * sees it (hwloc, honouring HWLOC_SYNTHETIC and HWLOC_XMLFILE), the place
 * list, and the place each thread of the first parallel region would be
 * bound to under the current OMP_PLACES, OMP_PROC_BIND and
 * OMP_NUM_THREADS, as text or (--json) as one JSON object. It uses the same
 * code as the runtime (env.c, topo.c, places.c, affinity.c), so what it
 * prints is what a program would do. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "affinity.h"
#include "env.h"
#include "topo.h"
#include "weft/version.h"

static void usage(FILE *f) {
    fprintf(f,
            "usage: weft-info [--json] [--help] [--version]\n"
            "Prints the topology, the place list (OMP_PLACES) and the place\n"
            "each thread would be bound to (OMP_PROC_BIND, OMP_NUM_THREADS).\n"
            "HWLOC_SYNTHETIC or HWLOC_XMLFILE describe another machine.\n"
            "  --json     one JSON object: numa_nodes, packages, cores, pus,\n"
            "             places, threads, ...\n");
}

/* Prints the CPUs of a place as ranges: "0-3,8". */
static void print_ranges(const int *cpus, int n) {
    for (int i = 0; i < n;) {
        int j = i;
        while (j + 1 < n && cpus[j + 1] == cpus[j] + 1)
            j++;
        printf("%s%d", i ? "," : "", cpus[i]);
        if (j > i)
            printf("-%d", cpus[j]);
        i = j + 1;
    }
}

static void print_json_array(const int *v, int n) {
    putchar('[');
    for (int i = 0; i < n; i++)
        printf("%s%d", i ? "," : "", v[i]);
    putchar(']');
}

static const char *source_name(const struct weft__topo *t) {
    if (t->flat)
        return "flat fallback";
    return t->is_thissystem ? "this system" : "synthetic or XML";
}

/* NUMA domain of a place: that of its first CPU. */
static int place_numa(const struct weft__topo *t, const struct weft__places *pl,
                      int p) {
    int pu = weft__topo_pu_of_os(t, pl->pus[pl->off[p]]);
    return pu >= 0 ? t->pu[pu].numa : -1;
}

static void print_text(const struct weft__topo *t,
                       const struct weft__affinity *a,
                       const struct weft_options *o, int policy, int nthreads,
                       const struct weft__bind_slot *plan) {
    printf("weft %s: topology from %s\n", WEFT_VERSION_STRING, source_name(t));
    printf("  packages %d, NUMA domains %d, last-level cache groups %d, "
           "cores %d, PUs %d\n",
           t->npackages, t->nnumas, t->nllcs, t->ncores, t->npus);
    for (int d = 0; d < t->nnumas; d++) {
        int cpus[t->npus > 0 ? t->npus : 1], n = 0;
        for (int i = 0; i < t->npus; i++)
            if (t->pu[i].numa == d)
                cpus[n++] = t->pu[i].os;
        printf("  domain %d: cpus ", d);
        print_ranges(cpus, n);
        if (t->distance) {
            printf("  distances");
            for (int e = 0; e < t->nnumas; e++)
                printf(" %lu", weft__topo_numa_distance(t, d, e));
        }
        putchar('\n');
    }
    printf("  binding: %s\n",
           t->is_thissystem && !t->flat
               ? "possible (hwloc_set_cpubind on this system)"
               : "not possible (topology is not the running system)");
    printf("settings:\n");
    printf("  OMP_PLACES = '%s'%s\n", o->places ? o->places : "",
           a->places_set ? "" : " (default: cores)");
    printf("  OMP_PROC_BIND = '%s' (level 1 policy: %s)\n",
           o->proc_bind ? o->proc_bind : "", weft__bind_name(policy));
    printf("  OMP_NUM_THREADS = %d\n", nthreads);
    printf("places (%d):\n", a->places.n);
    for (int p = 0; p < a->places.n; p++) {
        printf("  %d: ", p);
        print_ranges(a->places.pus + a->places.off[p],
                     weft__places_count(&a->places, p));
        printf(" (domain %d)\n", place_numa(t, &a->places, p));
    }
    printf("threads (first parallel region):\n");
    for (int i = 0; i < nthreads; i++) {
        if (!plan) {
            printf("  thread %d: not bound\n", i);
            continue;
        }
        int p = plan[i].place;
        printf("  thread %d: place %d cpus ", i, p);
        print_ranges(a->places.pus + a->places.off[p],
                     weft__places_count(&a->places, p));
        printf(" domain %d\n", place_numa(t, &a->places, p));
    }
}

static void print_json(const struct weft__topo *t,
                       const struct weft__affinity *a, int policy, int nthreads,
                       const struct weft__bind_slot *plan) {
    printf("{\"version\":\"%s\",\"source\":\"%s\",\"this_system\":%s,",
           WEFT_VERSION_STRING, source_name(t),
           t->is_thissystem ? "true" : "false");
    printf("\"packages\":%d,\"numa_nodes\":%d,\"ll_caches\":%d,\"cores\":%d,"
           "\"pus\":%d,",
           t->npackages, t->nnumas, t->nllcs, t->ncores, t->npus);
    printf("\"distances\":");
    if (t->distance) {
        putchar('[');
        for (int d = 0; d < t->nnumas; d++) {
            printf("%s[", d ? "," : "");
            for (int e = 0; e < t->nnumas; e++)
                printf("%s%lu", e ? "," : "",
                       weft__topo_numa_distance(t, d, e));
            putchar(']');
        }
        putchar(']');
    } else {
        printf("null");
    }
    printf(",\"proc_bind\":\"%s\",\"num_threads\":%d,\"places\":[",
           weft__bind_name(policy), nthreads);
    for (int p = 0; p < a->places.n; p++) {
        printf("%s", p ? "," : "");
        print_json_array(a->places.pus + a->places.off[p],
                         weft__places_count(&a->places, p));
    }
    printf("],\"threads\":[");
    for (int i = 0; i < nthreads; i++) {
        printf("%s{\"thread\":%d,", i ? "," : "", i);
        if (plan) {
            int p = plan[i].place;
            printf("\"place\":%d,\"pus\":", p);
            print_json_array(a->places.pus + a->places.off[p],
                             weft__places_count(&a->places, p));
            printf(",\"numa\":%d}", place_numa(t, &a->places, p));
        } else {
            printf("\"place\":null,\"pus\":[],\"numa\":null}");
        }
    }
    printf("]}\n");
}

int main(int argc, char **argv) {
    static const struct option opts[] = {
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    int json = 0, c;
    while ((c = getopt_long(argc, argv, "jhV", opts, NULL)) != -1) {
        switch (c) {
        case 'j':
            json = 1;
            break;
        case 'h':
            usage(stdout);
            return 0;
        case 'V':
            printf("weft-info %s\n", WEFT_VERSION_STRING);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (optind < argc) {
        usage(stderr);
        return 2;
    }

    struct weft_options o;
    weft__options_load(&o, NULL, NULL);
    struct weft__topo *t = NULL;
    struct weft__affinity a;
    if (weft__topo_create(&t) < 0 ||
        weft__affinity_init(&a, t, o.places, o.proc_bind, o.display_affinity) <
            0) {
        fprintf(stderr, "weft-info: out of memory\n");
        return 1;
    }
    int nthreads = o.nthreads > 0 ? o.nthreads : 1;
    int policy = weft__affinity_policy(&a, WEFT_BIND_UNSET, 1);
    struct weft__bind_slot *plan = NULL;
    if (policy != WEFT_BIND_FALSE) {
        struct weft__bind_slot initial = {0, 0, a.places.n};
        plan = calloc((size_t)nthreads, sizeof(*plan));
        if (!plan || weft__affinity_plan(a.places.n, policy, nthreads, &initial,
                                         plan) < 0) {
            free(plan);
            plan = NULL;
        }
    }
    if (json)
        print_json(t, &a, policy, nthreads, plan);
    else
        print_text(t, &a, &o, policy, nthreads, plan);
    free(plan);
    weft__affinity_destroy(&a);
    weft__topo_destroy(t);
    weft__options_free(&o);
    return 0;
}
