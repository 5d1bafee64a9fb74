/* This file is the contract between weftcc's generated code and libweft.
 * Only translator output includes it. Every entry point says which source
 * construct lowers to it. Entry points never return errors: on an impossible
 * state they print the user's file:line (from the weft_loc) and abort. */
#ifndef WEFT_ABI_H
#define WEFT_ABI_H

#include <stddef.h>
#include <stdint.h>

#include "weft/version.h"
#include "../weft.h"

#ifdef __cplusplus
extern "C" {
#endif

/** \brief Where a construct sits in the user's source. The translator emits
 * one `static const struct weft_loc` per construct (libomp's ident_t). */
struct weft_loc {
    const char *file; /**< user's file name, as given to the compiler */
    const char *func; /**< enclosing function */
    unsigned line;    /**< 1-based line of the pragma */
    unsigned col;     /**< 1-based column of the pragma */
};

/* ------------------------------------------------------------------ */
/* Canonical loops and trip counts                                    */
/* ------------------------------------------------------------------ */

/** \brief Comparison of a canonical loop's test, `var OP ub`. */
enum weft_cmp {
    WEFT_CMP_LT = 0, /**< var <  ub */
    WEFT_CMP_LE = 1, /**< var <= ub */
    WEFT_CMP_GT = 2, /**< var >  ub */
    WEFT_CMP_GE = 3, /**< var >= ub */
    WEFT_CMP_NE = 4  /**< var != ub (step must reach ub exactly) */
};

/** \brief Type of a canonical loop's variable: width in bits (8, 16, 32, 64)
 * ORed with WEFT_TYPE_SIGNED for signed types. Pointer loops are lowered by
 * the translator to a signed 64-bit element index. */
#define WEFT_TYPE_SIGNED 0x100u

/** \brief Number of iterations of `for (v = lb; v CMP ub; v += step)`.
 *
 * Lowered from: the header of every canonical loop (`parallel for`, `for`,
 * `taskloop`, cluster loops). The translator evaluates lb, ub and step once,
 * converts them to 64 bits (sign- or zero-extended per the variable's type)
 * and calls this; the arithmetic is done modulo 2^width of the variable's
 * type, so trip counts near the type's limits never overflow. A loop that
 * would never end (step 0, `!=` that steps over ub) is a fatal error naming
 * loc. Logical iteration k (0 <= k < n) has `v = lb + k * step`.
 *
 *     uint64_t n = WEFT_trip_count(&loc, (uint64_t)lb, (uint64_t)ub,
 *                                  (int64_t)step, WEFT_CMP_LT,
 *                                  32 | WEFT_TYPE_SIGNED);
 */
WEFT_API uint64_t WEFT_trip_count(const struct weft_loc *loc, uint64_t lb,
                                  uint64_t ub, int64_t step, int cmp,
                                  unsigned type);

/* ------------------------------------------------------------------ */
/* Outlined bodies, reductions and loop descriptors                   */
/* ------------------------------------------------------------------ */

/** \brief Outlined loop body: runs logical iterations [lo, hi) in a tight
 * loop. `red` is the calling thread's reduction partial (NULL without a
 * reduction clause); the body folds into it. */
typedef void (*weft_chunk_fn)(void *data, uint64_t lo, uint64_t hi, void *red);

/** \brief Outlined parallel-region body, run once by every team thread. */
typedef void (*weft_region_fn)(void *data, void *red);

/** \brief Operators of a built-in reduction table entry (weft_red_var).
 * `-` combines as `+` (OpenMP). min/max update with `if (x < a) a = x;`
 * (`>` for max), so a NaN partial never replaces a value and a NaN
 * original stays NaN, as the generated helpers do. */
#define WEFT_RED_ADD 1u  /**< `+` and `-`: a = a + x */
#define WEFT_RED_MUL 2u  /**< a = a * x */
#define WEFT_RED_AND 3u  /**< a = a & x (integer types only) */
#define WEFT_RED_OR 4u   /**< a = a | x (integer types only) */
#define WEFT_RED_XOR 5u  /**< a = a ^ x (integer types only) */
#define WEFT_RED_LAND 6u /**< a = a && x */
#define WEFT_RED_LOR 7u  /**< a = a || x */
#define WEFT_RED_MIN 8u  /**< if (x < a) a = x */
#define WEFT_RED_MAX 9u  /**< if (x > a) a = x */

/** \brief Element types of a built-in reduction table entry: C's
 * arithmetic scalar types by representation (`char` is I8 or U8 as the
 * target spells it; `long` and `long long` are I64 on LP64). Any other
 * type (complex, structs, user-defined reductions) keeps generated
 * init/combine/fini functions. */
#define WEFT_RED_T_BOOL 1u     /**< _Bool */
#define WEFT_RED_T_I8 2u       /**< signed char (and char if signed) */
#define WEFT_RED_T_U8 3u       /**< unsigned char (and char if unsigned) */
#define WEFT_RED_T_I16 4u      /**< short */
#define WEFT_RED_T_U16 5u      /**< unsigned short */
#define WEFT_RED_T_I32 6u      /**< int (32-bit) */
#define WEFT_RED_T_U32 7u      /**< unsigned int */
#define WEFT_RED_T_I64 8u      /**< long, long long (64-bit) */
#define WEFT_RED_T_U64 9u      /**< unsigned long, unsigned long long */
#define WEFT_RED_T_FLOAT 10u   /**< float */
#define WEFT_RED_T_DOUBLE 11u  /**< double */
#define WEFT_RED_T_LDOUBLE 12u /**< long double */

/** \brief One reduction variable run by the runtime's built-in table
 * (additive in ABI version 1). A scalar lives at `offset` in a partial; an
 * array section of `*(size_t *)cap[len_cap]` elements lives at
 * `((size_t *)cap[roff_cap])[roff_idx]` (computed at the call site), where
 * cap is the construct's capture block (`void **`, the `data` argument).
 * cap[orig_cap] is the address of the original scalar, or of the first
 * element of the original section. The translator emits the table
 * `static const`:
 *
 *     static const struct weft_red_var __weft_rv_7[] = {
 *         {WEFT_RED_ADD, WEFT_RED_T_DOUBLE,
 *          __builtin_offsetof(struct __weft_red_7, sum), 3, -1, -1, 0}};
 */
struct weft_red_var {
    unsigned op;   /**< WEFT_RED_* operator */
    unsigned type; /**< WEFT_RED_T_* element type */
    size_t offset; /**< scalar: byte offset in a partial */
    int orig_cap;  /**< capture slot of the original's address */
    int len_cap;   /**< section: slot of its length (size_t); -1: scalar */
    int roff_cap;  /**< section: slot of the size_t offsets array */
    int roff_idx;  /**< section: index of its offset in that array */
};

/** \brief Flags of a weft_reduction. */
#define WEFT_RED_LOCKED                                                        \
    0x1u /**< fini runs between WEFT_atomic_begin and WEFT_atomic_end: the     \
            construct is nested in an outlined body, and sibling teams may     \
            finish into the same originals */

/** \brief Reduction of one construct.
 * With functions (init != NULL), generated per construct:
 * init(data, slot): sets a partial to the identities of its operators.
 * combine(data, into, from): into = into OP from, for every variable.
 * fini(data, slot): folds the team's total into the original variables.
 * Without (init, combine and fini NULL): the runtime runs the `nvars`
 * entries of `vars`, same semantics, same operation order (this is how
 * built-in operators on arithmetic types are lowered; `flags` applies to
 * the table only: generated fini functions lock by themselves).
 * The runtime owns the partials: one per thread, each `size` bytes aligned
 * to at least `align` and padded to whole cache lines; it calls init before
 * a thread's first chunk, combines the partials in thread order once per
 * construct (deterministic for a given schedule), then calls fini once
 * (fini = original OP total). */
struct weft_reduction {
    size_t size;  /**< bytes of one partial (may depend on runtime sizes) */
    size_t align; /**< alignment of a partial; 0 means 16 */
    void (*init)(void *data, void *slot);
    void (*combine)(void *data, void *into, const void *from);
    void (*fini)(void *data, void *slot);
    const struct weft_red_var *vars; /**< table when init == NULL */
    unsigned nvars;                  /**< entries of vars */
    unsigned flags;                  /**< WEFT_RED_LOCKED */
};

/** \brief Flags of a loop or region descriptor. */
#define WEFT_LOOP_NOWAIT 0x1u   /**< `nowait`: no barrier at the end */
#define WEFT_LOOP_ORDERED 0x2u  /**< `ordered` clause: body uses ordered */
#define WEFT_LOOP_IF_FALSE 0x4u /**< `if(expr)` was false: team of one */

/** \brief Schedule kinds in a loop descriptor (values of weft_sched_t,
 * plus WEFT_SCHED_RUNTIME and the modifier bits). 0 = not specified, which
 * uses the default (static, or the run-sched-var's def-sched-var). */
#define WEFT_SCHED_RUNTIME 5
#define WEFT_SCHED_KIND_MASK 0xff
#define WEFT_SCHED_MOD_MONOTONIC 0x100
#define WEFT_SCHED_MOD_NONMONOTONIC 0x200

/** \brief Proc-bind policies of `proc_bind(...)` (0 = not specified). */
enum weft_proc_bind {
    WEFT_BIND_UNSET = 0,
    WEFT_BIND_FALSE = 1,
    WEFT_BIND_TRUE = 2,
    WEFT_BIND_PRIMARY = 3,
    WEFT_BIND_CLOSE = 4,
    WEFT_BIND_SPREAD = 5
};

/** \brief One worksharing loop, filled by generated code (usually on the
 * stack) and read by the runtime. All fields are read before the call
 * returns; the runtime keeps no pointer to it afterwards. */
struct weft_loop {
    const struct weft_loc *loc;
    uint64_t n;         /**< logical trip count (WEFT_trip_count) */
    int sched;          /**< WEFT_SCHED_* | WEFT_SCHED_MOD_* or 0 */
    int num_threads;    /**< `num_threads(e)`, 0 if absent */
    int64_t chunk;      /**< chunk size in iterations, 0 if absent */
    int proc_bind;      /**< enum weft_proc_bind */
    unsigned flags;     /**< WEFT_LOOP_* */
    weft_chunk_fn body; /**< outlined body */
    void *data;         /**< capture block passed to body */
    const struct weft_reduction *red; /**< NULL without reduction clauses */
};

/** \brief `#pragma omp parallel for` / `#pragma weft parallel for`.
 * Forks a team, schedules [0, n) over it, combines reductions, joins.
 *
 *     static const struct weft_loc L = {"a.c", "f", 12, 1};
 *     struct weft_loop lp = {&L, n, WEFT_SCHED_DYNAMIC, 0, 64, 0, 0,
 *                            body_12, &cap, &red_12};
 *     WEFT_parallel_for(&lp);
 */
WEFT_API void WEFT_parallel_for(const struct weft_loop *loop);

/** \brief `#pragma omp for` inside a parallel region (or orphaned in a
 * function called from one, or outside any region: then a team of one).
 * Every thread of the binding team must call it with an equal descriptor;
 * ends with a team barrier unless WEFT_LOOP_NOWAIT. */
WEFT_API void WEFT_for(const struct weft_loop *loop);

/** \brief One parallel region. */
struct weft_region {
    const struct weft_loc *loc;
    weft_region_fn body;
    void *data;
    int num_threads;                  /**< `num_threads(e)`, 0 if absent */
    int proc_bind;                    /**< enum weft_proc_bind */
    unsigned flags;                   /**< WEFT_LOOP_IF_FALSE */
    const struct weft_reduction *red; /**< NULL without reduction clauses */
};

/** \brief `#pragma omp parallel`: runs body on every thread of a new team
 * (one thread when nested and nesting is off), then joins. */
WEFT_API void WEFT_parallel(const struct weft_region *region);

/* ------------------------------------------------------------------ */
/* Synchronisation inside a region                                    */
/* ------------------------------------------------------------------ */

/** \brief `#pragma omp barrier`. */
WEFT_API void WEFT_barrier(const struct weft_loc *loc);

/** \brief `#pragma omp critical [(name)]`: one lock per name; the
 * translator emits one `static void *lock_<name>` per name per file and
 * the runtime resolves equal names across files to one lock.
 *
 *     static void *crit_ = 0;
 *     WEFT_critical_begin(&L, "", &crit_); ... WEFT_critical_end(&L, &crit_);
 */
WEFT_API void WEFT_critical_begin(const struct weft_loc *loc, const char *name,
                                  void **lock);
WEFT_API void WEFT_critical_end(const struct weft_loc *loc, void **lock);

/** \brief `#pragma omp single`: returns non-zero in the one thread that runs
 * the block. The block is followed by WEFT_single_end(). */
WEFT_API int WEFT_single_begin(const struct weft_loc *loc);
/** \brief End of `single`: barrier unless nowait (flags WEFT_LOOP_NOWAIT). */
WEFT_API void WEFT_single_end(const struct weft_loc *loc, unsigned flags);

/** \brief `#pragma omp single copyprivate(list)`: called by every thread of
 * the team after the single block; `mine` is the single thread's array of
 * the addresses of the listed variables (NULL in the other threads).
 * Returns that array to every thread (after a team barrier); each thread
 * then copies the values into its own variables, and the construct ends
 * with WEFT_barrier() so that the source outlives every copy.
 *
 *     void *cpv[] = {&x}; void **src = 0;
 *     if (WEFT_single_begin(&L)) { x = 1; src = cpv; }
 *     src = (void **)WEFT_copyprivate(&L, src);
 *     if (src != cpv) memcpy(&x, src[0], sizeof x);
 *     WEFT_barrier(&L);
 */
WEFT_API void *WEFT_copyprivate(const struct weft_loc *loc, void *mine);

/** \brief `#pragma omp ordered` inside a loop with the ordered clause:
 * waits until every logical iteration before k has left its ordered block.
 * An iteration that has already left its ordered block passes both calls
 * without effect (H31: the chunk's end-of-iteration turn after an orphaned
 * block). */
WEFT_API void WEFT_ordered_begin(const struct weft_loc *loc, uint64_t k);
WEFT_API void WEFT_ordered_end(const struct weft_loc *loc, uint64_t k);
/** \brief H31: k of WEFT_ordered_begin/end for an orphaned `#pragma omp
 * ordered` (in a function that an ordered loop's body calls): the logical
 * iteration the calling thread runs now, as WEFT_ordered_iter last set it;
 * outside an ordered loop's iteration both calls do nothing. */
#define WEFT_ORDERED_CURRENT UINT64_MAX
/** \brief H31: a chunk of a loop with the ordered clause starts logical
 * iteration k (called before each iteration's body). */
WEFT_API void WEFT_ordered_iter(uint64_t k);

/** \brief `#pragma omp atomic` on a type the hardware cannot update
 * atomically (long double, complex): one global lock around the update. */
WEFT_API void WEFT_atomic_begin(void);
WEFT_API void WEFT_atomic_end(void);

/** \brief Inserted by the translator at the top of `main` in every program
 * it builds: checks the ABI version and, in a process started as a cluster
 * worker, serves chunks instead of returning (later ABI additions). */
WEFT_API void WEFT_main_enter(const struct weft_loc *loc, int abi_version);

/* ------------------------------------------------------------------ */
/* Cluster loops: `#pragma weft parallel for cluster map(...)`         */
/* ------------------------------------------------------------------ */

/** \brief Kinds of `map(kind: section)`. */
#define WEFT_MAP_TO 1u     /**< sent to each worker, cached by content */
#define WEFT_MAP_FROM 2u   /**< written by the chunk, copied back */
#define WEFT_MAP_TOFROM 3u /**< sent for the chunk, copied back */

/** \brief One mapped section, in elements of the mapped array.
 * TO sections are fixed: [b, b + len) (a == 0).
 * FROM and TOFROM sections follow the loop: logical iteration k uses
 * [a*k + b, a*k + b + len). The translator converts the user's section,
 * written in the loop variable v = lb + k*step, to logical k
 * (a = a_v * step, b = a_v * lb + b_v), so the runtime knows exactly which
 * slices a chunk [lo, hi) reads and writes. */
struct weft_map {
    unsigned kind;    /**< WEFT_MAP_* */
    unsigned cap;     /**< capture slot of the array or pointer variable */
    size_t elem_size; /**< sizeof one element */
    int64_t a;        /**< elements per logical iteration (0 for TO) */
    int64_t b;        /**< first element at k = 0 */
    uint64_t len;     /**< elements per iteration (TO: whole section) */
};

/** \brief How a capture slot travels to a worker. */
#define WEFT_CAP_VALUE 1u /**< copy `size` bytes (scalars, structs) */
#define WEFT_CAP_MAPPED_PTR                                                    \
    2u /**< slot holds a pointer variable that a                               \
            map names: the worker points it at its                             \
            copy of the section */
#define WEFT_CAP_MAPPED_ARRAY                                                  \
    3u /**< slot IS the array storage that a map                               \
            names (local array captured by address) */

/** \brief One capture slot of a cluster body: the capture block (`data`)
 * is an array of `void *`, slot i pointing at the variable. */
struct weft_capture {
    size_t size;    /**< bytes of the variable (WEFT_CAP_VALUE) */
    unsigned flags; /**< WEFT_CAP_* */
};

/** \brief A cluster body, registered at start-up by every process of the
 * same binary so that a worker finds it by key; no function address ever
 * crosses the wire. */
struct weft_cluster_body {
    const char *key;                  /**< "file:line:col", unique */
    weft_chunk_fn body;               /**< the outlined chunk function */
    const struct weft_reduction *red; /**< functions (size comes per call) */
    unsigned ncap;                    /**< capture slots */
    const struct weft_capture *caps;  /**< ncap entries */
};

/** \brief Registers a translation unit's cluster bodies. The translator
 * emits one constructor per file that calls this; it only records the
 * table (the worker role starts later, from WEFT_main_enter).
 *
 *     static const struct weft_cluster_body B_[] = {{"a.c:12:1", body_12,
 *         &red_12, 3, caps_12}};
 *     __attribute__((constructor)) static void reg_(void)
 *     { WEFT_cluster_register(B_, 1); }
 */
WEFT_API void WEFT_cluster_register(const struct weft_cluster_body *bodies,
                                    unsigned n);

/** \brief One cluster loop. `loop.data` is the capture block. */
struct weft_cluster_loop {
    struct weft_loop loop;                 /**< as for WEFT_parallel_for */
    const struct weft_cluster_body *entry; /**< registered entry */
    const struct weft_map *maps;           /**< nmap sections */
    unsigned nmap;
};

/** \brief `#pragma weft parallel for cluster map(...)`: runs chunks of the
 * loop on the local team and on connected workers from one pull queue;
 * without workers it is WEFT_parallel_for. Returns when every chunk's
 * results have been applied exactly once. */
WEFT_API void WEFT_parallel_for_cluster(const struct weft_cluster_loop *cl);

/* ------------------------------------------------------------------ */
/* Explicit tasks: task, taskwait, taskgroup, taskyield, taskloop      */
/* ------------------------------------------------------------------ */

/** \brief Flags of WEFT_task and WEFT_taskloop (clauses of the construct). */
#define WEFT_TASK_IF_FALSE 0x1u /**< `if(expr)` was false: undeferred */
#define WEFT_TASK_FINAL                                                        \
    0x2u /**< `final(expr)` was true: the task and                             \
              all its descendants run included */
#define WEFT_TASK_UNTIED                                                       \
    0x4u                         /**< `untied`: accepted; weft tasks never     \
                                      migrate, so it runs as tied */
#define WEFT_TASK_MERGEABLE 0x8u /**< `mergeable`: accepted, no effect */
#define WEFT_TASKLOOP_NOGROUP                                                  \
    0x100u /**< taskloop `nogroup`: no implicit                                \
                taskgroup around the tasks */

/** \brief Kinds of a `depend(kind: list)` item. */
#define WEFT_DEP_IN 1u    /**< `depend(in: x)` */
#define WEFT_DEP_OUT 2u   /**< `depend(out: x)` */
#define WEFT_DEP_INOUT 3u /**< `depend(inout: x)`, ordered like out */

/** \brief One dependence item: the translator emits one per list item, with
 * the address of the storage location named (`&x`, `&a[i]`, `p`). Only
 * sibling tasks (same parent) are ordered, by address equality, with
 * OpenMP's rules: in after the last out/inout; out/inout after the last
 * out/inout and every in since. */
struct weft_depend {
    void *addr;    /**< address of the list item */
    unsigned kind; /**< WEFT_DEP_* */
};

/** \brief `#pragma omp task [if(e)] [final(e)] [untied] [mergeable]
 * [depend(...)]`: creates an explicit task running fn(arg).
 *
 * The translator outlines the task body into fn and builds the task's
 * argument block on the stack: firstprivate values (OpenMP's default for
 * variables not shared in the enclosing context) and the addresses of
 * shared variables. The runtime copies the block (arg_size bytes, aligned
 * to arg_align; 0 means 16) into task storage before returning, so the
 * template may die at once; when it runs the task immediately (undeferred:
 * if(false), final, inside a final task, the cut-off, a team of one or no
 * team) it calls fn(arg_template) directly, before returning. deps points
 * to ndeps items (NULL when 0); the task does not start until its
 * predecessors among its siblings have completed. Tasks created outside any
 * parallel region run immediately.
 *
 *     struct fib_args a = {n - 1, &x};      (firstprivate n, shared x)
 *     WEFT_task(&L7, fib_task_7, &a, sizeof a, _Alignof(struct fib_args),
 *               0, NULL, 0);
 */
WEFT_API void WEFT_task(const struct weft_loc *loc, void (*fn)(void *arg),
                        void *arg_template, size_t arg_size, size_t arg_align,
                        unsigned flags, const struct weft_depend *deps,
                        unsigned ndeps);

/** \brief `#pragma omp taskwait`: waits until every child task of the
 * current task has completed (not grandchildren), running queued tasks
 * meanwhile. */
WEFT_API void WEFT_taskwait(const struct weft_loc *loc);

/** \brief `#pragma omp taskgroup` { ... }: begin opens the group; end
 * waits until every task created in the group, and every descendant of
 * those, has completed (running tasks meanwhile). Calls pair up in the
 * same task, like the structured block.
 *
 *     WEFT_taskgroup_begin(&L9); ...body... WEFT_taskgroup_end(&L9);
 */
WEFT_API void WEFT_taskgroup_begin(const struct weft_loc *loc);
WEFT_API void WEFT_taskgroup_end(const struct weft_loc *loc);

/** \brief `#pragma omp taskyield`: a task scheduling point; runs at most
 * one queued task of the team, else yields the processor. */
WEFT_API void WEFT_taskyield(const struct weft_loc *loc);

/** \brief Outlined taskloop body: runs logical iterations [lo, hi). */
typedef void (*weft_taskloop_fn)(void *arg, uint64_t lo, uint64_t hi);

/** \brief `#pragma omp taskloop [grainsize(g)] [num_tasks(k)] [nogroup]
 * [if(e)] [final(e)] [untied] [mergeable]` over a canonical loop of n
 * logical iterations (WEFT_trip_count). Splits [0, n) into tasks, each
 * running fn(copy of arg, lo, hi) on its own copy of the argument block
 * (same rules as WEFT_task): grainsize > 0 gives floor(n / grainsize)
 * tasks (at least 1) of at least grainsize and fewer than 2 * grainsize
 * iterations; num_tasks > 0 gives min(num_tasks, n) tasks; both 0 gives
 * about WEFT_TASKLOOP_PER_THREAD tasks per team thread. Chunk sizes differ
 * by at most one. Without WEFT_TASKLOOP_NOGROUP the call is wrapped in a
 * taskgroup and returns once every chunk has run. flags: WEFT_TASK_* |
 * WEFT_TASKLOOP_NOGROUP. Giving both grainsize and num_tasks is a fatal
 * error (OpenMP forbids it).
 *
 *     WEFT_taskloop(&L3, n, body_3, &cap, sizeof cap, _Alignof(cap),
 *                   64, 0, 0);
 */
WEFT_API void WEFT_taskloop(const struct weft_loc *loc, uint64_t n,
                            weft_taskloop_fn fn, void *arg_template,
                            size_t arg_size, size_t arg_align,
                            int64_t grainsize, int64_t num_tasks,
                            unsigned flags);

#ifdef __cplusplus
}
#endif
#endif /* WEFT_ABI_H */
