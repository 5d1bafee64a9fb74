/* This file handles the outline pass: for one analysed construct it writes
 * the file-scope chunk function (and the reduction helpers), to be placed
 * just before the enclosing function, and the one-line call site that
 * replaces the pragma and its loop.
 *
 * Capture block: the call site builds `void *__weft_cap_N[]` holding the
 * ADDRESS of every variable the chunk needs (and of the evaluated bounds).
 * The chunk function re-creates the variables under their own names:
 *  - read-only scalars and pointers become same-named local copies, so the
 *    body text needs no rewriting and the compiler sees plain locals it can
 *    keep in registers (the inner loop vectorises as in the serial code);
 *  - variables written or address-taken in the body, arrays, structs,
 *    volatiles and static locals are used through `__weft_p_<name>`, and
 *    each reference token in the body becomes `(*__weft_p_<name>)`;
 *  - private, firstprivate, lastprivate and reduction variables are
 *    same-named locals; reductions load from and store to the thread's
 *    partial that the runtime hands in.
 * Types are spelled `__typeof__(<type>)`, so arrays, function pointers and
 * pointers to VLAs need no declarator surgery. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tr.h"

static const char *cmp_name(enum tr_cmp c) {
    static const char *const n[] = {"WEFT_CMP_LT", "WEFT_CMP_LE", "WEFT_CMP_GT",
                                    "WEFT_CMP_GE", "WEFT_CMP_NE"};
    return n[c];
}

/* Type facts of a reduction's element type. */
struct rtype {
    char *spell; /* canonical spelling, valid at file scope */
    int is_int, is_signed, is_float;
    enum CXTypeKind kind;
    unsigned width;
};

static struct rtype red_type(struct tr_clause_var *cv) {
    struct rtype r = {0};
    /* H27: a user-defined reduction's type as its declaration spells it
     * (visible where the helpers go: before the function). */
    if (cv->udr) {
        r.spell = tr_strdup(cv->udr->type);
        r.kind = CXType_Record;
        return r;
    }
    CXType t = clang_getCanonicalType(clang_getCursorType(cv->decl));
    if (cv->sec_lo) {
        if (t.kind == CXType_Pointer)
            t = clang_getCanonicalType(clang_getPointeeType(t));
        else
            t = clang_getCanonicalType(clang_getArrayElementType(t));
    }
    /* Qualifiers on the element (const arrays are rejected earlier) would
     * make the partial read-only: spell the unqualified type. */
    r.spell = tr_cxstr(clang_getTypeSpelling(t));
    const char *q[] = {"const ", "volatile ", "restrict "};
    for (int i = 0; i < 3; i++) {
        char *p;
        while ((p = strstr(r.spell, q[i])))
            memmove(p, p + strlen(q[i]), strlen(p + strlen(q[i])) + 1);
    }
    r.kind = t.kind;
    r.width = (unsigned)clang_Type_getSizeOf(t) * 8;
    switch (t.kind) {
    case CXType_Char_S:
    case CXType_SChar:
    case CXType_Short:
    case CXType_Int:
    case CXType_Long:
    case CXType_LongLong:
        r.is_int = r.is_signed = 1;
        break;
    case CXType_Bool:
    case CXType_Char_U:
    case CXType_UChar:
    case CXType_UShort:
    case CXType_UInt:
    case CXType_ULong:
    case CXType_ULongLong:
    case CXType_Char16:
    case CXType_Char32:
        r.is_int = 1;
        break;
    case CXType_Float:
    case CXType_Double:
    case CXType_LongDouble:
        r.is_float = 1;
        break;
    default:
        break;
    }
    return r;
}

/* The identity value of op for type rt, as a C expression. */
static void add_identity(struct tr_buf *b, enum tr_red_op op,
                         const struct rtype *rt) {
    const char *T = rt->spell;
    switch (op) {
    case TR_RED_MUL:
    case TR_RED_LAND:
        tr_buf_printf(b, "(%s)1", T);
        return;
    case TR_RED_AND:
        tr_buf_printf(b, "(%s)~(%s)0", T, T);
        return;
    case TR_RED_MIN:
    case TR_RED_MAX: {
        int is_min = op == TR_RED_MIN; /* identity: the largest value */
        if (rt->is_float) {
            const char *sfx = rt->kind == CXType_Float        ? "f"
                              : rt->kind == CXType_LongDouble ? "l"
                                                              : "";
            tr_buf_printf(b, "(%s)(%s__builtin_huge_val%s())", T,
                          is_min ? "" : "-", sfx);
        } else if (rt->kind == CXType_Bool) {
            tr_buf_printf(b, "(%s)%d", T, is_min);
        } else if (!rt->is_signed) {
            if (is_min)
                tr_buf_printf(b, "(%s)~(%s)0", T, T);
            else
                tr_buf_printf(b, "(%s)0", T);
        } else if (is_min) {
            tr_buf_printf(b, "(%s)(((uint64_t)1 << %u) - 1)", T, rt->width - 1);
        } else {
            tr_buf_printf(b, "(%s)(-(int64_t)(((uint64_t)1 << %u) - 1) - 1)", T,
                          rt->width - 1);
        }
        return;
    }
    default:
        tr_buf_printf(b, "(%s)0", T);
        return;
    }
}

/* `a = a OP b` for the combiner (OpenMP: `-` combines with +). */
static void add_combine(struct tr_buf *b, enum tr_red_op op, const char *a,
                        const char *x) {
    switch (op) {
    case TR_RED_ADD:
    case TR_RED_SUB:
        tr_buf_printf(b, "%s = %s + %s;", a, a, x);
        break;
    case TR_RED_MUL:
        tr_buf_printf(b, "%s = %s * %s;", a, a, x);
        break;
    case TR_RED_AND:
        tr_buf_printf(b, "%s = %s & %s;", a, a, x);
        break;
    case TR_RED_OR:
        tr_buf_printf(b, "%s = %s | %s;", a, a, x);
        break;
    case TR_RED_XOR:
        tr_buf_printf(b, "%s = %s ^ %s;", a, a, x);
        break;
    case TR_RED_LAND:
        tr_buf_printf(b, "%s = %s && %s;", a, a, x);
        break;
    case TR_RED_LOR:
        tr_buf_printf(b, "%s = %s || %s;", a, a, x);
        break;
    case TR_RED_MIN:
        tr_buf_printf(b, "if (%s < %s) %s = %s;", x, a, a, x);
        break;
    case TR_RED_MAX:
        tr_buf_printf(b, "if (%s > %s) %s = %s;", x, a, a, x);
        break;
    }
}

/* H27: one item of a user-defined reduction. init (what 0): a is the private copy (omp_priv), x the original (omp_orig); zero
 * bytes without an initializer, as OpenMP's static-storage default.
 * combine (what 1): a is omp_out, x omp_in. */
static void add_udr(struct tr_buf *b, const struct tr_clause_var *cv,
                    int what, const char *a, const char *x) {
    const struct tr_udr *u = cv->udr;
    if (what == 0 && !u->init) {
        tr_buf_printf(b, "__builtin_memset((void *)&(%s), 0, sizeof(%s));", a,
                      a);
        return;
    }
    if (what == 0)
        tr_udr_subst(b, u->init, NULL, NULL, a, x);
    else
        tr_udr_subst(b, u->comb, a, x, NULL, NULL);
    tr_buf_add(b, ";");
}

/* H28: the runtime's built-in table codes of a reduction item (abi.h,
 * struct weft_red_var), or 0 when the runtime does not know its type or
 * operator: then the construct keeps generated helper functions. */
static const char *table_type(const struct tr_clause_var *cv,
                              const struct rtype *rt) {
    static const char *const sn[] = {"WEFT_RED_T_I8", "WEFT_RED_T_I16",
                                     "WEFT_RED_T_I32", "WEFT_RED_T_I64"};
    static const char *const un[] = {"WEFT_RED_T_U8", "WEFT_RED_T_U16",
                                     "WEFT_RED_T_U32", "WEFT_RED_T_U64"};
    if (cv->udr)
        return NULL;
    if (rt->kind == CXType_Bool)
        return "WEFT_RED_T_BOOL";
    if (rt->kind == CXType_Float)
        return "WEFT_RED_T_FLOAT";
    if (rt->kind == CXType_Double)
        return "WEFT_RED_T_DOUBLE";
    if (rt->kind == CXType_LongDouble)
        return "WEFT_RED_T_LDOUBLE";
    if (!rt->is_int)
        return NULL;
    int k = rt->width == 8 ? 0 : rt->width == 16 ? 1 : rt->width == 32 ? 2
                             : rt->width == 64                      ? 3
                                                                    : -1;
    if (k < 0)
        return NULL;
    return rt->is_signed ? sn[k] : un[k];
}

static const char *table_op(enum tr_red_op op, const struct rtype *rt) {
    switch (op) {
    case TR_RED_ADD:
    case TR_RED_SUB:
        return "WEFT_RED_ADD";
    case TR_RED_MUL:
        return "WEFT_RED_MUL";
    case TR_RED_LAND:
        return "WEFT_RED_LAND";
    case TR_RED_LOR:
        return "WEFT_RED_LOR";
    case TR_RED_MIN:
        return "WEFT_RED_MIN";
    case TR_RED_MAX:
        return "WEFT_RED_MAX";
    case TR_RED_AND:
        return rt->is_float ? NULL : "WEFT_RED_AND";
    case TR_RED_OR:
        return rt->is_float ? NULL : "WEFT_RED_OR";
    case TR_RED_XOR:
        return rt->is_float ? NULL : "WEFT_RED_XOR";
    }
    return NULL;
}

/* Capture-block entries. */
struct caps {
    struct tr_buf list;
    int n;
    char **text; /* each entry alone, for a cluster loop's capture table */
    char **lv;   /* H18: the variable of a by-value slot, else NULL */
};

static int cap_add(struct caps *cp, const char *fmt, const char *arg) {
    if (cp->n)
        tr_buf_add(&cp->list, ", ");
    struct tr_buf one = {0};
    tr_buf_printf(&one, fmt, arg);
    tr_buf_add(&cp->list, one.s);
    cp->text = tr_xrealloc(cp->text, (size_t)(cp->n + 1) * sizeof *cp->text);
    cp->text[cp->n] = one.s;
    cp->lv = tr_xrealloc(cp->lv, (size_t)(cp->n + 1) * sizeof *cp->lv);
    cp->lv[cp->n] = NULL;
    return cp->n++;
}

/* H18: a slot that a taskloop copies into each task's argument block (its
 * value when the taskloop starts: bounds, copies, firstprivate values)
 * instead of passing the variable's address; lv names the variable. */
static int cap_value(struct caps *cp, const char *fmt, const char *lv) {
    int i = cap_add(cp, fmt, lv);
    cp->lv[i] = tr_strdup(lv);
    return i;
}

/* Body text [b, e) with every by-pointer reference rewritten. */
static void add_body(struct tr_ctx *cx, struct tr_construct *c,
                     struct tr_buf *out, unsigned b, unsigned e) {
    struct edit {
        unsigned off, len;
        const char *name;
        const char *text; /* H12: an extra edit's text (name NULL) */
    } *ed = NULL;
    int ne = 0;
    for (int i = 0; i < c->nxed; i++) {
        ed = tr_xrealloc(ed, (size_t)(ne + 1) * sizeof *ed);
        ed[ne].off = c->xed[i].off;
        ed[ne].len = c->xed[i].len;
        ed[ne].name = NULL;
        ed[ne].text = c->xed[i].text;
        ne++;
    }
    for (int i = 0; i < c->nvars; i++) {
        struct tr_var *v = &c->vars[i];
        if (v->cls != TR_V_PTR)
            continue;
        for (int j = 0; j < v->nrefs; j++) {
            ed = tr_xrealloc(ed, (size_t)(ne + 1) * sizeof *ed);
            ed[ne].off = v->refs[j];
            ed[ne].len = (unsigned)strlen(v->name);
            ed[ne].name = v->name;
            ed[ne].text = NULL;
            ne++;
        }
    }
    /* Insertion sort: a body has few rewritten references. */
    for (int i = 1; i < ne; i++)
        for (int j = i; j > 0 && ed[j - 1].off > ed[j].off; j--) {
            struct edit t = ed[j];
            ed[j] = ed[j - 1];
            ed[j - 1] = t;
        }
    unsigned p = b;
    for (int i = 0; i < ne; i++) {
        if (ed[i].off < p)
            continue;
        tr_buf_addn(out, cx->text + p, ed[i].off - p);
        if (ed[i].name)
            tr_buf_printf(out, "(*__weft_p_%s)", ed[i].name);
        else
            tr_buf_add(out, ed[i].text);
        p = ed[i].off + ed[i].len;
    }
    tr_buf_addn(out, cx->text + p, e - p);
    free(ed);
}

void tr_outline_body(struct tr_ctx *cx, struct tr_construct *c,
                     struct tr_buf *out, unsigned b, unsigned e) {
    add_body(cx, c, out, b, e);
}

/* A same-named local initialised from the original: by initialiser for
 * scalars and structs (valid for const ones too), by memcpy for arrays. */
static void add_init_copy(struct tr_buf *bf, const struct tr_var *v) {
    if (v->is_array)
        tr_buf_printf(bf,
                      "    __typeof__(%s) %s; __builtin_memcpy((void *)&%s, "
                      "__weft_cap[%d], sizeof %s);\n",
                      v->type, v->name, v->name, v->cap, v->name);
    else
        tr_buf_printf(bf,
                      "    __typeof__(%s) %s = *(__typeof__(%s) *)"
                      "__weft_cap[%d];\n",
                      v->type, v->name, v->type, v->cap);
}

static int is_loop_var_name(const struct tr_construct *c, const char *name) {
    for (int i = 0; i < c->nloops; i++)
        if (strcmp(c->loops[i].var, name) == 0)
            return 1;
    return 0;
}

/* H24: whether v's private copy must live once per thread rather than be
 * made afresh by every chunk. OpenMP gives a worksharing loop's
 * firstprivate variable one copy per implicit task, initialised once; a
 * thread that runs several chunks (dynamic, guided, static with a chunk,
 * stealing) must see in each chunk what its earlier chunks left there.
 * Only copies that can change need it: a read-only copy is the same made
 * per chunk (kept as a local the compiler can hold in a register).
 * `written` is set only for direct assignments, ++/-- and &, so arrays and
 * structs, which change through a subscript or a member, count as
 * written. A lastprivate that is also firstprivate starts from its
 * snapshot and needs it too. Taskloop copies are per task (OpenMP), and a
 * cluster loop's chunks run on other nodes: both keep per-chunk copies. */
static int thread_copy(const struct tr_construct *c, const struct tr_var *v) {
    const struct tr_directive *d = &c->dir;
    if ((d->kind != TR_K_PARALLEL_FOR && d->kind != TR_K_FOR) ||
        d->cluster || !v->referenced)
        return 0;
    if (v->cls == TR_V_LASTPRIVATE)
        return v->cap_first >= 0;
    return v->cls == TR_V_FIRSTPRIVATE && !v->is_vla_size &&
           (v->written || v->addr_taken || v->is_array || v->is_record);
}

/* H24: the name, at the call site, of the object a per-thread copy starts
 * from: the original, or the firstprivate+lastprivate snapshot. */
static void thread_orig(char *nm, size_t size, int N, const struct tr_var *v) {
    if (v->cls == TR_V_LASTPRIVATE)
        snprintf(nm, size, "__weft_fp_%d_%s", N, v->name);
    else
        snprintf(nm, size, "%s", v->name);
}

/* H24: the address of v's per-thread copy in the chunk function: the
 * thread's call-site local (a `for`: capture slot), or its place in the
 * thread's partial (a `parallel for`: copy k, after nsec sections). */
static void thread_addr(struct tr_buf *b, const struct tr_construct *c,
                        const struct tr_var *v, int k, int nsec,
                        int cap_roff) {
    if (c->dir.kind == TR_K_FOR)
        tr_buf_printf(b, "__weft_cap[%d]",
                      v->cls == TR_V_LASTPRIVATE ? v->cap_first : v->cap);
    else
        tr_buf_printf(b,
                      "(void *)((char *)__weft_red + ((size_t *)__weft_cap"
                      "[%d])[%d])",
                      cap_roff, nsec + k);
}

/* H24: `memcpy(<copy>, &<private object>, size)` at the end of a chunk:
 * the thread's next chunk goes on from there. */
static void thread_save(struct tr_buf *b, const struct tr_construct *c,
                        const struct tr_var *v, int k, int nsec,
                        int cap_roff) {
    const char *pre =
        v->cls == TR_V_LASTPRIVATE && v->clause && v->clause->sec_lo
            ? "__weft_lv_"
            : "";
    tr_buf_add(b, "    __builtin_memcpy(");
    thread_addr(b, c, v, k, nsec, cap_roff);
    tr_buf_printf(b, ", (const void *)&%s%s, sizeof %s%s);\n", pre, v->name,
                  pre, v->name);
}

/* H18: the call site of a taskloop. Every task gets its own copy of an
 * argument block: a table of one uintptr_t per capture slot, then the
 * values of the by-value slots (bounds, trip counts, read-only copies,
 * firstprivate values), taken when the taskloop starts. An entry of the
 * table is the offset of the slot's value in the block, or, for a shared,
 * lastprivate or reduction variable, its address. The tasks' adapter
 * (taskloop_adapter) turns the table back into the capture block that
 * the ordinary chunk function reads, so the loop body is lowered exactly
 * as for `for`. With nogroup the creator may go on (and change its
 * variables, or leave the function) before the tasks run: the block holds
 * no address of the call site's own temporaries. */
static int taskloop_site(struct tr_ctx *cx, struct tr_construct *c,
                         struct tr_buf *site, const struct caps *cp) {
    int N = c->id;
    struct tr_directive *d = &c->dir;
    for (int i = 0; i < c->nvars; i++) {
        struct tr_var *v = &c->vars[i];
        if (v->is_vla && v->cls == TR_V_FIRSTPRIVATE && v->referenced) {
            tr_error(cx, v->nrefs ? v->refs[0] : d->off,
                     "variable-length array '%s' would be copied into the "
                     "taskloop's tasks, which is not supported yet; make it "
                     "shared(%s)",
                     v->name, v->name);
            return -1;
        }
    }
    tr_buf_printf(site, "struct __weft_tla_%d { uintptr_t __weft_s[%d]; ", N,
                  cp->n);
    for (int i = 0; i < cp->n; i++)
        if (cp->lv[i])
            tr_buf_printf(site,
                          "unsigned char __weft_v%d[sizeof(%s)] "
                          "__attribute__((aligned(__alignof__(__typeof__(%s)))"
                          "));",
                          i, cp->lv[i], cp->lv[i]);
    tr_buf_printf(site, "} __weft_ta_%d; ", N);
    for (int i = 0; i < cp->n; i++) {
        if (cp->lv[i])
            tr_buf_printf(site,
                          "__weft_ta_%d.__weft_s[%d] = __builtin_offsetof("
                          "struct __weft_tla_%d, __weft_v%d); "
                          "__builtin_memcpy((void *)__weft_ta_%d.__weft_v%d, "
                          "(const void *)&(%s), sizeof __weft_ta_%d.__weft_v%d);"
                          " ",
                          N, i, N, i, N, i, cp->lv[i], N, i);
        else
            tr_buf_printf(site, "__weft_ta_%d.__weft_s[%d] = (uintptr_t)(%s); ",
                          N, i, cp->text[i]);
    }
    /* priority(e) is evaluated for its side effects; weft has one queue
     * per thread and no priorities. */
    if (d->priority)
        tr_buf_printf(site, "(void)(%s); ", d->priority);
    tr_buf_printf(site,
                  "WEFT_taskloop(&__weft_loc_%d, __weft_n_%d, __weft_tl_%d, "
                  "(void *)&__weft_ta_%d, sizeof __weft_ta_%d, _Alignof(struct "
                  "__weft_tla_%d), ",
                  N, N, N, N, N, N);
    if (d->grainsize)
        tr_buf_printf(site, "(int64_t)(%s), ", d->grainsize);
    else
        tr_buf_add(site, "0, ");
    if (d->num_tasks)
        tr_buf_printf(site, "(int64_t)(%s), ", d->num_tasks);
    else
        tr_buf_add(site, "0, ");
    tr_buf_add(site, "0u");
    if (d->if_expr)
        tr_buf_printf(site, " | ((%s) ? 0u : WEFT_TASK_IF_FALSE)", d->if_expr);
    if (d->final_expr)
        tr_buf_printf(site, " | ((%s) ? WEFT_TASK_FINAL : 0u)", d->final_expr);
    /* untied: weft tasks never migrate between threads, so an untied task
     * runs as a tied one, which OpenMP allows. mergeable: no effect. */
    if (d->untied)
        tr_buf_add(site, " | WEFT_TASK_UNTIED");
    if (d->mergeable)
        tr_buf_add(site, " | WEFT_TASK_MERGEABLE");
    if (d->nogroup)
        tr_buf_add(site, " | WEFT_TASKLOOP_NOGROUP");
    tr_buf_add(site, "); ");
    return 0;
}

/* H18: the function each taskloop task runs: it rebuilds the capture
 * block from its copy of the argument block and runs the chunk function
 * on [lo, hi). With a reduction, the task folds into a partial of its own
 * (on its stack) and then, under the runtime's atomic lock, into the
 * original variables; the tasks finish in no fixed order, so a
 * floating-point sum may differ in its last bits from run to run. */
static void taskloop_adapter(struct tr_construct *c, struct tr_buf *bf,
                             const struct caps *cp, int nsec, int cap_roff) {
    int N = c->id;
    tr_buf_printf(bf,
                  "static void __weft_tl_%d(void *__weft_arg, uint64_t "
                  "__weft_lo, uint64_t __weft_hi)\n{\n"
                  "    const uintptr_t *__weft_s = (const uintptr_t *)"
                  "__weft_arg;\n    void *__weft_c[%d] = {",
                  N, cp->n);
    for (int i = 0; i < cp->n; i++)
        tr_buf_printf(bf, "%s%s__weft_s[%d]", i ? ", " : " ",
                      cp->lv[i] ? "(char *)__weft_arg + " : "(void *)", i);
    tr_buf_add(bf, " };\n");
    if (!c->has_reduction) {
        tr_buf_printf(bf,
                      "    __weft_body_%d((void *)__weft_c, __weft_lo, "
                      "__weft_hi, 0);\n}\n",
                      N);
        return;
    }
    if (nsec)
        tr_buf_printf(bf,
                      "    void *__weft_rp = __builtin_alloca(((size_t *)"
                      "__weft_c[%d])[%d]);\n",
                      cap_roff, nsec);
    else
        tr_buf_printf(bf,
                      "    void *__weft_rp = __builtin_alloca(sizeof(struct "
                      "__weft_red_%d));\n",
                      N);
    tr_buf_printf(bf,
                  "    __weft_red_init_%d((void *)__weft_c, __weft_rp);\n"
                  "    __weft_body_%d((void *)__weft_c, __weft_lo, __weft_hi, "
                  "__weft_rp);\n"
                  "    WEFT_atomic_begin();\n"
                  "    __weft_red_fini_%d((void *)__weft_c, __weft_rp);\n"
                  "    WEFT_atomic_end();\n"
                  "    (void)__weft_red_comb_%d; /* partials meet in the "
                  "originals */\n}\n",
                  N, N, N, N);
}

int tr_outline(struct tr_ctx *cx, struct tr_construct *c, struct tr_buf *bf,
               struct tr_buf *cs) {
    if (c->dir.kind == TR_K_TASK) /* H12: region.c */
        return tr_outline_task(cx, c, bf, cs);
    int N = c->id;
    struct tr_directive *d = &c->dir;
    struct caps cp = {{0}, 0, NULL, NULL};
    int bad_tl = 0; /* H18: a taskloop that cannot be lowered */
    struct tr_buf site = {0}; /* call-site statements */
    unsigned line, col;
    tr_line_col(cx, d->off, &line, &col);

    tr_buf_printf(&site,
                  "{ static const struct weft_loc __weft_loc_%d = "
                  "{\"",
                  N);
    tr_buf_add_cstr(&site, cx->display);
    tr_buf_printf(&site, "\", \"%s\", %u, %u}; ", c->user_func, line, col);

    /* Bounds, steps and trip counts, evaluated once, in order. */
    int cap_lb[8], cap_st[8], cap_n[8], cap_ntotal;
    int need_last = 0; /* a lastprivate chunk tests for the last iteration */
    for (int i = 0; i < c->nvars; i++)
        if (c->vars[i].cls == TR_V_LASTPRIVATE)
            need_last = 1;
    for (int j = 0; j < c->nloops; j++) {
        struct tr_loop *lp = &c->loops[j];
        /* H28: `v < ub; v++` and `v > ub; v--` cannot fail and need no
         * run-time call: the count is the distance, exact in 64 bits once
         * both bounds are widened from the loop's type (the compiler also
         * folds it when the bounds are constants). The step variable is
         * then read by nothing but a cluster loop's maps. */
        int up = lp->step_is_lit && lp->cmp == TR_LT &&
                 strcmp(lp->step, "1") == 0 && !lp->is_pointer;
        int down = lp->step_is_lit && lp->cmp == TR_GT &&
                   strcmp(lp->step, "-1") == 0 && !lp->is_pointer;
        tr_buf_printf(&site,
                      "__typeof__(%s) __weft_lb_%d_%d = (%s); "
                      "__typeof__(%s) __weft_ub_%d_%d = (%s); ",
                      lp->type, N, j, lp->lb, lp->type, N, j, lp->ub);
        if (!(up || down) || d->cluster)
            tr_buf_printf(&site, "int64_t __weft_st_%d_%d = %s; ", N, j,
                          lp->step);
        if (up || down)
            tr_buf_printf(&site,
                          "uint64_t __weft_n_%d_%d = __weft_lb_%d_%d %s "
                          "__weft_ub_%d_%d ? (uint64_t)__weft_%s_%d_%d - "
                          "(uint64_t)__weft_%s_%d_%d : 0; ",
                          N, j, N, j, up ? "<" : ">", N, j, up ? "ub" : "lb",
                          N, j, up ? "lb" : "ub", N, j);
        else if (lp->is_pointer)
            tr_buf_printf(&site,
                          "uint64_t __weft_n_%d_%d = WEFT_trip_count("
                          "&__weft_loc_%d, 0, (uint64_t)(int64_t)"
                          "(__weft_ub_%d_%d - __weft_lb_%d_%d), "
                          "__weft_st_%d_%d, %s, 64u | WEFT_TYPE_SIGNED); ",
                          N, j, N, N, j, N, j, N, j, cmp_name(lp->cmp));
        else
            tr_buf_printf(&site,
                          "uint64_t __weft_n_%d_%d = WEFT_trip_count("
                          "&__weft_loc_%d, (uint64_t)__weft_lb_%d_%d, "
                          "(uint64_t)__weft_ub_%d_%d, __weft_st_%d_%d, %s, "
                          "%uu%s); ",
                          N, j, N, N, j, N, j, N, j, cmp_name(lp->cmp),
                          lp->width,
                          lp->is_signed ? " | WEFT_TYPE_SIGNED" : "");
        /* H28: only the slots the chunk reads (each costs the call site
         * a store and the compiler an address-taken local): a literal
         * step is spelled in the chunk, and the trip counts are read only
         * for collapse (inner loops) and lastprivate. */
        char nm[64];
        snprintf(nm, sizeof nm, "__weft_lb_%d_%d", N, j);
        cap_lb[j] = cap_value(&cp, "(void *)&%s", nm);
        cap_st[j] = cap_n[j] = -1;
        snprintf(nm, sizeof nm, "__weft_st_%d_%d", N, j);
        if (!lp->step_is_lit)
            cap_st[j] = cap_value(&cp, "(void *)&%s", nm);
        snprintf(nm, sizeof nm, "__weft_n_%d_%d", N, j);
        if (j > 0 || need_last)
            cap_n[j] = cap_value(&cp, "(void *)&%s", nm);
    }
    /* H12: a parallel region (no loops) is outlined like a loop body. */
    int reg = d->kind == TR_K_PARALLEL;
    cap_ntotal = -1;
    if (!reg) {
        tr_buf_printf(&site, "uint64_t __weft_n_%d = __weft_n_%d_0", N, N);
        for (int j = 1; j < c->nloops; j++)
            tr_buf_printf(&site, " * __weft_n_%d_%d", N, j);
        tr_buf_add(&site, "; ");
    }
    if (!reg && need_last) {
        char nm[64];
        snprintf(nm, sizeof nm, "__weft_n_%d", N);
        cap_ntotal = cap_value(&cp, "(void *)&%s", nm);
    }

    /* Variables. */
    int nsnap = 0; /* firstprivate+lastprivate snapshots */
    for (int i = 0; i < c->nvars; i++) {
        struct tr_var *v = &c->vars[i];
        if (v->cls == TR_V_GLOBAL && !v->clause)
            continue;
        if (v->cls == TR_V_REDUCTION && v->clause->sec_lo)
            continue; /* sections are captured below */
        if (v->cls == TR_V_PRIVATE && !v->is_vla_size)
            continue;
        if ((v->cls == TR_V_COPY || v->cls == TR_V_PTR) && !v->referenced &&
            !v->is_vla_size)
            continue; /* named in shared() only */
        if (v->cls == TR_V_LASTPRIVATE && !v->referenced &&
            !c->lastpriv_loopvar)
            continue;
        if (d->kind == TR_K_FOR && v->cls == TR_V_FIRSTPRIVATE &&
            thread_copy(c, v)) {
            /* H24: each thread's call site makes the thread's copy (a
             * firstprivate+lastprivate one is the snapshot below). */
            char nm[160];
            snprintf(nm, sizeof nm, "__weft_ft_%d_%s", N, v->name);
            tr_buf_printf(&site,
                          "__typeof__(%s) %s; __builtin_memcpy((void *)&%s, "
                          "(const void *)&%s, sizeof %s); ",
                          v->name, nm, nm, v->name, nm);
            v->cap = cap_add(&cp, "(void *)&%s", nm);
        } else if (v->cls == TR_V_COPY || v->cls == TR_V_FIRSTPRIVATE ||
                   v->cls == TR_V_PRIVATE)
            v->cap = cap_value(&cp, "(void *)&%s", v->name);
        else
            v->cap = cap_add(&cp, "(void *)&%s", v->name);
        v->cap_first = -1;
        if (v->cls == TR_V_LASTPRIVATE && v->clause && v->clause->also_first &&
            v->referenced && !is_loop_var_name(c, v->name)) {
            /* The chunk that runs the last iteration writes the original
             * back while other chunks may still be starting: they take
             * their first value from a snapshot made before the fork. */
            char nm[160];
            snprintf(nm, sizeof nm, "__weft_fp_%d_%s", N, v->name);
            /* Through a region's pointer (sec_lo): the object pointed to. */
            const char *deref = v->clause->sec_lo ? "*" : "";
            tr_buf_printf(&site,
                          "__typeof__(%s%s) %s; __builtin_memcpy((void *)&%s, "
                          "(const void *)&%s%s, sizeof %s); ",
                          deref, v->name, nm, nm, deref, v->name, nm);
            v->cap_first = cap_value(&cp, "(void *)&%s", nm);
            nsnap++;
        }
    }
    /* H19: a `for` in a region has one call site per thread, each taking
     * its own snapshot: none may write the variable back before every
     * thread has taken it (gcc also puts a barrier there). */
    if (nsnap && d->kind == TR_K_FOR)
        tr_buf_printf(&site, "WEFT_barrier(&__weft_loc_%d); ", N);

    /* H24: a `parallel for` has one call site for the whole team, so its
     * per-thread copies live in the threads' reduction partials, which the
     * runtime initialises once per thread before its first chunk: after
     * the reduction sections, at offsets computed at the call site (the
     * types may be local to the function). thr_k[i] is the copy's index
     * there, -1 for a variable without one. */
    int nthr = 0;
    int *thr_k = tr_xcalloc((size_t)c->nvars + 1, sizeof *thr_k);
    for (int i = 0; i < c->nvars; i++)
        thr_k[i] = d->kind == TR_K_PARALLEL_FOR && thread_copy(c, &c->vars[i])
                       ? nthr++
                       : -1;

    /* Reductions: a partial struct of the scalars, then the sections. */
    int nsec = 0, cap_roff = -1;
    struct tr_buf rs = {0}; /* reduction helper functions */
    if (c->has_reduction || nthr) {
        struct tr_buf st = {0}, ini = {0}, cmb = {0}, fin = {0};
        tr_buf_printf(&st, "struct __weft_red_%d { ", N);
        int nscal = 0;
        /* H28: built-in operators on arithmetic types are run by the
         * runtime from a static table (tab): three functions per construct
         * cost more to compile than the whole call site. Per-thread copies
         * and taskloops (whose adapter calls the helpers) keep them. */
        struct tr_buf tab = {0};
        int use_table = c->has_reduction && !nthr && d->kind != TR_K_TASKLOOP;
        int ntab = 0;
        for (int i = 0; i < c->nvars; i++) {
            struct tr_var *v = &c->vars[i];
            if (v->cls != TR_V_REDUCTION)
                continue;
            struct tr_clause_var *cv = v->clause;
            struct rtype rt = red_type(cv);
            const char *tty = table_type(cv, &rt);
            const char *top = table_op(cv->op, &rt);
            if (!tty || !top)
                use_table = 0;
            if (!cv->sec_lo) {
                char a[256], x[256];
                tr_buf_printf(&st, "%s %s; ", rt.spell, v->name);
                if (use_table)
                    tr_buf_printf(&tab,
                                  "%s{%s, %s, __builtin_offsetof(struct "
                                  "__weft_red_%d, %s), %d, -1, -1, 0}",
                                  ntab++ ? ", " : "", top, tty, N, v->name,
                                  v->cap);
                if (cv->udr) { /* H27 */
                    snprintf(a, sizeof a, "__weft_r->%s", v->name);
                    snprintf(x, sizeof x, "*(%s *)__weft_cap[%d]", rt.spell,
                             v->cap);
                    tr_buf_add(&ini, "    ");
                    add_udr(&ini, cv, 0, a, x);
                    tr_buf_add(&ini, "\n");
                    snprintf(a, sizeof a, "__weft_i->%s", v->name);
                    snprintf(x, sizeof x, "*(%s *)&__weft_f->%s", rt.spell,
                             v->name);
                    tr_buf_add(&cmb, "    ");
                    add_udr(&cmb, cv, 1, a, x);
                    tr_buf_add(&cmb, "\n");
                    snprintf(a, sizeof a, "*(%s *)__weft_cap[%d]", rt.spell,
                             v->cap);
                    snprintf(x, sizeof x, "__weft_r->%s", v->name);
                    tr_buf_add(&fin, "    ");
                    add_udr(&fin, cv, 1, a, x);
                    tr_buf_add(&fin, "\n");
                    nscal++;
                    free(rt.spell);
                    continue;
                }
                tr_buf_printf(&ini, "    __weft_r->%s = ", v->name);
                add_identity(&ini, cv->op, &rt);
                tr_buf_add(&ini, ";\n");
                snprintf(a, sizeof a, "__weft_i->%s", v->name);
                snprintf(x, sizeof x, "__weft_f->%s", v->name);
                tr_buf_add(&cmb, "    ");
                add_combine(&cmb, cv->op, a, x);
                tr_buf_add(&cmb, "\n");
                snprintf(a, sizeof a, "(*(%s *)__weft_cap[%d])", rt.spell,
                         v->cap);
                snprintf(x, sizeof x, "__weft_r->%s", v->name);
                tr_buf_add(&fin, "    ");
                add_combine(&fin, cv->op, a, x);
                tr_buf_add(&fin, "\n");
                nscal++;
            } else {
                int s = nsec++;
                tr_buf_printf(&site,
                              "ptrdiff_t __weft_rlo_%d_%d = (%s); "
                              "size_t __weft_rlen_%d_%d = (size_t)(%s); ",
                              N, s, cv->sec_lo, N, s, cv->sec_len);
                char nm[96];
                snprintf(nm, sizeof nm, "__weft_rlo_%d_%d", N, s);
                int clo = cap_value(&cp, "(void *)&%s", nm);
                snprintf(nm, sizeof nm, "__weft_rlen_%d_%d", N, s);
                int clen = cap_value(&cp, "(void *)&%s", nm);
                struct tr_buf base = {0};
                tr_buf_printf(&base, "(%s)[__weft_rlo_%d_%d]", v->name, N, s);
                /* Slots clo, clen, base in this order: the chunk finds
                 * the lower bound at v->cap - 2. */
                v->cap = cap_add(&cp, "(void *)&%s", base.s);
                tr_buf_free(&base);
                if (use_table)
                    tr_buf_printf(&tab,
                                  "%s{%s, %s, 0, %d, %d, __WEFT_ROFF_%d, %d}",
                                  ntab++ ? ", " : "", top, tty, v->cap, clen,
                                  N, s);
                /* Offsets are filled at the call site (below). */
                struct tr_buf loop = {0};
                tr_buf_printf(&loop,
                              "    { %s *__weft_a = (%s *)((char *)__weft_slot"
                              " + ((size_t *)__weft_cap[__WEFT_ROFF_%d])[%d]);"
                              " size_t __weft_len = *(size_t *)__weft_cap[%d];"
                              " for (size_t __weft_j = 0; __weft_j < "
                              "__weft_len; __weft_j++) { ",
                              rt.spell, rt.spell, N, s, clen);
                tr_buf_add(&ini, loop.s);
                if (cv->udr) { /* H27 */
                    struct tr_buf o = {0};
                    tr_buf_printf(&o, "((%s *)__weft_cap[%d])[__weft_j]",
                                  rt.spell, v->cap);
                    add_udr(&ini, cv, 0, "__weft_a[__weft_j]", o.s);
                    tr_buf_add(&ini, " } }\n");
                    tr_buf_free(&o);
                } else {
                    tr_buf_add(&ini, "__weft_a[__weft_j] = ");
                    add_identity(&ini, cv->op, &rt);
                    tr_buf_add(&ini, "; } }\n");
                }
                tr_buf_printf(&cmb,
                              "    { %s *__weft_a = (%s *)((char *)__weft_into"
                              " + ((size_t *)__weft_cap[__WEFT_ROFF_%d])[%d]);"
                              " const %s *__weft_b = (const %s *)((const char "
                              "*)__weft_from + ((size_t *)__weft_cap["
                              "__WEFT_ROFF_%d])[%d]); size_t __weft_len = "
                              "*(size_t *)__weft_cap[%d]; for (size_t "
                              "__weft_j = 0; __weft_j < __weft_len; "
                              "__weft_j++) { ",
                              rt.spell, rt.spell, N, s, rt.spell, rt.spell, N,
                              s, clen);
                if (cv->udr) { /* H27: omp_in is read through a cast */
                    struct tr_buf in = {0};
                    tr_buf_printf(&in, "*(%s *)&__weft_b[__weft_j]", rt.spell);
                    add_udr(&cmb, cv, 1, "__weft_a[__weft_j]", in.s);
                    tr_buf_free(&in);
                } else
                    add_combine(&cmb, cv->op, "__weft_a[__weft_j]",
                                "__weft_b[__weft_j]");
                tr_buf_add(&cmb, " } }\n");
                tr_buf_add(&fin, loop.s);
                tr_buf_printf(&fin, "%s *__weft_o = (%s *)__weft_cap[%d]; ",
                              rt.spell, rt.spell, v->cap);
                if (cv->udr) /* H27 */
                    add_udr(&fin, cv, 1, "__weft_o[__weft_j]",
                            "__weft_a[__weft_j]");
                else
                    add_combine(&fin, cv->op, "__weft_o[__weft_j]",
                                "__weft_a[__weft_j]");
                tr_buf_add(&fin, " } }\n");
                tr_buf_free(&loop);
                (void)clo;
            }
            free(rt.spell);
        }
        if (!nscal)
            tr_buf_add(&st, "char __weft_unused; ");
        tr_buf_add(&st, "};\n");
        /* H24: init copies each per-thread copy's start value in (the
         * original, or the firstprivate+lastprivate snapshot); combine and
         * fini leave the copies alone. */
        for (int i = 0; i < c->nvars; i++)
            if (thr_k[i] >= 0)
                tr_buf_printf(&ini,
                              "    __builtin_memcpy((char *)__weft_slot + "
                              "((size_t *)__weft_cap[__WEFT_ROFF_%d])[%d], "
                              "__weft_cap[%d], ((size_t *)__weft_cap["
                              "__WEFT_ROFF_%d])[%d]);\n",
                              N, nsec + thr_k[i],
                              c->vars[i].cls == TR_V_LASTPRIVATE
                                  ? c->vars[i].cap_first
                                  : c->vars[i].cap,
                              N, nsec + nthr + 1 + thr_k[i]);
        if (nsec || nthr) {
            /* Offsets of the sections, then of the per-thread copies, then
             * the partial's size, then the copies' sizes. */
            tr_buf_printf(&site, "size_t __weft_roff_%d[%d]; ", N,
                          nsec + 2 * nthr + 1);
            char nm[64];
            snprintf(nm, sizeof nm, "__weft_roff_%d", N);
            cap_roff = cap_value(&cp, "(void *)%s", nm);
            /* Each section starts aligned for its element type. */
            tr_buf_printf(&site,
                          "{ size_t __weft_o = sizeof(struct "
                          "__weft_red_%d); ",
                          N);
            int s = 0;
            for (int i = 0; i < c->nvars; i++) {
                struct tr_var *v = &c->vars[i];
                if (v->cls != TR_V_REDUCTION || !v->clause->sec_lo)
                    continue;
                struct rtype rt = red_type(v->clause);
                tr_buf_printf(&site,
                              "__weft_o = (__weft_o + __alignof__(%s) - 1) / "
                              "__alignof__(%s) * __alignof__(%s); "
                              "__weft_roff_%d[%d] = __weft_o; __weft_o += "
                              "__weft_rlen_%d_%d * sizeof(%s); ",
                              rt.spell, rt.spell, rt.spell, N, s, N, s,
                              rt.spell);
                free(rt.spell);
                s++;
            }
            for (int i = 0; i < c->nvars; i++) {
                if (thr_k[i] < 0)
                    continue;
                char obj[160];
                thread_orig(obj, sizeof obj, N, &c->vars[i]);
                tr_buf_printf(&site,
                              "__weft_o = (__weft_o + __alignof__(%s) - 1) / "
                              "__alignof__(%s) * __alignof__(%s); "
                              "__weft_roff_%d[%d] = __weft_o; "
                              "__weft_roff_%d[%d] = sizeof %s; "
                              "__weft_o += sizeof %s; ",
                              obj, obj, obj, N, nsec + thr_k[i], N,
                              nsec + nthr + 1 + thr_k[i], obj, obj);
            }
            tr_buf_printf(&site, "__weft_roff_%d[%d] = __weft_o; } ", N,
                          nsec + nthr);
        }
        tr_buf_add(&rs, st.s);
        char roff[32];
        snprintf(roff, sizeof roff, "%d", cap_roff);
        const char *hdr[3] = {
            "static void __weft_red_init_%d(void *__weft_data, void "
            "*__weft_slot)\n{\n    void **__weft_cap = (void **)__weft_data;"
            "\n    struct __weft_red_%d *__weft_r = (struct __weft_red_%d *)"
            "__weft_slot;\n    (void)__weft_cap; (void)__weft_r;\n",
            "static void __weft_red_comb_%d(void *__weft_data, void "
            "*__weft_into, const void *__weft_from)\n{\n    void **__weft_cap "
            "= (void **)__weft_data;\n    struct __weft_red_%d *__weft_i = "
            "(struct __weft_red_%d *)__weft_into;\n    const struct "
            "__weft_red_%d *__weft_f = (const struct __weft_red_%d *)"
            "__weft_from;\n    (void)__weft_cap; (void)__weft_i; "
            "(void)__weft_f;\n",
            "static void __weft_red_fini_%d(void *__weft_data, void "
            "*__weft_slot)\n{\n    void **__weft_cap = (void **)__weft_data;"
            "\n    struct __weft_red_%d *__weft_r = (struct __weft_red_%d *)"
            "__weft_slot;\n    (void)__weft_cap; (void)__weft_r;\n"};
        struct tr_buf *bodies[3] = {&ini, &cmb, &fin};
        /* H26: a reduction construct nested in another one (its function
         * is an outlined __weft_* one) may finish while sibling teams
         * finish theirs into the same original (`parallel for
         * reduction(+:s)` in a `parallel for` body, s shared there), so
         * fini updates the originals under weft's atomic lock, as gcc's
         * reductions do. A taskloop's adapter already holds it. */
        int locked = d->kind != TR_K_TASKLOOP &&
                     strncmp(c->func_name, "__weft_", 7) == 0;
        /* The weft_reduction initialiser after its size and alignment. */
        struct tr_buf rfn = {0};
        if (use_table) {
            tr_buf_printf(&rs,
                          "static const struct weft_red_var __weft_rv_%d[] = "
                          "{ %s };\n",
                          N, tab.s);
            tr_buf_printf(&rfn, "0, 0, 0, __weft_rv_%d, %du, %s", N, ntab,
                          locked ? "WEFT_RED_LOCKED" : "0u");
        } else
            tr_buf_printf(&rfn,
                          "__weft_red_init_%d, __weft_red_comb_%d, "
                          "__weft_red_fini_%d, 0, 0u, 0u",
                          N, N, N);
        tr_buf_free(&tab);
        for (int k = 0; k < 3 && !use_table; k++) {
            tr_buf_printf(&rs, hdr[k], N, N, N, N, N);
            if (k == 2 && locked)
                tr_buf_add(&rs, "    WEFT_atomic_begin();\n");
            if (bodies[k]->s)
                tr_buf_add(&rs, bodies[k]->s);
            if (k == 2 && locked)
                tr_buf_add(&rs, "    WEFT_atomic_end();\n");
            tr_buf_add(&rs, "}\n");
        }
        /* __WEFT_ROFF_N names the offsets' capture slot in the helpers. */
        struct tr_buf fixed = {0};
        char key[48];
        snprintf(key, sizeof key, "__WEFT_ROFF_%d", N);
        for (const char *p = rs.s; *p;) {
            const char *h = strstr(p, key);
            if (!h) {
                tr_buf_add(&fixed, p);
                break;
            }
            tr_buf_addn(&fixed, p, (size_t)(h - p));
            tr_buf_add(&fixed, roff);
            p = h + strlen(key);
        }
        tr_buf_free(&rs);
        rs = fixed;
        tr_buf_free(&st);
        tr_buf_free(&ini);
        tr_buf_free(&cmb);
        tr_buf_free(&fin);
        /* H28: a cluster loop's registered entry (its size comes per
         * call; tr_cluster_epilogue points at it). */
        if (d->cluster && c->has_reduction)
            tr_buf_printf(&rs,
                          "static const struct weft_reduction __weft_crd_%d "
                          "= { 0, 0, %s };\n",
                          N, rfn.s);
        /* H18: a taskloop's tasks size their partials themselves. Size:
         * the scalars' struct, a compile-time constant (H28: then the
         * descriptor is static const, at file scope with the helpers), or
         * the end of the last section, known at the call. */
        if (d->kind == TR_K_TASKLOOP)
            ;
        else if (nsec || nthr)
            tr_buf_printf(&site,
                          "struct weft_reduction __weft_rd_%d = { "
                          "__weft_roff_%d[%d], 0, %s }; ",
                          N, N, nsec + nthr, rfn.s);
        else
            tr_buf_printf(&rs,
                          "static const struct weft_reduction __weft_rd_%d = "
                          "{ sizeof(struct __weft_red_%d), 0, %s };\n",
                          N, N, rfn.s);
        tr_buf_free(&rfn);
        /* H24: a copy of an over-aligned type needs an aligned partial. */
        if (nthr) {
            tr_buf_add(&site, "{ size_t __weft_al = 16; ");
            for (int i = 0; i < c->nvars; i++)
                if (thr_k[i] >= 0) {
                    char obj[160];
                    thread_orig(obj, sizeof obj, N, &c->vars[i]);
                    tr_buf_printf(&site,
                                  "if (__alignof__(%s) > __weft_al) "
                                  "__weft_al = __alignof__(%s); ",
                                  obj, obj);
                }
            tr_buf_printf(&site, "__weft_rd_%d.align = __weft_al; } ", N);
        }
    }

    /* The call. */
    /* A body may capture nothing (a region that only uses its own locals):
     * the block still needs one element to be a valid array. */
    if (d->kind != TR_K_TASKLOOP)
        tr_buf_printf(&site, "void *__weft_cap_%d[] = { %s }; ", N,
                      cp.list.s ? cp.list.s : "0");
    struct tr_buf flags = {0};
    /* `nowait` is accepted and meaningless on `parallel for`: the join at
     * the end of the region orders everything anyway, so the flag is not
     * passed (WEFT_LOOP_NOWAIT is for `for` inside a region). */
    tr_buf_add(&flags, "0u");
    if (d->kind == TR_K_FOR && d->nowait)
        tr_buf_add(&flags, " | WEFT_LOOP_NOWAIT");
    if (d->ordered)
        tr_buf_add(&flags, " | WEFT_LOOP_ORDERED");
    if (d->if_expr)
        tr_buf_printf(&flags, " | ((%s) ? 0u : WEFT_LOOP_IF_FALSE)",
                      d->if_expr);
    struct tr_buf sched = {0};
    if (d->sched > 0) {
        static const char *const kn[] = {"0",
                                         "WEFT_SCHED_STATIC",
                                         "WEFT_SCHED_DYNAMIC",
                                         "WEFT_SCHED_GUIDED",
                                         "WEFT_SCHED_AUTO",
                                         "WEFT_SCHED_RUNTIME"};
        tr_buf_add(&sched, kn[d->sched]);
        if (d->sched_mods & 0x100)
            tr_buf_add(&sched, " | WEFT_SCHED_MOD_MONOTONIC");
        if (d->sched_mods & 0x200)
            tr_buf_add(&sched, " | WEFT_SCHED_MOD_NONMONOTONIC");
    } else {
        tr_buf_add(&sched, "0");
    }
    static const char *const bind[] = {"WEFT_BIND_UNSET", "WEFT_BIND_FALSE",
                                       "WEFT_BIND_TRUE",  "WEFT_BIND_PRIMARY",
                                       "WEFT_BIND_CLOSE", "WEFT_BIND_SPREAD"};
    if (d->kind == TR_K_TASKLOOP) {
        if (taskloop_site(cx, c, &site, &cp))
            bad_tl = 1;
    } else if (reg) {
        tr_buf_printf(&site,
                      "struct weft_region __weft_rg_%d = { &__weft_loc_%d, "
                      "__weft_region_%d, (void *)__weft_cap_%d, %s%s%s, %s, "
                      "%s, ",
                      N, N, N, N, d->num_threads ? "(int)(" : "0",
                      d->num_threads ? d->num_threads : "",
                      d->num_threads ? ")" : "", bind[d->proc_bind], flags.s);
        if (c->has_reduction)
            tr_buf_printf(&site, "&__weft_rd_%d }; ", N);
        else
            tr_buf_add(&site, "0 }; ");
        tr_buf_printf(&site, "WEFT_parallel(&__weft_rg_%d); ", N);
    } else {
        tr_buf_printf(
            &site,
            "struct weft_loop __weft_lp_%d = { &__weft_loc_%d, "
            "__weft_n_%d, %s, %s%s%s, %s%s%s, %s, %s, __weft_body_%d, "
            "(void *)__weft_cap_%d, ",
            N, N, N, sched.s, d->num_threads ? "(int)(" : "0",
            d->num_threads ? d->num_threads : "", d->num_threads ? ")" : "",
            d->chunk ? "(int64_t)(" : "0", d->chunk ? d->chunk : "",
            d->chunk ? ")" : "", bind[d->proc_bind], flags.s, N, N);
        if (c->has_reduction || nthr)
            tr_buf_printf(&site, "&__weft_rd_%d }; ", N);
        else
            tr_buf_add(&site, "0 }; ");
        if (d->cluster)
            tr_cluster_site(cx, c, &site, cp.n, cp.text);
        else
            tr_buf_printf(
                &site, "%s(&__weft_lp_%d); ",
                d->kind == TR_K_FOR ? "WEFT_for" : "WEFT_parallel_for", N);
    }
    /* A loop variable declared before the loop is private to the loop
     * now; the enclosing function may not use it otherwise. */
    for (int j = 0; j < c->nloops; j++)
        if (!c->loops[j].declared_in_init)
            tr_buf_printf(&site, "(void)%s; ", c->loops[j].var);
    for (int i = 0; i < c->nvars; i++) {
        struct tr_var *v = &c->vars[i];
        if (v->is_local && !is_loop_var_name(c, v->name) &&
            (v->cls == TR_V_PRIVATE || v->cls == TR_V_FIRSTPRIVATE ||
             v->cls == TR_V_LASTPRIVATE))
            tr_buf_printf(&site, "(void)%s; ", v->name);
    }
    tr_buf_add(&site, "}");
    tr_buf_free(&flags);
    tr_buf_free(&sched);

    /* The chunk function. */
    if (c->proto && c->id == cx->id_base + 1)
        tr_buf_printf(bf, "%s;\n", c->proto);
    else if (c->proto) {
        int first = 1;
        for (int i = 0; i < cx->ncons; i++)
            if (&cx->cons[i] != c && cx->cons[i].proto &&
                clang_equalCursors(cx->cons[i].func, c->func) &&
                cx->cons[i].id < c->id)
                first = 0;
        if (first)
            tr_buf_printf(bf, "%s;\n", c->proto);
    }
    /* #define lines of the enclosing function that precede the pragma:
     * the body may use them, and the chunk function comes before them. */
    for (int i = 0; i < cx->nmacros; i++) {
        struct tr_local_type *m = &cx->macros[i];
        if (m->off >= c->func_line_off && m->off < d->off) {
            tr_buf_add_line(cx, bf, m->off, 0);
            tr_buf_addn(bf, cx->text + m->off, m->end - m->off);
        }
    }
    if (rs.s) {
        tr_buf_add(bf, "\n");
        tr_buf_add(bf, rs.s);
    }
    tr_buf_free(&rs);
    tr_buf_add_line(cx, bf, d->off, 0);
    if (reg)
        tr_buf_printf(bf,
                      "static void __weft_region_%d(void *__weft_data, "
                      "void *__weft_red)\n{\n"
                      "    void **__weft_cap = (void **)__weft_data;\n",
                      N);
    else
        tr_buf_printf(bf,
                      "static void __weft_body_%d(void *__weft_data, uint64_t "
                      "__weft_lo, uint64_t __weft_hi, void *__weft_red)\n{\n"
                      "    void **__weft_cap = (void **)__weft_data;\n",
                      N);
    /* VLA sizes first: captured types below may name them. */
    for (int i = 0; i < c->nvars; i++) {
        struct tr_var *v = &c->vars[i];
        if (!v->is_vla_size)
            continue;
        tr_buf_printf(bf,
                      "    __typeof__(%s) %s = *(__typeof__(%s) *)"
                      "__weft_cap[%d];\n",
                      v->type, v->name, v->type, v->cap);
    }
    for (int i = 0; i < c->ntypes; i++) {
        tr_buf_add_line(cx, bf, c->types[i].off, 1);
        tr_buf_addn(bf, cx->text + c->types[i].off,
                    c->types[i].end - c->types[i].off);
        tr_buf_add(bf, ";");
    }
    if (c->ntypes)
        tr_buf_add(bf, "\n");
    int need_macro_defs = 0;
    for (int i = 0; i < c->nvars; i++) {
        struct tr_var *v = &c->vars[i];
        const char *T = v->type;
        switch (v->cls) {
        case TR_V_COPY:
            if (v->is_vla_size || !v->referenced)
                break;
            tr_buf_printf(bf,
                          "    __typeof__(%s) %s = *(__typeof__(%s) *)"
                          "__weft_cap[%d];\n",
                          T, v->name, T, v->cap);
            break;
        case TR_V_PTR:
            if (!v->referenced)
                break;
            tr_buf_printf(bf,
                          "    __typeof__(%s) *__weft_p_%s = (__typeof__(%s) "
                          "*)__weft_cap[%d];\n",
                          T, v->name, T, v->cap);
            if (v->macro_ref)
                need_macro_defs = 1;
            break;
        case TR_V_FIRSTPRIVATE:
            if (!v->referenced)
                break;
            if (!thread_copy(c, v)) {
                add_init_copy(bf, v);
                break;
            }
            /* H24: the thread's copy, as its last chunk left it. */
            tr_buf_printf(bf,
                          "    __typeof__(%s) %s; __builtin_memcpy((void *)"
                          "&%s, ",
                          T, v->name, v->name);
            thread_addr(bf, c, v, thr_k[i], nsec, cap_roff);
            tr_buf_printf(bf, ", sizeof %s);\n", v->name);
            break;
        case TR_V_LASTPRIVATE:
            if (is_loop_var_name(c, v->name))
                break;
            if (!v->referenced)
                break;
            if (v->clause && v->clause->sec_lo) {
                /* lastprivate(__weft_p_x[0:1]) from a region (analyze.c,
                 * region_edits): the private copy is an object of the
                 * pointed-to type and the body's (*__weft_p_x) reaches it
                 * through a same-named local pointer. */
                tr_buf_printf(bf,
                              "    __typeof__(**(__typeof__(%s) *)"
                              "__weft_cap[%d]) __weft_lv_%s;",
                              T, v->cap, v->name);
                if (v->cap_first >= 0 && thread_copy(c, v)) {
                    /* H24: per thread, from the thread's copy. */
                    tr_buf_printf(bf,
                                  " __builtin_memcpy((void *)&__weft_lv_%s, ",
                                  v->name);
                    thread_addr(bf, c, v, thr_k[i], nsec, cap_roff);
                    tr_buf_printf(bf, ", sizeof __weft_lv_%s);", v->name);
                } else if (v->cap_first >= 0)
                    tr_buf_printf(bf,
                                  " __builtin_memcpy((void *)&__weft_lv_%s, "
                                  "__weft_cap[%d], sizeof __weft_lv_%s);",
                                  v->name, v->cap_first, v->name);
                else
                    tr_buf_printf(bf,
                                  " __builtin_memset((void *)&__weft_lv_%s, "
                                  "0, sizeof __weft_lv_%s);",
                                  v->name, v->name);
                tr_buf_printf(bf, "\n    __typeof__(%s) %s = &__weft_lv_%s;\n",
                              T, v->name, v->name);
                break;
            }
            if (v->cap_first >= 0 && thread_copy(c, v)) {
                /* H24: firstprivate too: the thread's copy, which starts
                 * as the value from before the loop. */
                tr_buf_printf(bf,
                              "    __typeof__(%s) %s; __builtin_memcpy("
                              "(void *)&%s, ",
                              T, v->name, v->name);
                thread_addr(bf, c, v, thr_k[i], nsec, cap_roff);
                tr_buf_printf(bf, ", sizeof %s);\n", v->name);
            } else if (v->cap_first >= 0) {
                /* firstprivate too: the value from before the loop. */
                struct tr_var snap = *v;
                snap.cap = v->cap_first;
                add_init_copy(bf, &snap);
            } else {
                /* lastprivate alone leaves the start value unspecified.
                 * Reading the original would race with the chunk that
                 * writes it back; zero bytes keep the write-back from
                 * copying an indeterminate value. */
                tr_buf_printf(bf,
                              "    __typeof__(%s) %s; __builtin_memset((void *)"
                              "&%s, 0, sizeof %s);\n",
                              T, v->name, v->name, v->name);
            }
            break;
        case TR_V_PRIVATE:
            if (v->referenced)
                tr_buf_printf(bf, "    __typeof__(%s) %s;\n", T, v->name);
            break;
        case TR_V_REDUCTION: {
            struct rtype rt = red_type(v->clause);
            if (!v->clause->sec_lo) {
                tr_buf_printf(bf,
                              "    %s %s = ((struct __weft_red_%d *)"
                              "__weft_red)->%s;\n",
                              rt.spell, v->name, N, v->name);
            } else {
                int s = 0;
                for (int j = 0; j < i; j++)
                    if (c->vars[j].cls == TR_V_REDUCTION &&
                        c->vars[j].clause->sec_lo)
                        s++;
                /* The empty asm makes the compiler hold the private
                 * section's final address in one register: otherwise gcc
                 * keeps base and -lo apart and adds them in every
                 * iteration (one extra instruction per `h[b]++`). */
                tr_buf_printf(bf,
                              "    %s *%s = (%s *)((char *)__weft_red + "
                              "((size_t *)__weft_cap[%d])[%d]) - "
                              "*(ptrdiff_t *)__weft_cap[%d];\n"
                              "    __asm__(\"\" : \"+r\"(%s));\n",
                              rt.spell, v->name, rt.spell, cap_roff, s,
                              v->cap - 2, v->name);
            }
            free(rt.spell);
            break;
        }
        case TR_V_GLOBAL:
            break;
        }
    }

    if (reg) {
        /* H12: copyin: each thread's threadprivate copy starts as the
         * primary thread's, which every thread reads before any writes. */
        int ncopyin = 0;
        for (int i = 0; i < c->nvars; i++) {
            struct tr_var *v = &c->vars[i];
            if (!v->clause || v->clause->dsa != TR_DSA_COPYIN)
                continue;
            tr_buf_printf(bf,
                          "    if ((void *)&%s != __weft_cap[%d]) "
                          "__builtin_memcpy((void *)&%s, __weft_cap[%d], "
                          "sizeof %s);\n",
                          v->name, v->cap, v->name, v->cap, v->name);
            ncopyin++;
        }
        if (ncopyin) {
            tr_buf_printf(bf, "    { static const struct weft_loc __weft_cl = "
                              "{\"");
            tr_buf_add_cstr(bf, cx->display);
            tr_buf_printf(bf,
                          "\", \"%s\", %u, %u}; "
                          "WEFT_barrier(&__weft_cl); }\n",
                          c->user_func, line, col);
        }
        if (need_macro_defs)
            for (int i = 0; i < c->nvars; i++)
                if (c->vars[i].cls == TR_V_PTR && c->vars[i].macro_ref)
                    tr_buf_printf(bf, "\n#define %s (*__weft_p_%s)",
                                  c->vars[i].name, c->vars[i].name);
        tr_buf_add_line(cx, bf, c->body_off, 1);
        add_body(cx, c, bf, c->body_off, c->body_end);
        if (need_macro_defs)
            for (int i = 0; i < c->nvars; i++)
                if (c->vars[i].cls == TR_V_PTR && c->vars[i].macro_ref)
                    tr_buf_printf(bf, "\n#undef %s", c->vars[i].name);
        tr_buf_add_line(cx, bf, d->off, 0);
        goto after_body;
    }

    /* The loop over logical iterations [lo, hi). */
    for (int j = 0; j < c->nloops; j++) {
        struct tr_loop *lp = &c->loops[j];
        tr_buf_printf(bf,
                      "    __typeof__(%s) __weft_lb%d = *(__typeof__(%s) *)"
                      "__weft_cap[%d];\n",
                      lp->type, j, lp->type, cap_lb[j]);
        /* A literal step stays a compile-time constant in the chunk: gcc
         * vectorises `i += 1` but not `i += <loaded step>`. */
        if (lp->step_is_lit)
            tr_buf_printf(bf, "    const int64_t __weft_st%d = %s;\n", j,
                          lp->step);
        else
            tr_buf_printf(bf,
                          "    int64_t __weft_st%d = *(int64_t *)"
                          "__weft_cap[%d];\n",
                          j, cap_st[j]);
        if (j > 0)
            tr_buf_printf(bf,
                          "    uint64_t __weft_n%d = *(uint64_t *)"
                          "__weft_cap[%d];\n",
                          j, cap_n[j]);
    }
    struct tr_loop *l0 = &c->loops[0];
    struct tr_loop *in = &c->loops[c->nloops - 1];
    /* H19: an iteration of an ordered loop that ran no ordered block
     * (OpenMP allows it) still takes its turn, at its end, so that the
     * runtime's hand-over reaches the iterations after it. The lowered
     * ordered block sets __weft_od (sync.c). */
    const char *ordk = "";
    if (d->ordered) {
        tr_buf_printf(bf, "    static const struct weft_loc __weft_oloc = {\"");
        tr_buf_add_cstr(bf, cx->display);
        tr_buf_printf(bf, "\", \"%s\", %u, %u};\n    int __weft_od = 0;\n",
                      c->user_func, line, col);
        ordk = "__weft_od ? (void)0 : (WEFT_ordered_begin(&__weft_oloc, "
               "__weft_k), WEFT_ordered_end(&__weft_oloc, __weft_k)), "
               "__weft_od = 0, ";
    }
    if (c->nloops == 1) {
        /* Incrementing form: v is computed once per chunk and stepped, the
         * shape gcc and clang vectorise (a per-iteration lb + k*step is
         * not vectorised by gcc 12). */
        if (l0->is_pointer)
            tr_buf_printf(bf,
                          "    __typeof__(%s) %s = __weft_lb0 + (int64_t)"
                          "(__weft_lo * (uint64_t)__weft_st0);\n",
                          l0->type, l0->var);
        else
            tr_buf_printf(bf,
                          "    __typeof__(%s) %s = (__typeof__(%s))((uint64_t)"
                          "__weft_lb0 + __weft_lo * (uint64_t)__weft_st0);\n"
                          "    __typeof__(%s) __weft_stv = (__typeof__(%s))"
                          "__weft_st0;\n",
                          l0->type, l0->var, l0->type, l0->type, l0->type);
        if (c->hints)
            tr_buf_printf(bf, "%s\n", c->hints);
        tr_buf_printf(bf,
                      "    for (uint64_t __weft_k = __weft_lo; __weft_k < "
                      "__weft_hi; %s__weft_k++, %s += %s) {",
                      ordk, l0->var,
                      l0->is_pointer ? "__weft_st0" : "__weft_stv");
    } else {
        if (c->hints)
            tr_buf_printf(bf, "%s\n", c->hints);
        /* Collapsed nest: split __weft_lo into one counter per loop once
         * per chunk, then step the innermost counter and carry into the
         * outer ones (an odometer) in the loop's increment, so no
         * iteration divides and `continue` still advances the counters. */
        tr_buf_add(bf, "    uint64_t __weft_q = __weft_lo;\n");
        for (int j = c->nloops - 1; j > 0; j--)
            tr_buf_printf(bf,
                          "    uint64_t __weft_c%d = __weft_q %% __weft_n%d;"
                          " __weft_q /= __weft_n%d;\n",
                          j, j, j);
        tr_buf_add(bf, "    uint64_t __weft_c0 = __weft_q;\n");
        struct tr_buf adv = {0};
        tr_buf_add(&adv, "++__weft_c0");
        for (int j = 1; j < c->nloops; j++) {
            struct tr_buf o = {0};
            tr_buf_printf(&o,
                          "(++__weft_c%d == __weft_n%d ? (__weft_c%d = 0, "
                          "%s) : 0)",
                          j, j, j, adv.s);
            tr_buf_free(&adv);
            adv = o;
        }
        tr_buf_printf(bf,
                      "    for (uint64_t __weft_k = __weft_lo; __weft_k < "
                      "__weft_hi; %s__weft_k++, (void)%s) {\n",
                      ordk, adv.s);
        tr_buf_free(&adv);
        for (int j = c->nloops - 1; j >= 0; j--) {
            struct tr_loop *lp = &c->loops[j];
            tr_buf_printf(bf, "        uint64_t __weft_k%d = __weft_c%d;\n", j,
                          j);
            if (lp->is_pointer)
                tr_buf_printf(bf,
                              "        __typeof__(%s) %s = __weft_lb%d + "
                              "(int64_t)(__weft_k%d * (uint64_t)__weft_st%d);"
                              "\n",
                              lp->type, lp->var, j, j, j);
            else
                tr_buf_printf(bf,
                              "        __typeof__(%s) %s = (__typeof__(%s))"
                              "((uint64_t)__weft_lb%d + __weft_k%d * "
                              "(uint64_t)__weft_st%d);\n",
                              lp->type, lp->var, lp->type, j, j, j);
        }
    }
    /* A loop variable the body does not use is still "used". */
    for (int j = 0; j < c->nloops; j++)
        tr_buf_printf(bf, "%s(void)%s;", j ? " " : " ", c->loops[j].var);
    /* H31: an orphaned ordered block in a function the body calls takes
     * the thread's current iteration from the runtime. */
    if (d->ordered)
        tr_buf_add(bf, " WEFT_ordered_iter(__weft_k);");
    if (need_macro_defs)
        for (int i = 0; i < c->nvars; i++)
            if (c->vars[i].cls == TR_V_PTR && c->vars[i].macro_ref)
                tr_buf_printf(bf, "\n#define %s (*__weft_p_%s)",
                              c->vars[i].name, c->vars[i].name);
    tr_buf_add_line(cx, bf, in->body_off, 1);
    add_body(cx, c, bf, in->body_off, in->body_end);
    if (need_macro_defs)
        for (int i = 0; i < c->nvars; i++)
            if (c->vars[i].cls == TR_V_PTR && c->vars[i].macro_ref)
                tr_buf_printf(bf, "\n#undef %s", c->vars[i].name);
    /* Generated code after the body belongs to the pragma's line. */
    tr_buf_add_line(cx, bf, d->off, 0);
    tr_buf_add(bf, "    }\n");

after_body:;
    /* After the loop: partials and lastprivate values go back. */
    for (int i = 0; i < c->nvars; i++) {
        struct tr_var *v = &c->vars[i];
        if (!reg && thread_copy(c, v))
            thread_save(bf, c, v, thr_k[i], nsec, cap_roff);
        if (v->cls == TR_V_REDUCTION && !v->clause->sec_lo)
            tr_buf_printf(bf,
                          "    ((struct __weft_red_%d *)__weft_red)->%s "
                          "= %s;\n",
                          N, v->name, v->name);
        int lj = -1;
        for (int j = 0; j < c->nloops; j++)
            if (clang_equalCursors(c->loops[j].var_decl, v->decl))
                lj = j;
        if (v->cls == TR_V_LASTPRIVATE && lj >= 0) {
            /* The value after the sequential loop: lb + n * step. */
            struct tr_loop *lp = &c->loops[lj];
            tr_buf_printf(bf,
                          "    if (__weft_hi == *(uint64_t *)__weft_cap[%d]) "
                          "{ uint64_t __weft_nf = *(uint64_t *)__weft_cap[%d];"
                          " __typeof__(%s) __weft_f = ",
                          cap_ntotal, cap_n[lj], lp->type);
            if (lp->is_pointer)
                tr_buf_printf(bf,
                              "__weft_lb%d + (int64_t)(__weft_nf * "
                              "(uint64_t)__weft_st%d);",
                              lj, lj);
            else
                tr_buf_printf(bf,
                              "(__typeof__(%s))((uint64_t)__weft_lb%d + "
                              "__weft_nf * (uint64_t)__weft_st%d);",
                              lp->type, lj, lj);
            tr_buf_printf(bf,
                          " __builtin_memcpy(__weft_cap[%d], &__weft_f, "
                          "sizeof __weft_f); }\n",
                          v->cap);
        } else if (v->cls == TR_V_LASTPRIVATE && v->referenced && v->clause &&
                   v->clause->sec_lo)
            tr_buf_printf(bf,
                          "    if (__weft_hi == *(uint64_t *)__weft_cap[%d]) "
                          "__builtin_memcpy(*(void **)__weft_cap[%d], "
                          "&__weft_lv_%s, sizeof __weft_lv_%s);\n",
                          cap_ntotal, v->cap, v->name, v->name);
        else if (v->cls == TR_V_LASTPRIVATE && v->referenced)
            tr_buf_printf(bf,
                          "    if (__weft_hi == *(uint64_t *)__weft_cap[%d]) "
                          "__builtin_memcpy(__weft_cap[%d], &%s, sizeof %s);\n",
                          cap_ntotal, v->cap, v->name, v->name);
    }
    tr_buf_add(bf, "    (void)__weft_cap; (void)__weft_red;\n}\n");
    if (d->kind == TR_K_TASKLOOP)
        taskloop_adapter(c, bf, &cp, nsec, cap_roff);

    /* The call site, on one line: the lines after it keep their numbers. */
    tr_buf_printf(cs, "%s", site.s);
    tr_buf_free(&site);
    tr_buf_free(&cp.list);
    for (int i = 0; i < cp.n; i++) {
        free(cp.text[i]);
        free(cp.lv[i]);
    }
    free(cp.text);
    free(cp.lv);
    free(thr_k);
    return bad_tl ? -1 : 0;
}
