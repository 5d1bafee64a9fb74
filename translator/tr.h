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
    TR_DSA_REDUCTION
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
    struct tr_clause_var *vars;
    int nvars;
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
    enum tr_vclass cls;
    struct tr_clause_var *clause; /* or NULL */
    int cap;                      /* index in the capture block, -1 = none */
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

/* libclang helpers (cxutil.c). */
unsigned tr_cursor_off(CXCursor c); /* expansion offset */
void tr_cursor_range(CXCursor c, unsigned *b, unsigned *e);
int tr_in_main(struct tr_ctx *cx, CXCursor c);
/* Visits children of c into a malloc'd array; returns the count. */
int tr_children(CXCursor c, CXCursor **out);
char *tr_text(const struct tr_ctx *cx, unsigned b, unsigned e);

#endif
