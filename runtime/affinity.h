/* This file handles thread affinity: OMP_PROC_BIND parsing, the placement
 * decision of OpenMP 5 (primary, close, spread, with place partitions) as a
 * pure function, and the runtime side the pool calls when a team forms:
 * binding each team thread to its place once, warning once when the OS
 * refuses, and OMP_DISPLAY_AFFINITY output. */
#ifndef WEFT_AFFINITY_H
#define WEFT_AFFINITY_H

#include <stddef.h>

#include "places.h"
#include "weft/abi.h"

/* Nesting levels an OMP_PROC_BIND list may name; deeper levels reuse the
 * last entry, as OpenMP specifies. */
#define WEFT__BIND_MAX_LEVELS 8

/* A parsed OMP_PROC_BIND: policy[i] (enum weft_proc_bind) for nesting level
 * i + 1. n == 0 means the variable was not set. */
struct weft__bind_list {
    int n;
    int policy[WEFT__BIND_MAX_LEVELS];
};

/* Parses OMP_PROC_BIND: "false", "true", or a comma list of "primary"
 * ("master" is accepted as its old name), "close", "spread" (one per
 * nesting level; case-insensitive, blanks allowed). "false" and "true" must
 * stand alone. NULL or "" gives n == 0. Returns 0, or -EINVAL with a reason
 * in msg (*out then has n == 0). Pure. */
WEFT_INTERNAL int weft__bind_parse(const char *s, struct weft__bind_list *out,
                                   char *msg, size_t msg_cap);

/* Name of a policy ("false", "true", "primary", "close", "spread",
 * "unset"). Ownership: static string; do not free. */
WEFT_INTERNAL const char *weft__bind_name(int policy);

/* One thread's placement: its place index in the place list, and its place
 * partition: the places (part_off + j) mod nplaces for 0 <= j < part_len. */
struct weft__bind_slot {
    int place;
    int part_off;
    int part_len;
};

/* The OpenMP 5 placement of a new team of `nthreads` threads whose
 * encountering (primary) thread has slot *parent, under `policy`
 * (WEFT_BIND_PRIMARY, _CLOSE, _SPREAD; WEFT_BIND_TRUE is placed as close).
 * Fills out[0..nthreads). Let P = parent->part_len places, T = nthreads:
 *  - primary: every thread on the parent's place and partition;
 *  - close, T <= P: thread i on the i-th place after the parent's place in
 *    the partition (wrapping); partitions unchanged;
 *  - spread, T <= P: the partition splits into T consecutive subpartitions
 *    of ceil(P/T) places (the first P mod T of them) or floor(P/T); thread
 *    0 keeps the parent's place and gets the subpartition holding it;
 *    thread i gets the first place of the i-th subpartition after that one
 *    (wrapping), and that subpartition as its partition;
 *  - close and spread, T > P: places get floor(T/P) consecutive threads,
 *    the first T mod P places (from the parent's, wrapping) one more; under
 *    spread each thread's partition is its own place.
 * Returns 0, or -EINVAL for nthreads < 1, nplaces < 1, another policy, or
 * a parent slot outside [0, nplaces). Pure. */
WEFT_INTERNAL int weft__affinity_plan(int nplaces, int policy, int nthreads,
                                      const struct weft__bind_slot *parent,
                                      struct weft__bind_slot *out);

/* One OMP_DISPLAY_AFFINITY line, without newline:
 *   "weft: affinity: level L thread I of T place P cpus {0,1}"
 * (place -1 and cpus {} for an unbound thread). Returns the full length;
 * truncates to cap, always terminated. Pure. */
WEFT_INTERNAL int weft__affinity_format(char *buf, size_t cap, int level,
                                        int tid, int nthreads,
                                        const struct weft__places *pl,
                                        int place);

/* The process's affinity settings: topology, place list and bind list,
 * built once from the raw environment strings that env.c stores. */
struct weft__affinity {
    const struct weft__topo *topo;
    struct weft__places places;  /* OMP_PLACES, or "cores" by default */
    struct weft__bind_list bind; /* OMP_PROC_BIND after defaulting */
    int places_set;              /* OMP_PLACES was set and valid */
    int display;                 /* OMP_DISPLAY_AFFINITY is true */
};

/* Builds *a from the raw OMP_PLACES, OMP_PROC_BIND and OMP_DISPLAY_AFFINITY
 * values (each may be NULL when unset). An invalid value gives exactly one
 * warning on stderr naming the variable, the value and what is used
 * instead, and never fails the run: places fall back to "cores", the bind
 * list to "false", display to off. When OMP_PROC_BIND is unset but
 * OMP_PLACES is set, the bind list is "true" (OpenMP's default). Returns 0
 * or -ENOMEM. Run by one thread, before any team forms.
 * Ownership: release with weft__affinity_destroy(); *a keeps a pointer to
 * t, which must outlive it. */
WEFT_INTERNAL int weft__affinity_init(struct weft__affinity *a,
                                      const struct weft__topo *t,
                                      const char *omp_places,
                                      const char *omp_proc_bind,
                                      const char *omp_display_affinity);

WEFT_INTERNAL void weft__affinity_destroy(struct weft__affinity *a);

/* Policy that a team formed at nesting `level` (1 = outermost region)
 * uses, given the construct's proc_bind clause (WEFT_BIND_UNSET when
 * absent): WEFT_BIND_FALSE when threads are not to be bound (OMP_PROC_BIND
 * false, or neither clause nor variable asks for binding). Pure. */
WEFT_INTERNAL int weft__affinity_policy(const struct weft__affinity *a,
                                        int clause, int level);

/* ---- The process-wide settings and the pool's calls ---------------- */

/* Hands the raw environment strings to the affinity layer. env/init code
 * calls it once, before the first team forms; the strings are copied.
 * Returns 0, -EBUSY when the global settings were already built (then the
 * call has no effect), -ENOMEM. Any thread. */
WEFT_INTERNAL int weft__affinity_configure(const char *omp_places,
                                           const char *omp_proc_bind,
                                           const char *omp_display_affinity);

/* The process-wide settings, built on first call from what
 * weft__affinity_configure() received (unset values when it was never
 * called) over weft__topo_global(). Never NULL. Any thread.
 * Ownership: belongs to the library. */
WEFT_INTERNAL const struct weft__affinity *weft__affinity_global(void);

/* Frees the global settings at library teardown (no team may run). */
WEFT_INTERNAL void weft__affinity_global_release(void);

/* Team formation, on the primary (encountering) thread, before waking the
 * team: decides the placement of a team of `nthreads` at nesting `level`
 * under the construct's proc_bind `clause`, from the calling thread's own
 * slot, into plan[0..nthreads). Returns 1 when the team's threads must bind
 * (each then calls weft__affinity_enter() with its slot), 0 when binding is
 * off for this team (plan untouched). Prints the team's
 * OMP_DISPLAY_AFFINITY lines when they differ from the last team formed at
 * that level. Calling (primary) thread only. */
WEFT_INTERNAL int weft__affinity_team_plan(int level, int nthreads, int clause,
                                           struct weft__bind_slot *plan);

/* Start of a thread's implicit task in a team whose plan said to bind:
 * records *slot as the thread's slot (nested teams plan from it) and binds
 * the thread to the slot's place unless it is already bound there, so a hot
 * team that keeps its shape makes no system call. If `saved` is non-NULL
 * the previous slot is stored there (the primary passes it, to restore at
 * join). If the OS refuses the binding, prints one warning per process and
 * stops binding; the run goes on. Calling thread only. */
WEFT_INTERNAL void weft__affinity_enter(const struct weft__bind_slot *slot,
                                        struct weft__bind_slot *saved);

/* End of the primary's part in a team: restores the slot saved by
 * weft__affinity_enter() (the primary's place never changes, only its
 * partition). Calling thread only. */
WEFT_INTERNAL void weft__affinity_leave(const struct weft__bind_slot *saved);

/* The calling thread's place index, or -1 when it is not bound. */
WEFT_INTERNAL int weft__affinity_current_place(void);

/* H30: the calling thread's slot: its place and place partition (the whole
 * list, from place 0, for a thread weft did not place). Calling thread. */
WEFT_INTERNAL struct weft__bind_slot weft__affinity_partition(void);

#endif /* WEFT_AFFINITY_H */
