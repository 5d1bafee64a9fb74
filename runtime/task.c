/* This file handles explicit tasks: WEFT_task, taskwait, taskgroup,
 * taskyield and taskloop. Deferred tasks go on the creating member's
 * Chase-Lev deque (deque.h) and idle members steal them; a task runs
 * inline instead when it is undeferred (if(false), final, inside a final
 * task), when the creator's deque is deep (the cut-off) or when no other
 * thread could run it. Dependences between sibling tasks are tracked in a
 * per-parent address table: a task with unfinished predecessors is held by
 * their successor lists and pushed by whoever completes the last one.
 *
 * Threads: a task's creator writes it entirely before publishing it; after
 * that the executing thread owns its plain fields except the successor
 * list (under the task's spin lock). Each member owns its slot (free list,
 * implicit task); thieves touch only the deques. Every wait for tasks
 * (taskwait, taskgroup end, barriers, region end) runs queued tasks. */
#include <string.h>

#include "weft-internal.h"

/* The deque-depth cut-off, a variable so that tests can switch it. */
static _Atomic unsigned cutoff_var = WEFT_TASK_CUTOFF;

void weft__task_set_cutoff(unsigned cutoff) {
    weft__store(&cutoff_var, cutoff ? cutoff : 1, WEFT__RELAXED);
}

unsigned weft__task_get_cutoff(void) {
    return weft__load(&cutoff_var, WEFT__RELAXED);
}

/* ------------------------------------------------------------------ */
/* Team state and slots                                                */
/* ------------------------------------------------------------------ */

/* The team's task state, created by the first member that needs it. Two
 * members may race: one CAS wins, the loser frees its copy. seq_cst: the
 * barrier's sleep check reads the pointer (see barrier_busy). */
static struct weft__task_team *tt_get(struct weft__team *team) {
    struct weft__task_team *tt = weft__load(&team->tasks, WEFT__ACQUIRE);
    if (__builtin_expect(tt != NULL, 1))
        return tt;
    struct weft__task_team *n =
        weft__aligned_calloc(WEFT_CACHE_LINE, sizeof *n);
    if (weft__cas(&team->tasks, &tt, n, WEFT__SEQ_CST, WEFT__ACQUIRE))
        return n;
    weft__free(n);
    return tt;
}

static void implicit_init(struct weft__task *t) {
    memset(t, 0, sizeof *t);
    t->kind = WEFT__TK_IMPLICIT;
    t->succ = t->succ_inline;
    t->cap_succ = WEFT__SUCC_INLINE;
    weft__store(&t->rc, 1, WEFT__RELAXED);
}

/* The slot of member tid, created by the member itself on first use. A
 * slot created in an earlier region by another thread that held tid is
 * published to this one by the fork and join, so the owner's load may be
 * relaxed; thieves load it with acquire (see find_task). */
static struct weft__task_slot *slot_get(struct weft__task_team *tt,
                                        unsigned tid) {
    struct weft__task_slot *s = weft__load(&tt->slots[tid], WEFT__RELAXED);
    if (__builtin_expect(s != NULL, 1))
        return s;
    s = weft__aligned_calloc(WEFT_CACHE_LINE, sizeof *s);
    weft__deque_init(&s->dq, 8);
    implicit_init(&s->implicit);
    s->rng = 0x9E3779B97F4A7C15ull * (tid + 1);
    weft__store(&tt->slots[tid], s, WEFT__RELEASE);
    unsigned n = weft__load(&tt->nslots, WEFT__RELAXED);
    while (n < tid + 1 &&
           !weft__cas(&tt->nslots, &n, tid + 1, WEFT__SEQ_CST, WEFT__RELAXED))
        ;
    return s;
}

/* Deferred tasks of the team created and not completed. Every completion
 * follows its creation, and counts only grow, so reading every completed
 * count before every created count gives done <= made; equal sums mean
 * that no task was outstanding between the two passes, when the caller
 * knows no task can appear from nowhere (every creator is itself an
 * outstanding task or a member that has not arrived; the barrier's last
 * arriver and region-end drains). seq_cst: the barrier's sleep check
 * (barrier_busy) pairs these loads with task_create's store. */
static uint64_t outstanding(struct weft__task_team *tt) {
    unsigned n = weft__load(&tt->nslots, WEFT__SEQ_CST);
    uint64_t done = 0, made = 0;
    for (unsigned i = 0; i < n; i++) {
        struct weft__task_slot *s = weft__load(&tt->slots[i], WEFT__SEQ_CST);
        if (s)
            done += weft__load(&s->completed, WEFT__SEQ_CST);
    }
    for (unsigned i = 0; i < n; i++) {
        struct weft__task_slot *s = weft__load(&tt->slots[i], WEFT__SEQ_CST);
        if (s)
            made += weft__load(&s->created, WEFT__SEQ_CST);
    }
    return made - done;
}

/* ------------------------------------------------------------------ */
/* Task storage                                                        */
/* ------------------------------------------------------------------ */

static size_t round_up(size_t v, size_t a) { return (v + a - 1) & ~(a - 1); }

/* A descriptor from the slot's free list (or the heap) with room for an
 * argument block of size bytes aligned to align: inside the block when it
 * fits, else in a separate allocation. Owner thread of s. */
static struct weft__task *task_alloc(struct weft__task_slot *s, size_t size,
                                     size_t align) {
    struct weft__task *t = s->free;
    if (!t && weft__load(&s->remote_free, WEFT__RELAXED)) {
        /* acquire: the pushers' writes to the blocks happened before. */
        t = weft__exchange(&s->remote_free, NULL, WEFT__ACQUIRE);
        for (struct weft__task *u = t; u; u = u->next_free)
            s->nfree++;
    }
    if (t) {
        s->free = t->next_free;
        s->nfree--;
        /* The next block was probably freed by a thief, its lines in the
         * thief's cache: ask for them now, not when the next task is
         * written (task_create's seq_cst store waits for pending
         * stores). */
        if (s->free) {
            __builtin_prefetch(s->free, 1);
            __builtin_prefetch((char *)s->free + 64, 1);
            __builtin_prefetch((char *)s->free + sizeof *t, 1);
        }
    } else {
        t = weft__aligned_alloc(WEFT_CACHE_LINE, WEFT_TASK_BLOCK);
        t->home = s;
    }
    t->kind = WEFT__TK_POOL;
    size_t off = round_up(sizeof *t, align);
    if (align <= WEFT_CACHE_LINE && off + size <= WEFT_TASK_BLOCK) {
        t->arg = (char *)t + off;
        t->arg_heap = 0;
    } else {
        t->arg = weft__aligned_alloc(align, size);
        t->arg_heap = 1;
    }
    return t;
}

/* Sends the owner's batch of foreign blocks (ret_head..ret_tail, all of
 * one home) to their home's remote stack. Owner of s. */
static void ret_flush(struct weft__task_slot *s) {
    struct weft__task_slot *home = s->ret_head->home;
    struct weft__task *head = weft__load(&home->remote_free, WEFT__RELAXED);
    do
        s->ret_tail->next_free = head;
    while (!weft__cas(&home->remote_free, &head, s->ret_head, WEFT__RELEASE,
                      WEFT__RELAXED));
    s->ret_head = s->ret_tail = NULL;
    s->nret = 0;
}

/* Returns a finished, unreferenced task's storage. Any member thread (s is
 * its slot); the block goes back to the slot that allocated it: onto the
 * owner's list (bounded) or, from another member, through that member's
 * batch (ret_head) onto the home slot's remote stack. A block stays with
 * its slot for the life of the team's task state, so the remote stacks and
 * batches hold only blocks their slots made, freed with the slots. */
static void task_free(struct weft__task_slot *s, struct weft__task *t) {
    if (t->arg_heap)
        weft__free(t->arg);
    if (t->in_table && t->succ != t->succ_inline)
        weft__free(t->succ);
    struct weft__task_slot *home = t->home;
    if (home != s) {
        if (s->nret && s->ret_head->home != home)
            ret_flush(s);
        if (!s->ret_head)
            s->ret_tail = t;
        t->next_free = s->ret_head;
        s->ret_head = t;
        if (++s->nret >= WEFT__TASK_RET_BATCH)
            ret_flush(s);
        return;
    }
    if (s->nfree < WEFT_TASK_FREE_MAX) {
        t->next_free = s->free;
        s->free = t;
        s->nfree++;
    } else {
        weft__free(t);
    }
}

/* Drops one reference. acq_rel: the thread that drops the last one sees
 * every other holder's accesses before it frees the block. Only pool tasks
 * can reach 0: implicit and inline tasks keep their own reference. */
static void task_unref(struct weft__task_slot *s, struct weft__task *t) {
    if (weft__fetch_sub(&t->rc, 1, WEFT__ACQ_REL) == 1)
        task_free(s, t);
}

/* Spin lock over a task's successor list: held for a few instructions by
 * the creator of a successor or by the completing task. */
static void task_lock(struct weft__task *t) {
    unsigned round = 0;
    while (weft__exchange(&t->lock, 1, WEFT__ACQUIRE))
        weft__spin_pause(&round);
}

static void task_unlock(struct weft__task *t) {
    weft__store(&t->lock, 0, WEFT__RELEASE);
}

/* ------------------------------------------------------------------ */
/* Dependences                                                         */
/* ------------------------------------------------------------------ */

/* One address in a parent's table: its last out/inout task and the in
 * tasks since. Each pointer holds a reference on its task. */
struct depent {
    void *addr;
    struct weft__task *writer;
    struct weft__task **readers;
    unsigned nreaders, cap_readers;
};

/* Open addressing with linear probing; only the thread running the parent
 * task touches it. Entries stay until the parent's next taskwait, its end,
 * or the barrier that ends its children (implicit tasks). */
struct weft__dephash {
    unsigned cap, count; /* cap: power of two, count * 2 < cap */
    struct depent *e;
};

static unsigned addr_hash(const void *p, unsigned mask) {
    uint64_t v = (uint64_t)(uintptr_t)p;
    v ^= v >> 29;
    v *= 0xBF58476D1CE4E5B9ull;
    v ^= v >> 32;
    return (unsigned)v & mask;
}

static struct depent *dep_slot(struct weft__dephash *h, void *addr) {
    unsigned mask = h->cap - 1;
    for (unsigned i = addr_hash(addr, mask);; i = (i + 1) & mask)
        if (h->e[i].addr == addr || h->e[i].addr == NULL)
            return &h->e[i];
}

static struct depent *dep_lookup(struct weft__dephash *h, void *addr) {
    struct depent *e = dep_slot(h, addr);
    if (e->addr)
        return e;
    if ((h->count + 1) * 2 >= h->cap) {
        struct depent *old = h->e;
        unsigned ocap = h->cap;
        h->cap *= 2;
        h->e = weft__calloc(h->cap, sizeof *h->e);
        for (unsigned i = 0; i < ocap; i++)
            if (old[i].addr)
                *dep_slot(h, old[i].addr) = old[i];
        weft__free(old);
        e = dep_slot(h, addr);
    }
    e->addr = addr;
    h->count++;
    return e;
}

/* pred must complete before succ starts. No edge when pred is already
 * done. npred is raised under pred's lock, before pred's completion can
 * read the list, so the completion's decrement always follows it. */
static void add_edge(struct weft__task *pred, struct weft__task *succ) {
    if (pred == succ)
        return;
    task_lock(pred);
    if (!pred->done) {
        if (pred->nsucc == pred->cap_succ) {
            unsigned cap = 2 * pred->cap_succ;
            struct weft__task **n = weft__malloc(cap * sizeof *n);
            memcpy(n, pred->succ, pred->nsucc * sizeof *n);
            if (pred->succ != pred->succ_inline)
                weft__free(pred->succ);
            pred->succ = n;
            pred->cap_succ = cap;
        }
        pred->succ[pred->nsucc++] = succ;
        weft__fetch_add(&succ->npred, 1, WEFT__RELAXED);
    }
    task_unlock(pred);
}

/* Enters t's depend items into its parent's table and links t after its
 * predecessors. Runs on the parent's thread before t is published; t's
 * npred holds the creation guard (1) so t cannot be released meanwhile. */
static void deps_register(struct weft__task_slot *s, struct weft__task *parent,
                          struct weft__task *t, const struct weft_depend *deps,
                          unsigned ndeps, const struct weft_loc *loc) {
    struct weft__dephash *h = parent->deps;
    t->in_table = 1;
    if (!h) {
        h = parent->deps = weft__malloc(sizeof *h);
        h->cap = 16;
        h->count = 0;
        h->e = weft__calloc(h->cap, sizeof *h->e);
    }
    for (unsigned i = 0; i < ndeps; i++) {
        if (!deps[i].addr)
            continue; /* depend on a null pointer orders nothing */
        struct depent *e = dep_lookup(h, deps[i].addr);
        if (deps[i].kind == WEFT_DEP_IN) {
            if (e->writer)
                add_edge(e->writer, t);
            if (e->nreaders == e->cap_readers) {
                e->cap_readers = e->cap_readers ? 2 * e->cap_readers : 4;
                e->readers = weft__realloc(e->readers,
                                           e->cap_readers * sizeof *e->readers);
            }
            weft__fetch_add(&t->rc, 1, WEFT__RELAXED);
            e->readers[e->nreaders++] = t;
        } else if (deps[i].kind == WEFT_DEP_OUT ||
                   deps[i].kind == WEFT_DEP_INOUT) {
            /* After every in since the last writer; when there is none,
             * after the writer itself (the readers follow it already). */
            if (e->nreaders) {
                for (unsigned r = 0; r < e->nreaders; r++) {
                    add_edge(e->readers[r], t);
                    task_unref(s, e->readers[r]);
                }
                e->nreaders = 0;
            } else if (e->writer) {
                add_edge(e->writer, t);
            }
            weft__fetch_add(&t->rc, 1, WEFT__RELAXED);
            if (e->writer)
                task_unref(s, e->writer);
            e->writer = t;
        } else {
            weft__fatal(loc, "unknown depend kind %u", deps[i].kind);
        }
    }
}

/* Drops a task's dependence table (its children are all created, or all
 * done). Thread running the task. */
static void deps_clear(struct weft__task_slot *s, struct weft__task *t) {
    struct weft__dephash *h = t->deps;
    for (unsigned i = 0; i < h->cap; i++) {
        struct depent *e = &h->e[i];
        if (!e->addr)
            continue;
        if (e->writer)
            task_unref(s, e->writer);
        for (unsigned r = 0; r < e->nreaders; r++)
            task_unref(s, e->readers[r]);
        weft__free(e->readers);
    }
    weft__free(h->e);
    weft__free(h);
    t->deps = NULL;
}

/* ------------------------------------------------------------------ */
/* Scheduling                                                          */
/* ------------------------------------------------------------------ */

/* The calling member's next task: its own newest, else the oldest of a
 * victim picked from a random start. NULL when nothing was found (a lost
 * steal race included: callers retry). */
static struct weft__task *find_task(struct weft__task_team *tt,
                                    struct weft__task_slot *s, unsigned tid,
                                    unsigned n) {
    struct weft__task *t = weft__deque_take(&s->dq);
    if (t || n < 2)
        return t;
    uint64_t x = s->rng;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    s->rng = x;
    unsigned start = (unsigned)(x % n);
    for (unsigned i = 0; i < n; i++) {
        unsigned v = start + i < n ? start + i : start + i - n;
        if (v == tid)
            continue;
        struct weft__task_slot *vs = weft__load(&tt->slots[v], WEFT__ACQUIRE);
        if (!vs || !weft__deque_maybe_nonempty(&vs->dq))
            continue;
        if ((t = weft__deque_steal(&vs->dq)) != NULL)
            return t;
    }
    return NULL;
}

/* A task whose last predecessor just completed (or that had none). */
static void task_ready(struct weft__task_slot *s, struct weft__task *t) {
    weft__deque_push(&s->dq, t);
}

/* Completion: successors released, group and parent told, team count
 * lowered; then the task's own reference goes. Thread that ran it. */
static void task_complete(struct weft__task_team *tt, struct weft__task_slot *s,
                          struct weft__task *t) {
    if (t->deps)
        deps_clear(s, t);
    /* Only a task in a dependence table can gain successors (add_edge
     * takes predecessors from tables): others skip the lock. */
    unsigned nsucc = 0;
    if (t->in_table) {
        task_lock(t);
        t->done = 1;
        nsucc = t->nsucc;
        task_unlock(t);
    }
    /* done is set: nobody appends any more, so the list is ours to read. */
    for (unsigned i = 0; i < nsucc; i++)
        if (weft__fetch_sub(&t->succ[i]->npred, 1, WEFT__ACQ_REL) == 1)
            task_ready(s, t->succ[i]);
    /* release on each count: the waiter that reads 0 (acquire) sees
     * everything the task did. */
    if (t->group)
        weft__fetch_sub(&t->group->count, 1, WEFT__RELEASE);
    weft__store(&t->finished, 1, WEFT__RELEASE);
    /* As an unfinished child we kept the parent alive even if it has
     * already finished; this is our last access to it. acq_rel as in
     * task_unref. outstanding last but one: once it reads 0 a barrier may
     * open, and all that is left is memory this thread holds references
     * on. */
    struct weft__task *parent = t->parent;
    if (weft__fetch_sub(&parent->rc, WEFT__RC_CHILD, WEFT__ACQ_REL) ==
        WEFT__RC_CHILD)
        task_free(s, parent);
    /* release: a drain that counts this completion sees the task's work. */
    weft__store(&s->completed, weft__load(&s->completed, WEFT__RELAXED) + 1,
                WEFT__RELEASE);
    /* Our own reference and the unused child credit in one step. */
    uint64_t drop = 1 + t->credit * WEFT__RC_CHILD;
    if (weft__fetch_sub(&t->rc, drop, WEFT__ACQ_REL) == drop)
        task_free(s, t);
}

/* Gives cur's unused child credit back to its rc, so that rc counts its
 * real children only. Thread running cur. acq_rel: this step joins the
 * release sequence of the children's completions on rc. */
static void credit_return(struct weft__task *cur) {
    if (cur->credit) {
        weft__fetch_sub(&cur->rc, cur->credit * WEFT__RC_CHILD, WEFT__ACQ_REL);
        cur->credit = 0;
    }
}

static void task_execute(struct weft__thr *thr, struct weft__task_team *tt,
                         struct weft__task_slot *s, struct weft__task *t) {
    struct weft__task *prev = thr->task;
    thr->task = t;
    if (t->loop_fn)
        t->loop_fn(t->arg, t->lo, t->hi);
    else
        t->fn(t->arg);
    thr->task = prev;
    task_complete(tt, s, t);
}

/* Runs queued tasks until *word == target (acquire). */
static void help_until(struct weft__thr *thr, struct weft__task_team *tt,
                       struct weft__task_slot *s, weft__atomic_u32 *word,
                       uint32_t target) {
    unsigned round = 0, n = thr->team->nthreads;
    while (weft__load(word, WEFT__ACQUIRE) != target) {
        struct weft__task *t = find_task(tt, s, thr->tid, n);
        if (t) {
            task_execute(thr, tt, s, t);
            round = 0;
        } else {
            weft__spin_pause(&round);
        }
    }
}

/* Runs queued tasks until (*rc >> shift) == target (acquire). */
static void help_until_rc(struct weft__thr *thr, struct weft__task_team *tt,
                          struct weft__task_slot *s, weft__atomic_u64 *rc,
                          unsigned shift, uint64_t target) {
    unsigned round = 0, n = thr->team->nthreads;
    while ((weft__load(rc, WEFT__ACQUIRE) >> shift) != target) {
        struct weft__task *t = find_task(tt, s, thr->tid, n);
        if (t) {
            task_execute(thr, tt, s, t);
            round = 0;
        } else {
            weft__spin_pause(&round);
        }
    }
}

/* Runs queued tasks until no task of the team is outstanding. */
static void drain(struct weft__thr *thr, struct weft__task_team *tt,
                  struct weft__task_slot *s) {
    unsigned round = 0, n = thr->team->nthreads;
    while (outstanding(tt) != 0) {
        struct weft__task *t = find_task(tt, s, thr->tid, n);
        if (t) {
            task_execute(thr, tt, s, t);
            round = 0;
        } else {
            weft__spin_pause(&round);
        }
    }
}

/* ------------------------------------------------------------------ */
/* Creation                                                            */
/* ------------------------------------------------------------------ */

/* What a new task runs: fn(arg) or loop_fn(arg, lo, hi). */
struct body {
    void (*fn)(void *);
    weft_taskloop_fn loop_fn;
    uint64_t lo, hi;
};

static void call_body(const struct body *b, void *arg) {
    if (b->loop_fn)
        b->loop_fn(arg, b->lo, b->hi);
    else
        b->fn(arg);
}

static struct weft__taskgroup *group_of(const struct weft__task *cur) {
    return cur->cur_group ? cur->cur_group : cur->group;
}

/* Runs a task at once on this thread with the template as its argument
 * block, as a task of its own (depth, final, groups and children work as
 * for any task). Children it deferred must finish before its frame goes,
 * so the end waits for them, running tasks meanwhile. cur: the creating
 * task, NULL outside any team's task state. */
static void run_inline(struct weft__thr *thr, struct weft__task_team *tt,
                       struct weft__task_slot *s, struct weft__task *cur,
                       const struct body *b, void *arg, unsigned flags) {
    struct weft__task t;
    t.parent = cur;
    t.group = cur ? group_of(cur) : NULL;
    t.cur_group = NULL;
    t.deps = NULL;
    weft__store(&t.rc, 1, WEFT__RELAXED);
    t.credit = 0;
    t.depth = cur ? cur->depth + 1 : 1;
    t.final = (flags & WEFT_TASK_FINAL) || (cur && cur->final);
    t.kind = WEFT__TK_STACK;
    struct weft__task *prev = thr->task;
    thr->task = &t;
    call_body(b, arg);
    credit_return(&t);
    if (t.deps)
        deps_clear(s, &t);
    /* Deferred children count in t.rc (above 1 only then, and only in a
     * team with task state); nothing else references an inline task. */
    if (weft__load(&t.rc, WEFT__ACQUIRE) != 1)
        help_until_rc(thr, tt, s, &t.rc, 0, 1);
    thr->task = prev;
}

/* Creates one task of the current task (team of two or more). */
static void task_create(struct weft__thr *thr, const struct body *b, void *tmpl,
                        size_t size, size_t align, unsigned flags,
                        const struct weft_depend *deps, unsigned ndeps,
                        const struct weft_loc *loc) {
    struct weft__team *team = thr->team;
    struct weft__task_team *tt = tt_get(team);
    struct weft__task_slot *s = slot_get(tt, thr->tid);
    struct weft__task *cur = thr->task ? thr->task : &s->implicit;
    int undeferred = (flags & (WEFT_TASK_IF_FALSE | WEFT_TASK_FINAL)) != 0;
    if (!deps)
        ndeps = 0;
    /* Without dependences an undeferred or cut-off task simply runs now.
     * With them it must wait for its predecessors, so it is created in
     * full and this thread waits for it below. */
    int64_t cutoff = weft__load(&cutoff_var, WEFT__RELAXED);
    if (ndeps == 0 && (undeferred || weft__deque_has(&s->dq, cutoff) ||
                       cur->depth >= WEFT_TASK_DEPTH_CUTOFF)) {
        run_inline(thr, tt, s, cur, b, tmpl, flags);
        return;
    }
    if (align == 0)
        align = 16;
    if (align & (align - 1))
        weft__fatal(loc, "task argument alignment %zu is not a power of two",
                    align);
    struct weft__task *t = task_alloc(s, size, align);
    if (size)
        memcpy(t->arg, tmpl, size);
    t->fn = b->fn;
    t->loop_fn = b->loop_fn;
    t->lo = b->lo;
    t->hi = b->hi;
    t->parent = cur;
    t->group = group_of(cur);
    t->cur_group = NULL;
    t->deps = NULL;
    weft__store(&t->rc, 1 + (undeferred != 0), WEFT__RELAXED);
    /* Creation guard (1) while deps_register may link predecessors;
     * without depend items nothing else can see the task: no guard. */
    weft__store(&t->npred, ndeps != 0, WEFT__RELAXED);
    weft__store(&t->finished, 0, WEFT__RELAXED);
    t->in_table = 0;
    if (ndeps) {
        /* Successor fields: only a task in a dependence table uses them
         * (deps_register sets in_table). */
        weft__store(&t->lock, 0, WEFT__RELAXED);
        t->done = 0;
        t->nsucc = 0;
        t->cap_succ = WEFT__SUCC_INLINE;
        t->succ = t->succ_inline;
    }
    t->depth = cur->depth + 1;
    t->final = (flags & WEFT_TASK_FINAL) != 0;
    t->credit = 0;
    /* Counts, before the task can run. The parent's children are raised
     * by the parent's own thread (in advance, WEFT__TASK_CREDIT at a time)
     * and lowered by completions. */
    if (cur->credit == 0) {
        weft__fetch_add(&cur->rc, WEFT__TASK_CREDIT * WEFT__RC_CHILD,
                        WEFT__RELAXED);
        cur->credit = WEFT__TASK_CREDIT;
    }
    cur->credit--;
    if (t->group)
        weft__fetch_add(&t->group->count, 1, WEFT__RELAXED);
    /* task_on before this thread's next barrier arrival (which releases
     * it to the last arriver); written only on change. */
    if (!weft__load(&team->task_on, WEFT__RELAXED))
        weft__store(&team->task_on, 1, WEFT__RELEASE);
    /* seq_cst count (only this thread writes it), then seq_cst read of
     * the barrier's sleepers: pairs with a barrier waiter that raises
     * sleepers and then sums the counts (see barrier_busy), so a waiter
     * never sleeps through the arrival of work. */
    weft__store(&s->created, weft__load(&s->created, WEFT__RELAXED) + 1,
                WEFT__SEQ_CST);
    if (weft__load(&team->bar.sleepers, WEFT__SEQ_CST))
        weft__futex_wake(&team->bar.gen, INT32_MAX);
    if (ndeps == 0) {
        /* Deferred (undeferred tasks without depend items ran inline
         * above): straight onto the deque. */
        task_ready(s, t);
        return;
    }
    deps_register(s, cur, t, deps, ndeps, loc);
    if (weft__fetch_sub(&t->npred, 1, WEFT__ACQ_REL) == 1) {
        if (undeferred)
            task_execute(thr, tt, s, t);
        else
            task_ready(s, t);
    }
    if (undeferred) {
        /* Released later by its last predecessor into some deque. */
        if (!weft__load(&t->finished, WEFT__ACQUIRE))
            help_until(thr, tt, s, &t->finished, 1);
        task_unref(s, t);
    }
}

/* Creation from any context: tasks outside a team of two or more, and
 * children of final tasks, run at once (nothing could run them earlier,
 * and siblings before them have all completed, so dependences hold). */
static void spawn(const struct weft_loc *loc, const struct body *b, void *tmpl,
                  size_t size, size_t align, unsigned flags,
                  const struct weft_depend *deps, unsigned ndeps) {
    struct weft__thr *thr = weft__thr_self();
    struct weft__team *team = thr->team;
    struct weft__task *cur = thr->task;
    if (!team || team->nthreads < 2 || (cur && cur->final)) {
        run_inline(thr, NULL, NULL, cur, b, tmpl, flags);
        return;
    }
    task_create(thr, b, tmpl, size, align, flags, deps, ndeps, loc);
}

void WEFT_task(const struct weft_loc *loc, void (*fn)(void *arg),
               void *arg_template, size_t arg_size, size_t arg_align,
               unsigned flags, const struct weft_depend *deps, unsigned ndeps) {
    if (!fn)
        weft__fatal(loc, "task without a body");
    if (arg_size && !arg_template)
        weft__fatal(loc, "task with a %zu-byte argument block but no template",
                    arg_size);
    struct body b = {fn, NULL, 0, 0};
    spawn(loc, &b, arg_template, arg_size, arg_align, flags, deps, ndeps);
}

/* ------------------------------------------------------------------ */
/* taskwait, taskgroup, taskyield                                      */
/* ------------------------------------------------------------------ */

/* The calling thread's task state when it is in a team that has one;
 * NULL otherwise (then every task it made ran inline: nothing to wait
 * for). */
static struct weft__task_team *here(struct weft__thr *thr,
                                    struct weft__task_slot **s) {
    if (!thr || !thr->team || thr->team->nthreads < 2)
        return NULL;
    struct weft__task_team *tt = weft__load(&thr->team->tasks, WEFT__ACQUIRE);
    if (tt)
        *s = slot_get(tt, thr->tid);
    return tt;
}

void WEFT_taskwait(const struct weft_loc *loc) {
    (void)loc;
    struct weft__thr *thr = weft__tls_thr;
    struct weft__task_slot *s = NULL;
    struct weft__task_team *tt = here(thr, &s);
    if (!tt)
        return;
    struct weft__task *cur = thr->task ? thr->task : &s->implicit;
    credit_return(cur);
    if (weft__load(&cur->rc, WEFT__ACQUIRE) >> 32)
        help_until_rc(thr, tt, s, &cur->rc, 32, 0);
    /* Every child is done: their dependence entries order nothing. */
    if (cur->deps)
        deps_clear(s, cur);
}

void WEFT_taskgroup_begin(const struct weft_loc *loc) {
    (void)loc;
    struct weft__thr *thr = weft__thr_self();
    if (!thr->team || thr->team->nthreads < 2)
        return; /* every task runs inline: the group is already complete */
    struct weft__task_team *tt = tt_get(thr->team);
    struct weft__task_slot *s = slot_get(tt, thr->tid);
    struct weft__task *cur = thr->task ? thr->task : &s->implicit;
    struct weft__taskgroup *g = s->free_groups;
    if (g)
        s->free_groups = g->prev;
    else
        g = weft__malloc(sizeof *g);
    weft__store(&g->count, 0, WEFT__RELAXED);
    g->prev = cur->cur_group;
    cur->cur_group = g;
}

void WEFT_taskgroup_end(const struct weft_loc *loc) {
    struct weft__thr *thr = weft__tls_thr;
    struct weft__task_slot *s = NULL;
    struct weft__task_team *tt = here(thr, &s);
    if (!tt)
        return;
    struct weft__task *cur = thr->task ? thr->task : &s->implicit;
    struct weft__taskgroup *g = cur->cur_group;
    if (!g)
        weft__fatal(loc,
                    "end of a taskgroup that was never begun in this task");
    if (weft__load(&g->count, WEFT__ACQUIRE))
        help_until(thr, tt, s, &g->count, 0);
    cur->cur_group = g->prev;
    g->prev = s->free_groups;
    s->free_groups = g;
}

void WEFT_taskyield(const struct weft_loc *loc) {
    (void)loc;
    struct weft__thr *thr = weft__tls_thr;
    struct weft__task_slot *s = NULL;
    struct weft__task_team *tt = here(thr, &s);
    struct weft__task *t =
        tt ? find_task(tt, s, thr->tid, thr->team->nthreads) : NULL;
    if (t)
        task_execute(thr, tt, s, t);
    else
        weft__sys_yield();
}

int weft_in_final(void) {
    struct weft__thr *thr = weft__tls_thr;
    return thr && thr->task && thr->task->final;
}

/* ------------------------------------------------------------------ */
/* taskloop                                                            */
/* ------------------------------------------------------------------ */

void WEFT_taskloop(const struct weft_loc *loc, uint64_t n, weft_taskloop_fn fn,
                   void *arg_template, size_t arg_size, size_t arg_align,
                   int64_t grainsize, int64_t num_tasks, unsigned flags) {
    if (!fn)
        weft__fatal(loc, "taskloop without a body");
    if (grainsize < 0 || num_tasks < 0)
        weft__fatal(loc, "taskloop grainsize and num_tasks must be positive");
    if (grainsize > 0 && num_tasks > 0)
        weft__fatal(loc, "taskloop has both grainsize and num_tasks");
    if (arg_size && !arg_template)
        weft__fatal(loc,
                    "taskloop with a %zu-byte argument block but no template",
                    arg_size);
    if (n == 0)
        return;
    struct weft__thr *thr = weft__thr_self();
    uint64_t nth = thr->team ? thr->team->nthreads : 1;
    uint64_t ntasks;
    if (grainsize > 0) {
        /* floor(n / g) tasks: each gets n / ntasks >= g iterations, and
         * fewer than 2g since n < (ntasks + 1) * g. */
        ntasks = n / (uint64_t)grainsize;
        if (ntasks == 0)
            ntasks = 1;
    } else if (num_tasks > 0) {
        ntasks = (uint64_t)num_tasks < n ? (uint64_t)num_tasks : n;
    } else {
        ntasks = nth * WEFT_TASKLOOP_PER_THREAD;
        if (ntasks > n)
            ntasks = n;
    }
    int group = !(flags & WEFT_TASKLOOP_NOGROUP);
    if (group)
        WEFT_taskgroup_begin(loc);
    /* The first n % ntasks chunks get one extra iteration. */
    uint64_t base = n / ntasks, extra = n % ntasks, lo = 0;
    unsigned tflags = flags & ~WEFT_TASKLOOP_NOGROUP;
    for (uint64_t i = 0; i < ntasks; i++) {
        uint64_t len = base + (i < extra);
        struct body b = {NULL, fn, lo, lo + len};
        spawn(loc, &b, arg_template, arg_size, arg_align, tflags, NULL, 0);
        lo += len;
    }
    if (group)
        WEFT_taskgroup_end(loc);
}

/* ------------------------------------------------------------------ */
/* Team hooks: fork, barrier, region end, teardown                     */
/* ------------------------------------------------------------------ */

void weft__task_fork(struct weft__team *team) {
    if (!weft__load(&team->tasks, WEFT__RELAXED)) {
        team->task_end = 0;
        return;
    }
    /* A team whose last region used tasks probably uses them again: end
     * this region with a task barrier so that every member helps with
     * tasks created late. Otherwise members that finish early leave and
     * the creators drain their own tasks. */
    team->task_end = weft__load(&team->task_on, WEFT__RELAXED) != 0;
    weft__store(&team->task_on, 0, WEFT__RELAXED);
}

/* Drops the dependence table of this member's implicit task once all the
 * team's tasks are done. */
static void implicit_reset(struct weft__thr *thr, struct weft__team *team) {
    struct weft__task_team *tt = weft__load(&team->tasks, WEFT__ACQUIRE);
    struct weft__task_slot *s =
        tt ? weft__load(&tt->slots[thr->tid], WEFT__RELAXED) : NULL;
    if (s && s->implicit.deps)
        deps_clear(s, &s->implicit);
}

/* A barrier waiter may sleep only while no task of the team is
 * outstanding: it then cannot miss work, because a creator raises
 * outstanding and then checks sleepers (both seq_cst), and we raised
 * sleepers before calling this. */
static int barrier_busy(struct weft__team *team) {
    struct weft__task_team *tt = weft__load(&team->tasks, WEFT__SEQ_CST);
    return tt && outstanding(tt) != 0;
}

static void task_barrier_episode(struct weft__thr *thr,
                                 struct weft__team *team);

void weft__task_barrier(struct weft__thr *thr, struct weft__team *team) {
    /* Traced like weft__barrier_wait (trace.c), the time spent running
     * tasks inside the barrier included. */
    if (__builtin_expect(weft__prof_mode & WEFT__PROF_TRACE, 0)) {
        uint64_t t0 = weft__prof_now();
        task_barrier_episode(thr, team);
        weft__prof_wait_end(t0, "barrier");
        return;
    }
    task_barrier_episode(thr, team);
}

static void task_barrier_episode(struct weft__thr *thr,
                                 struct weft__team *team) {
    struct weft__barrier *b = &team->bar;
    unsigned n = team->nthreads;
    /* Episode protocol as in weft__barrier_wait (barrier.c). */
    uint32_t g = weft__load(&b->gen, WEFT__ACQUIRE);
    if (weft__fetch_add(&b->arrived, 1, WEFT__ACQ_REL) == n - 1) {
        /* The arrivals acquired above carry every member's task_on store:
         * one relaxed load tells whether this region has tasks at all. */
        if (weft__load(&team->task_on, WEFT__RELAXED)) {
            struct weft__task_team *tt = tt_get(team);
            drain(thr, tt, slot_get(tt, thr->tid));
            implicit_reset(thr, team);
        }
        weft__store(&b->arrived, 0, WEFT__RELAXED);
        weft__store(&b->gen, g + 1, WEFT__SEQ_CST);
        weft__wake_sleepers(&b->gen, &b->sleepers, INT32_MAX);
        return;
    }
    /* Waiter: run the team's tasks while the barrier is closed; spin as
     * weft__wait_change does, then sleep on gen unless tasks are
     * outstanding (a creator wakes gen's sleepers). */
    int64_t spin = weft__load(&weft__g.spin_ns, WEFT__RELAXED);
    int oversub = weft__load(&weft__g.oversub, WEFT__RELAXED);
    if (oversub && spin > (int64_t)WEFT_SPIN_US_OVERSUB * 1000)
        spin = (int64_t)WEFT_SPIN_US_OVERSUB * 1000;
    uint64_t deadline = 0;
    unsigned i = 0;
    int tasks = 0;
    while (weft__load(&b->gen, WEFT__ACQUIRE) == g) {
        if (weft__load(&team->task_on, WEFT__RELAXED)) {
            struct weft__task_team *tt = tt_get(team);
            struct weft__task_slot *s = slot_get(tt, thr->tid);
            struct weft__task *t = find_task(tt, s, thr->tid, n);
            tasks = 1;
            if (t) {
                task_execute(thr, tt, s, t);
                deadline = 0;
                continue;
            }
        }
        if (oversub)
            weft__sys_yield();
        else
            weft__cpu_relax();
        if ((++i & (WEFT_SPIN_CLOCK_EVERY - 1)) != 0)
            continue;
        uint64_t now = weft__sys_monotonic_ns();
        if (!deadline) {
            deadline = now + (uint64_t)(spin > 0 ? spin : 0);
            continue;
        }
        if (now < deadline && !weft__load(&weft__g.exiting, WEFT__RELAXED))
            continue;
        weft__fetch_add(&b->sleepers, 1, WEFT__SEQ_CST);
        if (weft__load(&b->gen, WEFT__SEQ_CST) == g && !barrier_busy(team))
            weft__futex_wait(&b->gen, g, -1);
        else if (weft__load(&b->gen, WEFT__RELAXED) == g)
            weft__sys_yield(); /* tasks run elsewhere: do not burn a core */
        weft__fetch_sub(&b->sleepers, 1, WEFT__RELAXED);
        deadline = 0;
    }
    if (tasks)
        implicit_reset(thr, team);
}

void weft__task_region_end(struct weft__thr *thr, struct weft__team *team) {
    if (team->task_end) {
        weft__task_barrier(thr, team);
        return;
    }
    if (!weft__load(&team->task_on, WEFT__RELAXED))
        return;
    /* Only members that saw tasks get here; those that left earlier made
     * none, and whoever made one drains it before leaving. */
    struct weft__task_team *tt = tt_get(team);
    drain(thr, tt, slot_get(tt, thr->tid));
    implicit_reset(thr, team);
}

void weft__task_team_free(struct weft__team *team) {
    struct weft__task_team *tt = weft__load(&team->tasks, WEFT__RELAXED);
    if (!tt)
        return;
    for (unsigned i = 0; i < WEFT_MAX_THREADS; i++) {
        struct weft__task_slot *s = weft__load(&tt->slots[i], WEFT__RELAXED);
        if (!s)
            continue;
        weft__deque_destroy(&s->dq);
        struct weft__task *t = s->free;
        while (t) {
            struct weft__task *next = t->next_free;
            weft__free(t);
            t = next;
        }
        t = weft__load(&s->remote_free, WEFT__ACQUIRE);
        while (t) {
            struct weft__task *next = t->next_free;
            weft__free(t);
            t = next;
        }
        for (t = s->ret_head; t;) {
            struct weft__task *next = t->next_free;
            weft__free(t);
            t = next;
        }
        while (s->free_groups) {
            struct weft__taskgroup *g = s->free_groups;
            s->free_groups = g->prev;
            weft__free(g);
        }
        if (s->implicit.deps)
            deps_clear(s, &s->implicit);
        weft__free(s);
    }
    weft__free(tt);
    weft__store(&team->tasks, NULL, WEFT__RELAXED);
}
