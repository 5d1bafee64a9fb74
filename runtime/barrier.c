/* This file handles waiting: the spin-then-sleep primitive every blocking
 * point of the runtime uses, and the team barrier built on it. */
#include "weft-internal.h"

int64_t weft__spin_budget_ns(int *oversub) {
    int64_t spin = weft__load(&weft__g.spin_ns, WEFT__RELAXED);
    /* More threads than processors: the thread we wait for may need our
     * processor, so spin briefly and yield instead of pausing. */
    *oversub = weft__load(&weft__g.oversub, WEFT__RELAXED);
    if (*oversub && spin > (int64_t)WEFT_SPIN_US_OVERSUB * 1000)
        spin = (int64_t)WEFT_SPIN_US_OVERSUB * 1000;
    return spin;
}

uint32_t weft__wait_change(weft__atomic_u32 *word, uint32_t old,
                           weft__atomic_u32 *sleepers) {
    uint32_t v = weft__load(word, WEFT__ACQUIRE);
    if (v != old)
        return v;
    /* Spin phase: the clock is read only every WEFT_SPIN_CLOCK_EVERY
     * rounds; the deadline starts at the first reading. */
    int oversub;
    int64_t spin = weft__spin_budget_ns(&oversub);
    if (spin > 0 && !weft__load(&weft__g.exiting, WEFT__RELAXED)) {
        uint64_t deadline = 0;
        for (unsigned i = 1;; i++) {
            if (oversub)
                weft__sys_yield();
            else
                weft__cpu_relax();
            v = weft__load(word, WEFT__ACQUIRE);
            if (v != old)
                return v;
            if ((i & (WEFT_SPIN_CLOCK_EVERY - 1)) == 0) {
                uint64_t now = weft__sys_monotonic_ns();
                if (!deadline)
                    deadline = now + (uint64_t)spin;
                else if (now >= deadline)
                    break;
                else if (spin > (int64_t)WEFT_SPIN_YIELD_AFTER_US * 1000 &&
                         deadline - now <
                             (uint64_t)spin -
                                 (uint64_t)WEFT_SPIN_YIELD_AFTER_US * 1000)
                    weft__sys_yield();
                if (weft__load(&weft__g.exiting, WEFT__RELAXED))
                    break;
            }
        }
    }
    /* Sleep phase. The seq_cst increment of sleepers followed by the
     * seq_cst re-read of word pairs with the waker's seq_cst change of word
     * followed by its seq_cst read of sleepers: at least one side sees the
     * other, so a wake-up is never lost. The final acquire load (not the
     * kernel) is the happens-before edge. */
    weft__fetch_add(sleepers, 1, WEFT__SEQ_CST);
    while ((v = weft__load(word, WEFT__SEQ_CST)) == old)
        weft__futex_wait(word, old, -1);
    weft__fetch_sub(sleepers, 1, WEFT__RELAXED);
    return weft__load(word, WEFT__ACQUIRE);
}

void weft__spin_pause(unsigned *round) {
    if (++*round < 1024)
        weft__cpu_relax();
    else
        weft__sys_yield();
}

void weft__barrier_init(struct weft__barrier *b) {
    weft__store(&b->arrived, 0, WEFT__RELAXED);
    weft__store(&b->gen, 0, WEFT__RELAXED);
    weft__store(&b->sleepers, 0, WEFT__RELAXED);
}

static void barrier_episode(struct weft__barrier *b, unsigned n);

void weft__barrier_wait(struct weft__barrier *b, unsigned n) {
    if (n <= 1)
        return;
    if (__builtin_expect(weft__prof_mode & WEFT__PROF_TRACE, 0)) {
        uint64_t t0 = weft__prof_now();
        barrier_episode(b, n);
        weft__prof_wait_end(t0, "barrier");
        return;
    }
    barrier_episode(b, n);
}

/* One episode of weft__barrier_wait (n > 1). */
static void barrier_episode(struct weft__barrier *b, unsigned n) {
    /* Read the episode before arriving: it cannot advance until we (and
     * everyone) have arrived, so g is the current episode. */
    uint32_t g = weft__load(&b->gen, WEFT__ACQUIRE);
    /* acq_rel: each arrival releases its writes to the last arriver, which
     * acquires all of them through the chain of RMWs on `arrived`. */
    if (weft__fetch_add(&b->arrived, 1, WEFT__ACQ_REL) == n - 1) {
        /* Last arriver. Reset the counter before opening the barrier: no
         * thread can arrive at the next episode until gen changes. */
        weft__store(&b->arrived, 0, WEFT__RELAXED);
        /* seq_cst (a release at least): publishes every arrival's writes
         * to the waiters that acquire gen, and orders with the sleepers
         * check (see weft__wait_change). */
        weft__store(&b->gen, g + 1, WEFT__SEQ_CST);
        weft__wake_sleepers(&b->gen, &b->sleepers, INT32_MAX);
        return;
    }
    while (weft__wait_change(&b->gen, g, &b->sleepers) == g)
        ;
}
