/* This file handles synchronisation inside regions and the user locks:
 * WEFT_barrier, critical sections (named locks shared across translation
 * units), single, atomic-by-lock, the futex-based weft_lock_t and its
 * nestable variant, and WEFT_main_enter. */
#include <stdlib.h>
#include <string.h>

#include "weft-internal.h"
#include "net/cluster.h"

/* ------------------------------------------------------------------ */
/* Locks: 0 free, 1 held, 2 held and maybe waiters (Drepper's mutex).   */
/* ------------------------------------------------------------------ */

static weft__atomic_u32 *lock_word(weft_lock_t *l) {
    /* weft_lock_t is a plain struct in the public header; the runtime
     * accesses its word only atomically. */
    return (weft__atomic_u32 *)&l->state;
}

/* A contended lock first spins for as long as every other waiting point of
 * the runtime does (weft__g.spin_ns: WEFT_SPIN_US / OMP_WAIT_POLICY, short
 * when threads outnumber processors), because a critical section is
 * usually shorter than the futex sleep and wake-up that the slow path
 * costs (a fixed 128 rounds sent 16 contending threads to the kernel on
 * almost every hand-over: CRITICAL and LOCK ran 1.3-1.7x libgomp's
 * overhead at 8-16 threads). Test before the CAS, so spinners share the
 * line read-only until the owner frees it. Returns 1 once the lock is
 * ours (state 1: any sleeper is woken by the holder that set 2), 0 when
 * the budget is spent. */
static int lock_spin(weft__atomic_u32 *w) {
    int oversub;
    int64_t spin = weft__spin_budget_ns(&oversub);
    if (spin <= 0)
        return 0;
    uint64_t deadline = 0;
    for (unsigned i = 1;; i++) {
        if (oversub)
            weft__sys_yield();
        else
            weft__cpu_relax();
        uint32_t c = 0;
        if (weft__load(w, WEFT__RELAXED) == 0 &&
            weft__cas(w, &c, 1, WEFT__ACQUIRE, WEFT__RELAXED))
            return 1;
        if ((i & (WEFT_SPIN_CLOCK_EVERY - 1)) == 0) {
            uint64_t now = weft__sys_monotonic_ns();
            if (!deadline)
                deadline = now + (uint64_t)spin;
            else if (now >= deadline)
                return 0;
        }
    }
}

void weft_lock_init(weft_lock_t *l) {
    weft__store(lock_word(l), 0, WEFT__RELAXED);
}

void weft_lock_destroy(weft_lock_t *l) { (void)l; /* nothing allocated */ }

void weft_lock_set(weft_lock_t *l) {
    weft__atomic_u32 *w = lock_word(l);
    uint32_t c = 0;
    if (weft__cas(w, &c, 1, WEFT__ACQUIRE, WEFT__RELAXED))
        return;
    if (lock_spin(w))
        return;
    /* Mark contended; whoever unlocks a 2 wakes one sleeper. The acquire
     * exchange that reads 0 is the happens-before edge from the unlock. */
    c = weft__exchange(w, 2, WEFT__ACQUIRE);
    while (c != 0) {
        weft__futex_wait(w, 2, -1);
        c = weft__exchange(w, 2, WEFT__ACQUIRE);
    }
}

void weft_lock_unset(weft_lock_t *l) {
    weft__atomic_u32 *w = lock_word(l);
    if (weft__exchange(w, 0, WEFT__RELEASE) == 2)
        weft__futex_wake(w, 1);
}

int weft_lock_test(weft_lock_t *l) {
    uint32_t c = 0;
    return weft__cas(lock_word(l), &c, 1, WEFT__ACQUIRE, WEFT__RELAXED);
}

/* The owner fields are written by the owner while it holds the lock and
 * read by any thread (to see whether it is the owner itself), hence the
 * relaxed atomic accesses: a thread can only ever read its own identity
 * back if it wrote it. */
void weft_nest_lock_init(weft_nest_lock_t *l) {
    weft_lock_init(&l->lock);
    l->owner = 0;
    l->count = 0;
    __atomic_store_n(&l->owner_p, NULL, __ATOMIC_RELAXED);
}

void weft_nest_lock_destroy(weft_nest_lock_t *l) { (void)l; }

static void nest_take(weft_nest_lock_t *l, struct weft__thr *thr) {
    l->owner = (int)thr->id;
    l->count = 1;
    __atomic_store_n(&l->owner_p, (void *)thr, __ATOMIC_RELAXED);
}

void weft_nest_lock_set(weft_nest_lock_t *l) {
    struct weft__thr *thr = weft__thr_self();
    if (__atomic_load_n(&l->owner_p, __ATOMIC_RELAXED) == (void *)thr) {
        l->count++;
        return;
    }
    weft_lock_set(&l->lock);
    nest_take(l, thr);
}

void weft_nest_lock_unset(weft_nest_lock_t *l) {
    if (--l->count == 0) {
        l->owner = 0;
        __atomic_store_n(&l->owner_p, NULL, __ATOMIC_RELAXED);
        weft_lock_unset(&l->lock);
    }
}

int weft_nest_lock_test(weft_nest_lock_t *l) {
    struct weft__thr *thr = weft__thr_self();
    if (__atomic_load_n(&l->owner_p, __ATOMIC_RELAXED) == (void *)thr)
        return ++l->count;
    if (!weft_lock_test(&l->lock))
        return 0;
    nest_take(l, thr);
    return 1;
}

/* ------------------------------------------------------------------ */
/* Barrier, single                                                      */
/* ------------------------------------------------------------------ */

void weft__team_barrier(struct weft__thr *thr) {
    struct weft__team *team = thr->team;
    if (team && team->nthreads > 1)
        weft__task_barrier(thr, team); /* a task scheduling point */
}

void WEFT_barrier(const struct weft_loc *loc) {
    (void)loc;
    struct weft__thr *thr = weft__tls_thr;
    if (thr)
        weft__team_barrier(thr);
}

/* The team counts singles taken; each thread counts singles met. The
 * thread that moves the team count from s - 1 to s runs single number s:
 * exactly one thread does, even when nowait lets threads run ahead. */
int WEFT_single_begin(const struct weft_loc *loc) {
    (void)loc;
    weft__init();
    struct weft__thr *thr = weft__thr_self();
    struct weft__team *team = thr->team;
    if (!team || team->nthreads == 1)
        return 1;
    uint64_t s = ++thr->single_seq, prev = s - 1;
    return weft__cas(&team->single_taken, &prev, s, WEFT__ACQ_REL,
                     WEFT__RELAXED);
}

/* Called by every thread of the team after the single block (whether or
 * not it ran the block). */
void WEFT_single_end(const struct weft_loc *loc, unsigned flags) {
    if (!(flags & WEFT_LOOP_NOWAIT))
        WEFT_barrier(loc);
}

/* The single thread publishes its array before the barrier; everyone
 * reads it after. The caller's closing barrier keeps the next
 * copyprivate from overwriting it while a thread still copies. */
void *WEFT_copyprivate(const struct weft_loc *loc, void *mine) {
    struct weft__thr *thr = weft__tls_thr;
    if (!thr || !thr->team || thr->team->nthreads == 1)
        return mine;
    if (mine)
        thr->team->copyprivate = mine;
    weft__team_barrier(thr);
    (void)loc;
    return thr->team->copyprivate;
}

/* ------------------------------------------------------------------ */
/* critical, atomic                                                     */
/* ------------------------------------------------------------------ */

/* Named critical locks: created on first use, never freed (a critical
 * name lives as long as the program), found by name under crit_mutex. */
struct crit {
    struct crit *next;
    weft_lock_t lock;
    char name[];
};
static pthread_mutex_t crit_mutex = PTHREAD_MUTEX_INITIALIZER;
static struct crit *crit_list;

static weft_lock_t *crit_lookup(const char *name) {
    struct crit *c;
    pthread_mutex_lock(&crit_mutex);
    for (c = crit_list; c; c = c->next)
        if (strcmp(c->name, name) == 0)
            break;
    if (!c) {
        size_t n = strlen(name) + 1;
        c = weft__calloc(1, sizeof *c + n);
        memcpy(c->name, name, n);
        weft_lock_init(&c->lock);
        c->next = crit_list;
        crit_list = c;
    }
    pthread_mutex_unlock(&crit_mutex);
    return &c->lock;
}

/* The translator's per-file `void *` cache of the lock: read and written
 * with acquire/release so a thread that finds it set also sees the lock's
 * initialisation. Two threads may both look up and store the same value. */
static weft_lock_t *crit_get(const char *name, void **cache) {
    weft_lock_t *l = __atomic_load_n(cache, __ATOMIC_ACQUIRE);
    if (!l) {
        l = crit_lookup(name ? name : "");
        __atomic_store_n(cache, (void *)l, __ATOMIC_RELEASE);
    }
    return l;
}

void WEFT_critical_begin(const struct weft_loc *loc, const char *name,
                         void **lock) {
    if (!lock)
        weft__fatal(loc, "critical section without a lock cache");
    weft_lock_set(crit_get(name, lock));
}

void WEFT_critical_end(const struct weft_loc *loc, void **lock) {
    weft_lock_t *l = lock ? __atomic_load_n(lock, __ATOMIC_ACQUIRE) : NULL;
    if (!l)
        weft__fatal(loc, "end of a critical section that was never entered");
    weft_lock_unset(l);
}

static weft_lock_t atomic_lock;

void WEFT_atomic_begin(void) { weft_lock_set(&atomic_lock); }

void WEFT_atomic_end(void) { weft_lock_unset(&atomic_lock); }

void WEFT_main_enter(const struct weft_loc *loc, int abi_version) {
    if (abi_version != WEFT_ABI_VERSION)
        weft__fatal(
            loc,
            "program built for weft ABI version %d, but this libweft has "
            "version %d; rebuild it with this weft",
            abi_version, WEFT_ABI_VERSION);
    weft__init();
    weft__cluster_main_enter(loc);
}
