/* This file handles thread affinity: OMP_PROC_BIND parsing, the pure OpenMP 5
 * placement rules, the process-wide settings built from the environment
 * strings, and per-thread binding when a team forms. Per-thread state (the
 * thread's slot and bound place) lives in thread-local variables that only
 * their own thread touches. */
#include "affinity.h"

#include "arch/atomic.h"

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- OMP_PROC_BIND --------------------------------------------------- */

static const struct {
    const char *name;
    int policy;
} bind_names[] = {
    {"false", WEFT_BIND_FALSE},     {"true", WEFT_BIND_TRUE},
    {"primary", WEFT_BIND_PRIMARY}, {"master", WEFT_BIND_PRIMARY},
    {"close", WEFT_BIND_CLOSE},     {"spread", WEFT_BIND_SPREAD},
};

const char *weft__bind_name(int policy) {
    switch (policy) {
    case WEFT_BIND_FALSE:
        return "false";
    case WEFT_BIND_TRUE:
        return "true";
    case WEFT_BIND_PRIMARY:
        return "primary";
    case WEFT_BIND_CLOSE:
        return "close";
    case WEFT_BIND_SPREAD:
        return "spread";
    }
    return "unset";
}

int weft__bind_parse(const char *s, struct weft__bind_list *out, char *msg,
                     size_t msg_cap) {
    out->n = 0;
    if (msg_cap > 0)
        msg[0] = '\0';
    if (!s)
        return 0;
    const char *c = s;
    while (isspace((unsigned char)*c))
        c++;
    if (*c == '\0')
        return 0;
    struct weft__bind_list l = {0, {0}};
    for (;;) {
        while (isspace((unsigned char)*c))
            c++;
        const char *w = c;
        while (isalpha((unsigned char)*c))
            c++;
        size_t n = (size_t)(c - w);
        int policy = 0;
        for (size_t i = 0; i < sizeof(bind_names) / sizeof(bind_names[0]); i++)
            if (strlen(bind_names[i].name) == n &&
                strncasecmp(bind_names[i].name, w, n) == 0)
                policy = bind_names[i].policy;
        if (!policy) {
            if (msg_cap > 0)
                snprintf(msg, msg_cap, "unknown policy '%.*s'", (int)n, w);
            return -EINVAL;
        }
        if (l.n == WEFT__BIND_MAX_LEVELS) {
            if (msg_cap > 0)
                snprintf(msg, msg_cap, "more than %d levels",
                         WEFT__BIND_MAX_LEVELS);
            return -EINVAL;
        }
        l.policy[l.n++] = policy;
        while (isspace((unsigned char)*c))
            c++;
        if (*c == '\0')
            break;
        if (*c != ',') {
            if (msg_cap > 0)
                snprintf(msg, msg_cap, "unexpected '%c'", *c);
            return -EINVAL;
        }
        c++;
    }
    for (int i = 0; i < l.n && l.n > 1; i++) {
        if (l.policy[i] == WEFT_BIND_FALSE || l.policy[i] == WEFT_BIND_TRUE) {
            if (msg_cap > 0)
                snprintf(msg, msg_cap, "'%s' must stand alone",
                         weft__bind_name(l.policy[i]));
            return -EINVAL;
        }
    }
    *out = l;
    return 0;
}

/* ---- Placement ------------------------------------------------------- */

/* Place index of relative position rel in the partition of P places that
 * starts at place off, in a list of nplaces places (both wrap). */
static int place_at(int off, int P, int nplaces, int rel) {
    return (off + rel % P) % nplaces;
}

int weft__affinity_plan(int nplaces, int policy, int nthreads,
                        const struct weft__bind_slot *parent,
                        struct weft__bind_slot *out) {
    if (nthreads < 1 || nplaces < 1 || parent->place < 0 ||
        parent->place >= nplaces || parent->part_off < 0 ||
        parent->part_off >= nplaces || parent->part_len < 1 ||
        parent->part_len > nplaces)
        return -EINVAL;
    const int P = parent->part_len, T = nthreads, off = parent->part_off;
    /* Positions inside the partition are relative to its first place;
     * ABS_() maps one back to a place index. A parent place outside its own
     * partition cannot arise from this function's output; treat it as the
     * partition's first place rather than fail. */
    int prel = (parent->place - off + nplaces) % nplaces;
    if (prel >= P)
        prel = 0;
#define ABS_(rel) place_at(off, P, nplaces, (rel))

    switch (policy) {
    case WEFT_BIND_PRIMARY:
        for (int i = 0; i < T; i++)
            out[i] = *parent;
        return 0;
    case WEFT_BIND_TRUE:
    case WEFT_BIND_CLOSE:
    case WEFT_BIND_SPREAD:
        break;
    default:
        return -EINVAL;
    }

    if (T > P) {
        /* Place k (counted from the parent's) gets S or S + 1 consecutive
         * threads; the first T mod P places take the extra ones. */
        int S = T / P, rem = T % P, tid = 0;
        for (int k = 0; k < P; k++) {
            int place = ABS_(prel + k);
            for (int j = 0; j < S + (k < rem); j++, tid++) {
                out[tid].place = place;
                if (policy == WEFT_BIND_SPREAD) {
                    out[tid].part_off = place;
                    out[tid].part_len = 1;
                } else {
                    out[tid].part_off = off;
                    out[tid].part_len = P;
                }
            }
        }
        return 0;
    }

    if (policy != WEFT_BIND_SPREAD) {
        for (int i = 0; i < T; i++) {
            out[i].place = ABS_(prel + i);
            out[i].part_off = off;
            out[i].part_len = P;
        }
        return 0;
    }

    /* Spread with T <= P: subpartition j covers relative positions
     * [j*S + min(j, rem), +S + (j < rem)), fixed from the partition's start
     * (not from the parent's place), so they tile the partition. */
    int S = P / T, rem = P % T;
    int j0 = 0;
    while (j0 + 1 < T && (j0 + 1) * S + (j0 + 1 < rem ? j0 + 1 : rem) <= prel)
        j0++;
    for (int i = 0; i < T; i++) {
        int j = (j0 + i) % T;
        int start = j * S + (j < rem ? j : rem);
        out[i].part_off = ABS_(start);
        out[i].part_len = S + (j < rem);
        out[i].place = i == 0 ? parent->place : ABS_(start);
    }
    return 0;
#undef ABS_
}

int weft__affinity_format(char *buf, size_t cap, int level, int tid,
                          int nthreads, const struct weft__places *pl,
                          int place) {
    char cpus[512];
    weft__places_format(pl, place, cpus, sizeof(cpus));
    return snprintf(buf, cap,
                    "weft: affinity: level %d thread %d of %d "
                    "place %d cpus %s",
                    level, tid, nthreads, place, cpus);
}

/* ---- Settings from the environment ----------------------------------- */

int weft__affinity_init(struct weft__affinity *a, const struct weft__topo *t,
                        const char *omp_places, const char *omp_proc_bind,
                        const char *omp_display_affinity) {
    char msg[200];
    int rc;
    memset(a, 0, sizeof(*a));
    a->topo = t;

    if (omp_places && *omp_places) {
        rc = weft__places_parse(t, omp_places, &a->places, msg, sizeof(msg));
        if (rc == -ENOMEM)
            return rc;
        if (rc < 0)
            fprintf(stderr,
                    "weft: warning: OMP_PLACES='%s' is invalid (%s); "
                    "using cores\n",
                    omp_places, msg);
        else
            a->places_set = 1;
    }
    if (!a->places_set) {
        rc = weft__places_abstract(t, WEFT__PLACES_CORES, 0, &a->places);
        if (rc < 0)
            return rc;
    }

    if (weft__bind_parse(omp_proc_bind, &a->bind, msg, sizeof(msg)) < 0) {
        fprintf(stderr,
                "weft: warning: OMP_PROC_BIND='%s' is invalid (%s); "
                "using false\n",
                omp_proc_bind, msg);
        a->bind.n = 1;
        a->bind.policy[0] = WEFT_BIND_FALSE;
    } else if (a->bind.n == 0 && a->places_set) {
        a->bind.n = 1;
        a->bind.policy[0] = WEFT_BIND_TRUE;
    }

    if (omp_display_affinity && *omp_display_affinity) {
        if (strcasecmp(omp_display_affinity, "true") == 0)
            a->display = 1;
        else if (strcasecmp(omp_display_affinity, "false") != 0)
            fprintf(stderr,
                    "weft: warning: OMP_DISPLAY_AFFINITY='%s' is not "
                    "true or false; using false\n",
                    omp_display_affinity);
    }
    return 0;
}

void weft__affinity_destroy(struct weft__affinity *a) {
    weft__places_destroy(&a->places);
}

int weft__affinity_policy(const struct weft__affinity *a, int clause,
                          int level) {
    /* OMP_PROC_BIND=false turns binding off even for proc_bind clauses. */
    if (a->bind.n > 0 && a->bind.policy[0] == WEFT_BIND_FALSE)
        return WEFT_BIND_FALSE;
    if (clause != WEFT_BIND_UNSET)
        return clause;
    if (a->bind.n == 0)
        return WEFT_BIND_FALSE;
    int i = level - 1 < a->bind.n ? level - 1 : a->bind.n - 1;
    return a->bind.policy[i < 0 ? 0 : i];
}

/* ---- Process-wide state ---------------------------------------------- */

/* The raw strings from weft__affinity_configure() and the settings built
 * from them. `cfg_lock` orders configure against the one-time build; after
 * the build, `global` is read-only. */
static pthread_mutex_t cfg_lock = PTHREAD_MUTEX_INITIALIZER;
static char *cfg_places, *cfg_bind, *cfg_display;
static int global_built;
static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static struct weft__affinity global;

/* Set once binding is known not to work (refused by the OS, or a topology
 * that is not this system): later teams skip the system call. Relaxed is
 * enough: it only saves work, and the warning itself is claimed with an
 * atomic exchange so it prints once. */
static weft__atomic_u32 bind_broken;
static weft__atomic_u32 bind_warned;

/* Serialises OMP_DISPLAY_AFFINITY output and guards `shown`, the signature
 * of the last team displayed per level. */
static pthread_mutex_t display_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long shown[WEFT__BIND_MAX_LEVELS + 1];

/* This thread's slot (nested teams plan from it) and the place it is bound
 * to (-1: not bound by weft). Touched by their own thread only. The initial
 * thread's slot is the first place with the whole list as partition, set
 * lazily since the list size is known only at run time. */
static __thread struct weft__bind_slot my_slot
    __attribute__((tls_model("initial-exec"))) = {-1, 0, 0};
static __thread int my_bound __attribute__((tls_model("initial-exec"))) = -1;

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

int weft__affinity_configure(const char *omp_places, const char *omp_proc_bind,
                             const char *omp_display_affinity) {
    int rc = 0;
    pthread_mutex_lock(&cfg_lock);
    if (global_built) {
        rc = -EBUSY;
    } else {
        free(cfg_places);
        free(cfg_bind);
        free(cfg_display);
        cfg_places = dup_or_null(omp_places);
        cfg_bind = dup_or_null(omp_proc_bind);
        cfg_display = dup_or_null(omp_display_affinity);
        if ((omp_places && !cfg_places) || (omp_proc_bind && !cfg_bind) ||
            (omp_display_affinity && !cfg_display))
            rc = -ENOMEM;
    }
    pthread_mutex_unlock(&cfg_lock);
    return rc;
}

static void global_build(void) {
    const struct weft__topo *t = weft__topo_global();
    pthread_mutex_lock(&cfg_lock);
    global_built = 1;
    int rc = weft__affinity_init(&global, t, cfg_places, cfg_bind, cfg_display);
    pthread_mutex_unlock(&cfg_lock);
    if (rc < 0) {
        fprintf(stderr, "weft: fatal: out of memory building the place list\n");
        abort();
    }
}

const struct weft__affinity *weft__affinity_global(void) {
    pthread_once(&global_once, global_build);
    return &global;
}

void weft__affinity_global_release(void) {
    pthread_mutex_lock(&cfg_lock);
    weft__affinity_destroy(&global);
    free(cfg_places);
    free(cfg_bind);
    free(cfg_display);
    cfg_places = cfg_bind = cfg_display = NULL;
    pthread_mutex_unlock(&cfg_lock);
}

static struct weft__bind_slot current_slot(const struct weft__affinity *a) {
    if (my_slot.place < 0) {
        struct weft__bind_slot s = {0, 0, a->places.n};
        return s;
    }
    return my_slot;
}

/* Shows the team's placement if it differs from the last one shown for this
 * level; the signature mixes level, size and every thread's place. */
static void display_team(const struct weft__affinity *a, int level,
                         int nthreads, const struct weft__bind_slot *plan) {
    unsigned long sig = 1469598103934665603ul ^ (unsigned long)nthreads;
    for (int i = 0; i < nthreads; i++)
        sig = (sig ^ (unsigned long)(plan[i].place + 1)) * 1099511628211ul;
    int lv = level < 0                       ? 0
             : level > WEFT__BIND_MAX_LEVELS ? WEFT__BIND_MAX_LEVELS
                                             : level;
    pthread_mutex_lock(&display_lock);
    if (shown[lv] != sig) {
        shown[lv] = sig;
        char line[640];
        for (int i = 0; i < nthreads; i++) {
            weft__affinity_format(line, sizeof(line), level, i, nthreads,
                                  &a->places, plan[i].place);
            fprintf(stderr, "%s\n", line);
        }
    }
    pthread_mutex_unlock(&display_lock);
}

int weft__affinity_team_plan(int level, int nthreads, int clause,
                             struct weft__bind_slot *plan) {
    const struct weft__affinity *a = weft__affinity_global();
    int policy = weft__affinity_policy(a, clause, level);
    if (policy == WEFT_BIND_FALSE || policy == WEFT_BIND_UNSET)
        return 0;
    struct weft__bind_slot parent = current_slot(a);
    if (weft__affinity_plan(a->places.n, policy, nthreads, &parent, plan) < 0)
        return 0;
    if (a->display)
        display_team(a, level, nthreads, plan);
    return 1;
}

static void bind_warn(const struct weft__affinity *a, int place, int err) {
    if (weft__exchange(&bind_warned, 1, WEFT__RELAXED))
        return;
    char cpus[256];
    weft__places_format(&a->places, place, cpus, sizeof(cpus));
    if (err == -ENOTSUP)
        fprintf(stderr, "weft: warning: cannot bind threads on this topology "
                        "(not the running system); threads stay unbound\n");
    else
        fprintf(stderr,
                "weft: warning: binding a thread to place %d cpus %s "
                "failed (%s); threads stay unbound\n",
                place, cpus, strerror(-err));
}

void weft__affinity_enter(const struct weft__bind_slot *slot,
                          struct weft__bind_slot *saved) {
    const struct weft__affinity *a = weft__affinity_global();
    if (saved)
        *saved = my_slot;
    my_slot = *slot;
    if (my_bound == slot->place || weft__load(&bind_broken, WEFT__RELAXED))
        return;
    const struct weft__places *pl = &a->places;
    if (slot->place < 0 || slot->place >= pl->n)
        return;
    int rc = weft__topo_bind_self(a->topo, pl->pus + pl->off[slot->place],
                                  weft__places_count(pl, slot->place));
    if (rc == 0) {
        my_bound = slot->place;
    } else {
        weft__store(&bind_broken, 1, WEFT__RELAXED);
        bind_warn(a, slot->place, rc);
    }
}

void weft__affinity_leave(const struct weft__bind_slot *saved) {
    my_slot = *saved;
}

int weft__affinity_current_place(void) { return my_bound; }

/* H30: the calling thread's place partition, for omp_get_partition_*. */
struct weft__bind_slot weft__affinity_partition(void) {
    return current_slot(weft__affinity_global());
}
