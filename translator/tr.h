/* This file handles the translator's shared internal declarations: the
 * per-file context that the passes (parse -> directive -> analyze ->
 * outline -> emit) fill in turn, and the small utilities they share
 * (growable strings, a C token scanner, libclang helpers, diagnostics).
 * Every name here is translator-internal (tr_ prefix). */
#ifndef WEFT_TR_H
#define WEFT_TR_H

#include <clang-c/Index.h>
#include <stddef.h>
#include <stdint.h>

#include "translate.h"

/* ------------------------------------------------------------------ */
/* Growable strings (cxutil.c)                                        */
/* ------------------------------------------------------------------ */

/* A NUL-terminated growable string; aborts on out-of-memory, since the
 * translator is a short-lived tool with no sensible recovery. */
struct tr_buf {
    char *s;
    size_t len, cap;
};

void tr_buf_addn(struct tr_buf *b, const char *s, size_t n);
/* Appends s as the body of a C string literal (escapes \ and "). */
void tr_buf_add_cstr(struct tr_buf *b, const char *s);
void tr_buf_add(struct tr_buf *b, const char *s);
void tr_buf_printf(struct tr_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void tr_buf_free(struct tr_buf *b);
char *tr_strndup(const char *s, size_t n);
char *tr_strdup(const char *s);
void *tr_xcalloc(size_t n, size_t size);
void *tr_xrealloc(void *p, size_t size);

/* Copies a CXString into malloc'd memory and disposes it (c-index-test's
 * PrintCXStringAndDispose pattern). Ownership: caller frees the result. */
char *tr_cxstr(CXString s);

/* ------------------------------------------------------------------ */
/* C tokens over the original text (cxutil.c)                         */
/* ------------------------------------------------------------------ */

enum tr_tok_kind { TR_TK_EOF, TR_TK_IDENT, TR_TK_NUM, TR_TK_STR, TR_TK_PUNCT };

struct tr_tok {
    enum tr_tok_kind kind;
    unsigned off, len; /* byte range in the scanned text */
};

/* Scans the token at or after *pos in text[0..end) (skipping white space,
 * comments and backslash-newlines) and advances *pos past it. */
struct tr_tok tr_lex(const char *text, unsigned end, unsigned *pos);
/* Non-zero when token t of text spells s exactly. */
int tr_tok_is(const char *text, struct tr_tok t, const char *s);

/* ------------------------------------------------------------------ */
/* Diagnostics (diag.c)                                               */
/* ------------------------------------------------------------------ */

struct tr_ctx;

/* Records `file:line:col: error: msg` at byte offset off of the main file.
 * Errors are printed in source order when the pass pipeline stops. */
void tr_error(struct tr_ctx *cx, unsigned off, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Records an error already located (line, col) in the user's file. */
void tr_error_at(struct tr_ctx *cx, const char *file, unsigned line,
                 unsigned col, const char *msg);
void tr_diag_flush(struct tr_ctx *cx);
void tr_line_col(const struct tr_ctx *cx, unsigned off, unsigned *line,
                 unsigned *col);
/* Appends `#line N "file"` for offset off of the user's text (on a line of
 * its own), then, with pad, spaces up to off's column so that columns in
 * diagnostics stay right. */
void tr_buf_add_line(struct tr_ctx *cx, struct tr_buf *b, unsigned off,
                     int pad);

/* ------------------------------------------------------------------ */
/* Directives and clauses (directive.c)                               */
/* ------------------------------------------------------------------ */

enum tr_red_op {
    TR_RED_ADD,
    TR_RED_MUL,
    TR_RED_SUB,
    TR_RED_AND,
    TR_RED_OR,
    TR_RED_XOR,
    TR_RED_LAND,
    TR_RED_LOR,
    TR_RED_MIN,
    TR_RED_MAX
};

enum tr_dsa {
    TR_DSA_NONE = 0,
    TR_DSA_SHARED,
    TR_DSA_PRIVATE,
    TR_DSA_FIRSTPRIVATE,
    TR_DSA_LASTPRIVATE,
    TR_DSA_REDUCTION,
    TR_DSA_COPYIN,     /* H12: parallel copyin(threadprivate list) */
    TR_DSA_COPYPRIVATE /* H12: single copyprivate(list) */
};

/* One variable named in a data-sharing or reduction clause. */
struct tr_clause_var {
    char *name;
    unsigned off; /* offset of the name in the main file's text */
    enum tr_dsa dsa;
    enum tr_red_op op; /* reduction only */
    char *sec_lo;      /* array section `name[lo:len]`, else NULL */
    char *sec_len;
    CXCursor decl; /* resolved declaration (analyze.c) */
    int resolved;
    int also_first; /* firstprivate and lastprivate on one variable */
    /* H27: `reduction(id: ...)` with a user-defined reduction: the id as
     * written (NULL for a built-in operator), and, once analyze.c has
     * matched the variable's type, the declaration (in cx->udrs, which
     * grows only while directives are found, before analysis). */
    char *udr_id;
    const struct tr_udr *udr;
};

/* One `parallel for` construct, from its pragma's text. */
struct tr_directive {
    unsigned off;       /* offset of `#` or `_Pragma` or the macro name */
    unsigned end;       /* offset just past the pragma (its line's end) */
    unsigned line, col; /* of the pragma, 1-based */
    int is_weft;
    int sched, sched_mods;
    char *chunk; /* schedule chunk expression, or NULL */
    char *num_threads;
    char *if_expr;
    int proc_bind; /* enum weft_proc_bind */
    int nowait;
    int collapse; /* >= 1 */
    int default_none;
    int cluster;         /* `cluster` clause (weft only; cluster.c) */
    struct tr_map *maps; /* `map(...)` items, in clause order */
    int nmaps;
    struct tr_clause_var *vars;
    int nvars;
    /* H12 (regions): which construct, and its directive-specific parts. */
    int kind;            /* enum tr_kind; 0 = parallel for */
    char *arg;           /* critical name, flush list, threadprivate list,
                            atomic clause words; NULL if absent */
    unsigned arg_off;    /* offset of arg in the main file's text */
    unsigned clause_off; /* offset of the first clause (after the name) */
    char *clause_text;   /* the clauses as written (after the name) */
    char *filter;        /* masked filter(expr) */
    int ordered;         /* `ordered` clause */
    unsigned seen;       /* TR_CL_* bits of the clauses written */
    /* H18: task and taskloop clauses (expressions as written, or NULL). */
    char *final_expr, *priority, *grainsize, *num_tasks;
    int untied, mergeable, nogroup;
    struct tr_depend *deps; /* depend(...) items, in clause order */
    int ndeps;
    int simd; /* H25: `for simd`, `parallel for simd`, `taskloop simd` */
};

/* H18: one item of `depend(kind: list)`: addr is the C expression of the
 * item's address as seen where the task is created (`&(x)`, `&(a)[lo]`
 * for a section). */
struct tr_depend {
    unsigned kind; /* WEFT_DEP_* */
    char *addr;
    unsigned off; /* of the item, for diagnostics */
};

/* ------------------------------------------------------------------ */
/* Loops and variables (analyze.c)                                    */
/* ------------------------------------------------------------------ */

enum tr_cmp { TR_LT, TR_LE, TR_GT, TR_GE, TR_NE };

/* One canonical loop header of a (possibly collapsed) nest. */
struct tr_loop {
    CXCursor stmt;               /* the ForStmt */
    unsigned for_off;            /* offset of `for` */
    unsigned body_off, body_end; /* the body statement's text */
    unsigned end;                /* offset just past the whole statement */
    char *var;                   /* loop variable name */
    CXCursor var_decl;
    int declared_in_init; /* `for (T v = ...` */
    char *type;           /* spelling of v's type */
    int is_pointer;
    unsigned width; /* bits; 64 for pointers */
    int is_signed;
    char *lb, *ub, *step; /* expression texts; step already signed */
    int step_is_lit;      /* step is an integer literal */
    enum tr_cmp cmp;
};

enum tr_vclass {
    TR_V_COPY,    /* same-named local copy */
    TR_V_PTR,     /* by pointer, references rewritten */
    TR_V_PRIVATE, /* uninitialised local */
    TR_V_FIRSTPRIVATE,
    TR_V_LASTPRIVATE,
    TR_V_REDUCTION,
    TR_V_GLOBAL /* named directly: visible at file scope */
};

/* One variable the loop body references (or a clause names). */
struct tr_var {
    char *name;
    CXCursor decl;
    char *type;    /* spelling of the declared type */
    char *canon;   /* canonical type spelling */
    int is_local;  /* declared in the enclosing function */
    int is_static; /* static or extern local: file lifetime */
    int is_array, is_record, is_volatile, is_vla;
    int written, addr_taken, referenced, macro_ref;
    int is_vla_size; /* names a VLA size: declared first, as a copy */
    int region_priv; /* H12: 1 private, 2 firstprivate in a region because
                        an inner construct privatises it */
    enum tr_vclass cls;
    struct tr_clause_var *clause; /* or NULL */
    int cap;                      /* index in the capture block, -1 = none */
    int cap_first;                /* firstprivate+lastprivate: slot of the
                                     call-site snapshot, -1 = none */
    unsigned *refs;               /* offsets of reference tokens to rewrite */
    int nrefs;
};

/* One local type declaration of the enclosing function (copied into the
 * chunk function so that captured types and the body can name it). */
struct tr_local_type {
    unsigned off, end;
    char *names; /* names it declares, space-separated (types only) */
};

/* Everything known about one construct. */
struct tr_construct {
    int id;
    struct tr_directive dir;
    CXCursor func; /* enclosing function definition */
    char *func_name;
    char *user_func; /* H19: the user's function that func_name was outlined
                        from (weft_loc.func), or func_name itself */
    unsigned func_line_off; /* start of the line where the function starts */
    unsigned replace_off, replace_end; /* pragma through end of the loop */
    struct tr_loop loops[8];
    int nloops;
    struct tr_var *vars;
    int nvars;
    struct tr_local_type *types;
    int ntypes;
    int lastpriv_loopvar; /* lastprivate names the loop variable */
    int has_reduction;
    int recursive; /* body calls the enclosing function */
    char *proto;   /* the enclosing function's declaration */
    char *hints;   /* #pragma lines between the directive and the loop */
    char *cl_caps; /* cluster loops: weft_capture initialisers (cluster.c) */
    int cl_index;  /* cluster loops: index in the file's body table */
    int cl_ncap;   /* cluster loops: capture slots */
    /* H12: the associated statement, a region's body text (nloops == 0)
     * and extra edits of that text (names in nested pragmas). */
    CXCursor stmt;
    int has_stmt;
    unsigned body_off, body_end;
    struct tr_xedit *xed;
    int nxed;
};

/* Per-file state shared by the passes. */
struct tr_ctx {
    const char *path;    /* file to parse */
    const char *display; /* name in diagnostics and #line */
    int verbose;
    char *text; /* original main-file bytes */
    unsigned size;
    char *parse_text; /* copy handed to libclang (weft -> omp) */
    CXIndex index;
    CXTranslationUnit tu;
    CXFile file;
    struct tr_construct *cons;
    int ncons;
    struct tr_diag *diags;
    int ndiags, cap_diags;
    unsigned main_body_off;       /* just past `{` of main(), or 0 */
    struct tr_local_type *macros; /* #define lines of the main file */
    int nmacros;
    unsigned *mexp; /* start offsets of macro expansions */
    int nmexp;
    int has_main;
    /* H12: multi-pass lowering. pass 0 reads the user's file; later passes
     * re-read the previous pass's output, whose #line directives give the
     * user's places (tr_line_col honours them from pass 1 on). */
    int pass;
    int id_base;   /* construct ids of this pass start after it */
    int ndeferred; /* constructs at cons[ncons..ncons+ndeferred): nested
                      in a construct of this pass, lowered by a later one */
    /* H23 (macro.c): pass 0 rewrote macro invocations that expand to a
     * directive and its statement; text is the rewritten text, and this
     * maps its offsets back to the user's (tr_line_col). NULL: no
     * rewrite. */
    struct tr_mmap *mmap;
    /* H19: the user's function of every construct id of the earlier
     * passes (owned by tr_translate_file), so that a construct in an
     * outlined function (__weft_region_N, __weft_body_N, ...) names the
     * user's function in its weft_loc. NULL entries: unknown ids. */
    char ***user_funcs;
    int *nuser_funcs;
    /* H27: the user-defined reductions of the file (udr.c), found by pass
     * 0 and kept by tr_translate_file for the later passes, whose
     * outlined functions use them outside their declarations' scopes. */
    struct tr_udrs *udrs;
    /* H29: pass 0 in a translation server worker with its TU cache on
     * (tucache.c): the key the TU goes back to the cache under at
     * ctx_free (which then does not dispose index and tu), and when the
     * parse began. NULL: index and tu are this context's own. */
    struct tr_tukey *tukey;
    long long parse_start_ns;
};

/* Passes. Each returns 0 on success; on a user error it records
 * diagnostics and returns -1; on an internal failure it prints and
 * returns -2. */
int tr_parse(struct tr_ctx *cx, const char *const *args, int nargs);
int tr_find_directives(struct tr_ctx *cx);
int tr_analyze(struct tr_ctx *cx);
int tr_outline(struct tr_ctx *cx, struct tr_construct *c,
               struct tr_buf *before_func, struct tr_buf *call_site);
int tr_emit(struct tr_ctx *cx, const char *out_path);

/* ------------------------------------------------------------------ */
/* Cluster loops (cluster.c, issue 6)                                 */
/* ------------------------------------------------------------------ */

/* One item of `map(kind: name[section])`. Expressions are the user's
 * text; offsets are main-file offsets for diagnostics. */
struct tr_map {
    unsigned kind; /* WEFT_MAP_TO, _FROM or _TOFROM */
    char *name;
    unsigned off;     /* of the name */
    unsigned sec_off; /* of `[`, or off when there is no section */
    char *start;      /* `name[start:len]` or `name[start]`; NULL: whole */
    char *len;        /* NULL for `name[start]` (one element) */
    int var;          /* index in the construct's vars (cluster.c) */
};

/* Parses the arguments s[b..e) of one `map(...)` clause into dir->maps.
 * off_of maps an index of s to a main-file offset. Returns 0 or -1 after
 * recording a diagnostic. */
int tr_cluster_parse_map(struct tr_ctx *cx, struct tr_directive *dir,
                         const char *s, unsigned b, unsigned e,
                         unsigned (*off_of)(const void *src, unsigned i),
                         const void *src);
/* Checks a `cluster` construct after analyze_one gave its variables their
 * classes: what cannot be right on another machine is an error at its
 * file:line:col. Returns 0 or -1. */
int tr_cluster_analyze(struct tr_ctx *cx, struct tr_construct *c);
/* Writes the call site of a cluster loop (maps, descriptor, call) after
 * the weft_loop `__weft_lp_N` and records the capture table for the
 * epilogue. caps[i] is the text of capture slot i. */
void tr_cluster_site(struct tr_ctx *cx, struct tr_construct *c,
                     struct tr_buf *site, int ncap, char *const *caps);
/* Declarations the call sites need, appended to the prologue. */
void tr_cluster_prologue(struct tr_ctx *cx, struct tr_buf *pro);
/* The file's body table and its registering constructor, appended at the
 * end of the file; returns 0 when the file has no cluster loop. */
int tr_cluster_epilogue(struct tr_ctx *cx, struct tr_buf *out);
/* Frees what the cluster pass stored in the directive and construct. */
void tr_cluster_free(struct tr_construct *c);

/* libclang helpers (cxutil.c). */
unsigned tr_cursor_off(CXCursor c); /* expansion offset */
void tr_cursor_range(CXCursor c, unsigned *b, unsigned *e);
int tr_in_main(struct tr_ctx *cx, CXCursor c);
/* Visits children of c into a malloc'd array; returns the count. */
int tr_children(CXCursor c, CXCursor **out);
char *tr_text(const struct tr_ctx *cx, unsigned b, unsigned e);

/* ------------------------------------------------------------------ */
/* H12: parallel regions, worksharing, synchronisation (region.c,      */
/* sync.c). Every pass lowers the outermost constructs only; what is   */
/* nested stays as pragma text in the outlined functions and is        */
/* lowered by the next pass (emit.c loops until nothing is left).      */
/* ------------------------------------------------------------------ */

enum tr_kind {
    TR_K_PARALLEL_FOR = 0,
    TR_K_PARALLEL,
    TR_K_FOR,
    TR_K_SECTIONS,
    TR_K_SECTION,
    TR_K_PARALLEL_SECTIONS,
    TR_K_SINGLE,
    TR_K_MASTER,
    TR_K_MASKED,
    TR_K_CRITICAL,
    TR_K_BARRIER,
    TR_K_ATOMIC,
    TR_K_FLUSH,
    TR_K_ORDERED,
    TR_K_THREADPRIVATE,
    TR_K_TASKWAIT,
    TR_K_TASKYIELD,
    TR_K_TASKGROUP,
    TR_K_TASK,
    TR_K_TASKLOOP, /* H18 */
    /* H19: `parallel for` with copyin, rewritten in place (sync.c) into
     * `parallel` around `for` for the next pass: the region's start is
     * where each thread copies the threadprivate values in. */
    TR_K_PARALLEL_FOR_COPYIN,
    /* H25: `simd` (a hint on one loop: removed, the loop runs in order)
     * and `declare simd` (a hint on a function: removed). */
    TR_K_SIMD,
    TR_K_DECLARE_SIMD,
    /* H26: `cancel` and `cancellation point` (arg: the construct type).
     * Cancellation is off (omp_get_cancellation() is 0), so both have no
     * effect: tr_check_cancel checks their placement on the user's text
     * and sync.c removes them. */
    TR_K_CANCEL,
    TR_K_CANCELLATION_POINT
};

/* Clause bits of tr_directive.seen. */
#define TR_CL_SCHEDULE 0x1u
#define TR_CL_REDUCTION 0x2u
#define TR_CL_PRIVATE 0x4u
#define TR_CL_FIRSTPRIVATE 0x8u
#define TR_CL_LASTPRIVATE 0x10u
#define TR_CL_SHARED 0x20u
#define TR_CL_DEFAULT 0x40u
#define TR_CL_COLLAPSE 0x80u
#define TR_CL_NUM_THREADS 0x100u
#define TR_CL_IF 0x200u
#define TR_CL_PROC_BIND 0x400u
#define TR_CL_NOWAIT 0x800u
#define TR_CL_ORDERED 0x1000u
#define TR_CL_COPYIN 0x2000u
#define TR_CL_COPYPRIVATE 0x4000u
#define TR_CL_FILTER 0x8000u
#define TR_CL_OTHER 0x10000u
/* H18: task and taskloop clauses. */
#define TR_CL_DEPEND 0x20000u
#define TR_CL_FINAL 0x40000u
#define TR_CL_UNTIED 0x80000u
#define TR_CL_MERGEABLE 0x100000u
#define TR_CL_PRIORITY 0x200000u
#define TR_CL_GRAINSIZE 0x400000u
#define TR_CL_NUM_TASKS 0x800000u
#define TR_CL_NOGROUP 0x1000000u
/* H25: the simd-only hints (safelen, simdlen, aligned, nontemporal,
 * order) of `for simd`, `parallel for simd` and `taskloop simd`. */
#define TR_CL_SIMD 0x2000000u
/* H31: hint(...) on critical, a performance hint weft ignores. */
#define TR_CL_HINT 0x4000000u
/* H30: order(concurrent) on for / parallel for (and their simd forms). */
#define TR_CL_ORDER 0x8000000u
#define TR_CL_TASK_ONLY                                                        \
    (TR_CL_DEPEND | TR_CL_FINAL | TR_CL_UNTIED | TR_CL_MERGEABLE |             \
     TR_CL_PRIORITY | TR_CL_GRAINSIZE | TR_CL_NUM_TASKS | TR_CL_NOGROUP)

/* A text edit of a construct's body: [off, off + len) becomes text. */
struct tr_xedit {
    unsigned off, len;
    char *text;
};

/* A text edit of the output (emit.c applies them sorted). */
struct tr_edit {
    unsigned off, end; /* replaced range; off == end for an insertion */
    int order;         /* insertions before replacements at one offset */
    char *text;
};

/* Recognises the directive name at s[p..n) (after `omp`/`weft`) for the
 * constructs of region.c: returns its enum tr_kind and sets *after past
 * the name (and its parenthesised argument, stored in *arg with *arg_at
 * its offset in s), or returns -1 when it is not one of them. */
int tr_region_kind(const char *s, unsigned n, unsigned p, unsigned *after,
                   char **arg, unsigned *arg_at);
/* Bit of a clause name (TR_CL_*). */
unsigned tr_clause_bit(const char *name);
/* Name of a construct kind as written, e.g. "parallel sections". */
const char *tr_kind_name(int kind);
/* Non-zero when the construct is outlined into a function (tr_outline)
 * rather than rewritten in place (tr_inline_edits). */
int tr_kind_outlined(int kind);
/* H26: checks where a cancel or cancellation point construct c stands:
 * closely nested in a construct of its type (parallel, a for loop without
 * nowait and ordered, sections, a task or taskloop for taskgroup).
 * Called in pass 0 only, where every enclosing construct is still in the
 * text. Returns 0 or -1 after recording a diagnostic. */
int tr_check_cancel(struct tr_ctx *cx, struct tr_construct *c);
/* Checks the clauses written against those the kind allows. */
int tr_check_clauses(struct tr_ctx *cx, struct tr_construct *c);
/* The statement after the directive: sets c->body_off/body_end,
 * c->replace_off/end. Returns 0, or -1 after an error. */
int tr_assoc_stmt(struct tr_ctx *cx, struct tr_construct *c);
/* Diagnoses constructs closely nested where OpenMP forbids them, inside
 * the construct c (whose range is known). */
int tr_check_nesting(struct tr_ctx *cx, struct tr_construct *c);
/* H19: the user's function that function fn was outlined from by an
 * earlier pass (cx->user_funcs), or a copy of fn. Caller frees. */
char *tr_user_func(struct tr_ctx *cx, const char *fn);
/* Edits of an in-place construct; returns how many it appended to *ed
 * (grown with realloc, *ned entries used). */
int tr_inline_edits(struct tr_ctx *cx, struct tr_construct *c,
                    struct tr_edit **ed, int *ned);
/* Body text [b, e) of c with its by-pointer references and extra edits
 * rewritten (outline.c). */
void tr_outline_body(struct tr_ctx *cx, struct tr_construct *c,
                     struct tr_buf *out, unsigned b, unsigned e);
/* `task`: the task function and the call site (region.c). */
int tr_outline_task(struct tr_ctx *cx, struct tr_construct *c,
                    struct tr_buf *before_func, struct tr_buf *call_site);
/* Offset just past the statement starting at cursor s (analyze.c). */
unsigned tr_stmt_end(struct tr_ctx *cx, CXCursor s);

/* ------------------------------------------------------------------ */
/* H23: macros that expand to a directive together with its loop      */
/* (macro.c), and the expander they share with directive.c.            */
/* ------------------------------------------------------------------ */

/* The macro definitions of cx's translation unit, for tr_macros_expand.
 * Ownership: free with tr_macros_free(). */
struct tr_macros;
struct tr_macros *tr_macros_load(struct tr_ctx *cx);
/* Fully expands the invocation written at offset off of cx->text (the
 * name, and its arguments for a function-like macro) with the recorded
 * definitions. Sets *toks to the token spellings (*ntoks of them; none
 * when no macro is invoked there) and returns the offset just past the
 * invocation. Ownership: caller frees each (*toks)[i] and *toks. */
unsigned tr_macros_expand(struct tr_macros *ms, unsigned off, char ***toks,
                          int *ntoks);
void tr_macros_free(struct tr_macros *ms);

/* One rewriting round of pass 0, after a clean parse: every macro
 * invocation of the main file whose expansion holds an OpenMP or weft
 * _Pragma together with other tokens (the loop it applies to) is replaced
 * by its one-level expansion, as are the operands of `_Pragma(...)` that
 * a macro spells. Lines keep their numbers (the expansion is written on
 * the invocation's first line) and cx->mmap maps offsets back for
 * diagnostics. Returns 1 when cx->text changed (the caller re-parses it
 * and calls again), 0 when nothing is left to rewrite. A macro that cannot
 * be expanded is a user error (recorded), and its invocation stays. */
int tr_macro_rewrite(struct tr_ctx *cx, int round);
/* tr_line_col for a rewritten text: line and column in the user's text. */
void tr_macro_line_col(const struct tr_ctx *cx, unsigned off, unsigned *line,
                       unsigned *col);
/* Frees cx->mmap (and the user's text it keeps). */
void tr_macro_free(struct tr_ctx *cx);

/* ------------------------------------------------------------------ */
/* H27: user-defined reductions, `declare reduction` (udr.c)          */
/* ------------------------------------------------------------------ */

/* One `declare reduction(id : type : combiner) initializer(...)`, one
 * entry per type of its list. Texts are the user's, continuation lines
 * joined. Places are the user's line:col (tr_line_col), which every pass
 * keeps through #line: the scope runs from the declaration to the end of
 * its block, or of the file, and a construct that a later pass finds in an
 * outlined function is still inside it. */
struct tr_udr {
    char *id, *type, *comb, *init; /* init NULL: zero-initialised */
    unsigned line, col;            /* of the type in the list */
    unsigned bl, bc, el, ec;       /* scope [bl:bc, el:ec) */
};

/* Entries are allocated one by one, so a tr_udr pointer stays valid
 * while the table grows. */
struct tr_udrs {
    struct tr_udr **v;
    int n;
};

void tr_udrs_free(struct tr_udrs *u);
/* Parses `declare reduction` text s[b..n) (after `reduction`); offsets
 * map to the main file by off_of(src, i). Returns 0 or -1 after an error. */
int tr_udr_declare(struct tr_ctx *cx, const char *s, unsigned b, unsigned n,
                   unsigned (*off_of)(const void *src, unsigned i),
                   const void *src);
/* Whether a declaration of id is visible at offset off of the text. */
int tr_udr_known(const struct tr_ctx *cx, const char *id, unsigned off);
/* Matches cv's reduction id to a declaration for cv's variable type
 * (sets cv->udr), or records an error and returns -1. `et` is the
 * element type (of an array section) or the variable's type. */
int tr_udr_resolve(struct tr_ctx *cx, struct tr_clause_var *cv, CXType et);
/* Appends text with the identifiers a..d (omp_out, omp_in, omp_priv,
 * omp_orig) replaced at token level by the given expressions (NULL:
 * left alone). */
void tr_udr_subst(struct tr_buf *b, const char *text, const char *out,
                  const char *in, const char *priv, const char *orig);

#endif
