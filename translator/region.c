/* This file handles what the translator knows about parallel regions,
 * worksharing and synchronisation constructs (issue 4) before lowering
 * them: their names, the clauses each allows, the statement each applies
 * to, and where OpenMP forbids one inside another. Lowering is elsewhere:
 * outline.c outlines `parallel` and `for` like `parallel for`, sync.c
 * rewrites the others in place.
 *
 * Passes: each translator pass lowers the OUTERMOST constructs only; what
 * is nested stays as pragma text in the outlined functions (or inside the
 * rewritten block) and the next pass, which re-parses the output, lowers
 * it. So a `for` in a region is an orphaned `for` in the region function,
 * lowered exactly like one in any function called from a region. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tr.h"

static const struct {
    const char *name;
    unsigned bit;
} clause_bits[] = {
    {"schedule", TR_CL_SCHEDULE},       {"reduction", TR_CL_REDUCTION},
    {"private", TR_CL_PRIVATE},         {"firstprivate", TR_CL_FIRSTPRIVATE},
    {"lastprivate", TR_CL_LASTPRIVATE}, {"shared", TR_CL_SHARED},
    {"default", TR_CL_DEFAULT},         {"collapse", TR_CL_COLLAPSE},
    {"num_threads", TR_CL_NUM_THREADS}, {"if", TR_CL_IF},
    {"proc_bind", TR_CL_PROC_BIND},     {"nowait", TR_CL_NOWAIT},
    {"ordered", TR_CL_ORDERED},         {"copyin", TR_CL_COPYIN},
    {"copyprivate", TR_CL_COPYPRIVATE}, {"filter", TR_CL_FILTER},
    {"depend", TR_CL_DEPEND},           {"final", TR_CL_FINAL},
    {"untied", TR_CL_UNTIED},           {"mergeable", TR_CL_MERGEABLE},
    {"priority", TR_CL_PRIORITY},       {"grainsize", TR_CL_GRAINSIZE},
    {"num_tasks", TR_CL_NUM_TASKS},     {"nogroup", TR_CL_NOGROUP},
    {"safelen", TR_CL_SIMD},            {"simdlen", TR_CL_SIMD},
    {"aligned", TR_CL_SIMD},            {"nontemporal", TR_CL_SIMD},
    {"order", TR_CL_ORDER},                {"hint", TR_CL_HINT},
};

unsigned tr_clause_bit(const char *name) {
    for (unsigned i = 0; i < sizeof clause_bits / sizeof clause_bits[0]; i++)
        if (strcmp(name, clause_bits[i].name) == 0)
            return clause_bits[i].bit;
    return TR_CL_OTHER;
}

const char *tr_kind_name(int kind) {
    static const char *const n[] = {
        "parallel for", "parallel",          "for",           "sections",
        "section",      "parallel sections", "single",        "master",
        "masked",       "critical",          "barrier",       "atomic",
        "flush",        "ordered",           "threadprivate", "taskwait",
        "taskyield",    "taskgroup",         "task",          "taskloop",
        "parallel for", "simd",              "declare simd",
        "cancel",       "cancellation point"};
    if (kind < 0 || (unsigned)kind >= sizeof n / sizeof n[0])
        return "?";
    return n[kind];
}

int tr_kind_outlined(int kind) {
    return kind == TR_K_PARALLEL_FOR || kind == TR_K_PARALLEL ||
           kind == TR_K_FOR || kind == TR_K_TASK || kind == TR_K_TASKLOOP;
}

/* Whether the construct applies to the statement after it. */
static int has_assoc(int kind) {
    return kind != TR_K_BARRIER && kind != TR_K_FLUSH && kind != TR_K_SECTION &&
           kind != TR_K_THREADPRIVATE && kind != TR_K_TASKWAIT &&
           kind != TR_K_TASKYIELD && kind != TR_K_SIMD &&
           kind != TR_K_DECLARE_SIMD && kind != TR_K_CANCEL &&
           kind != TR_K_CANCELLATION_POINT;
}

static int tok_eq(const char *s, struct tr_tok t, const char *w) {
    return tr_tok_is(s, t, w);
}

int tr_region_kind(const char *s, unsigned n, unsigned p, unsigned *after,
                   char **arg, unsigned *arg_at) {
    unsigned q = p;
    struct tr_tok t1 = tr_lex(s, n, &q);
    unsigned a1 = q;
    struct tr_tok t2 = tr_lex(s, n, &q);
    unsigned a2 = q;
    int kind = -1;
    unsigned at = a1;
    int paren = 0; /* 1: optional (arg), 2: required (arg) */
    *arg = NULL;
    *arg_at = 0;
    if (t1.kind != TR_TK_IDENT)
        return -1;
    if (tok_eq(s, t1, "parallel")) {
        static const char *const combined[] = {
            "master", "masked", "loop",       "simd",     "workshare", "single",
            "for",    "do",     "distribute", "taskloop", NULL};
        if (tok_eq(s, t2, "sections")) {
            kind = TR_K_PARALLEL_SECTIONS;
            at = a2;
        } else {
            for (int i = 0; combined[i]; i++)
                if (tok_eq(s, t2, combined[i]))
                    return -1;
            kind = TR_K_PARALLEL;
        }
    } else if (tok_eq(s, t1, "for")) {
        if (tok_eq(s, t2, "simd"))
            at = a2; /* H25: `for simd` is `for` with hints */
        kind = TR_K_FOR;
    } else if (tok_eq(s, t1, "simd")) {
        kind = TR_K_SIMD; /* H25 */
    } else if (tok_eq(s, t1, "declare") && tok_eq(s, t2, "simd")) {
        kind = TR_K_DECLARE_SIMD; /* H25 */
        at = a2;
    } else if (tok_eq(s, t1, "cancel") ||
               (tok_eq(s, t1, "cancellation") && tok_eq(s, t2, "point"))) {
        /* H26: the construct type goes into arg; a missing or unknown
         * one is reported by tr_check_cancel. */
        kind = tok_eq(s, t1, "cancel") ? TR_K_CANCEL : TR_K_CANCELLATION_POINT;
        unsigned r = kind == TR_K_CANCEL ? a1 : a2;
        struct tr_tok w = tr_lex(s, n, &r);
        at = kind == TR_K_CANCEL ? a1 : a2;
        if (tok_eq(s, w, "parallel") || tok_eq(s, w, "for") ||
            tok_eq(s, w, "sections") || tok_eq(s, w, "taskgroup")) {
            *arg = tr_strndup(s + w.off, w.len);
            *arg_at = w.off;
            at = r;
        }
    } else if (tok_eq(s, t1, "sections")) {
        kind = TR_K_SECTIONS;
    } else if (tok_eq(s, t1, "section")) {
        kind = TR_K_SECTION;
    } else if (tok_eq(s, t1, "single")) {
        kind = TR_K_SINGLE;
    } else if (tok_eq(s, t1, "master")) {
        if (tok_eq(s, t2, "taskloop"))
            return -1;
        kind = TR_K_MASTER;
    } else if (tok_eq(s, t1, "masked")) {
        if (tok_eq(s, t2, "taskloop"))
            return -1;
        kind = TR_K_MASKED;
    } else if (tok_eq(s, t1, "critical")) {
        kind = TR_K_CRITICAL;
        paren = 1;
    } else if (tok_eq(s, t1, "barrier")) {
        kind = TR_K_BARRIER;
    } else if (tok_eq(s, t1, "flush")) {
        kind = TR_K_FLUSH;
        paren = 1;
    } else if (tok_eq(s, t1, "ordered")) {
        kind = TR_K_ORDERED;
    } else if (tok_eq(s, t1, "threadprivate")) {
        kind = TR_K_THREADPRIVATE;
        paren = 2;
    } else if (tok_eq(s, t1, "taskwait")) {
        kind = TR_K_TASKWAIT;
    } else if (tok_eq(s, t1, "taskyield")) {
        kind = TR_K_TASKYIELD;
    } else if (tok_eq(s, t1, "task")) {
        kind = TR_K_TASK;
    } else if (tok_eq(s, t1, "taskloop")) {
        if (tok_eq(s, t2, "simd"))
            at = a2; /* H25: `taskloop simd` is `taskloop` with hints */
        kind = TR_K_TASKLOOP; /* H18 */
    } else if (tok_eq(s, t1, "taskgroup")) {
        kind = TR_K_TASKGROUP;
    } else if (tok_eq(s, t1, "atomic")) {
        /* The clause words (read, write, update, capture, memory orders)
         * are read by sync.c from arg. */
        unsigned e = n;
        while (e > a1 && (s[e - 1] == ' ' || s[e - 1] == '\t' ||
                          s[e - 1] == '\r' || s[e - 1] == '\n'))
            e--;
        *arg = tr_strndup(s + a1, e - a1);
        *arg_at = a1;
        *after = n;
        return TR_K_ATOMIC;
    } else {
        return -1;
    }
    *after = at;
    if (paren) {
        unsigned r = at;
        struct tr_tok o = tr_lex(s, n, &r);
        if (tok_eq(s, o, "(")) {
            int depth = 1;
            unsigned b = r, e = r;
            for (;;) {
                struct tr_tok t = tr_lex(s, n, &r);
                if (t.kind == TR_TK_EOF)
                    return -1;
                if (tok_eq(s, t, "("))
                    depth++;
                if (tok_eq(s, t, ")") && --depth == 0) {
                    e = t.off;
                    break;
                }
            }
            *arg = tr_strndup(s + b, e - b);
            *arg_at = b;
            *after = r;
        } else if (paren == 2) {
            return -1;
        }
    }
    return kind;
}

int tr_check_clauses(struct tr_ctx *cx, struct tr_construct *c) {
    struct tr_directive *d = &c->dir;
    unsigned par = TR_CL_PRIVATE | TR_CL_FIRSTPRIVATE | TR_CL_SHARED |
                   TR_CL_DEFAULT | TR_CL_REDUCTION | TR_CL_NUM_THREADS |
                   TR_CL_IF | TR_CL_PROC_BIND | TR_CL_COPYIN;
    unsigned ok;
    switch (d->kind) {
    case TR_K_PARALLEL_FOR:
        ok = ~(TR_CL_COPYIN | TR_CL_COPYPRIVATE | TR_CL_FILTER |
               TR_CL_TASK_ONLY);
        break;
    case TR_K_PARALLEL_FOR_COPYIN:
        ok = ~(TR_CL_COPYPRIVATE | TR_CL_FILTER | TR_CL_TASK_ONLY |
               TR_CL_NOWAIT);
        break;
    case TR_K_PARALLEL:
        ok = par;
        break;
    case TR_K_PARALLEL_SECTIONS: /* lastprivate: sync.c gives it to sections */
        ok = par | TR_CL_LASTPRIVATE;
        break;
    case TR_K_FOR:
        ok = TR_CL_SCHEDULE | TR_CL_REDUCTION | TR_CL_PRIVATE |
             TR_CL_FIRSTPRIVATE | TR_CL_LASTPRIVATE | TR_CL_COLLAPSE |
             TR_CL_NOWAIT | TR_CL_ORDERED | TR_CL_ORDER |
             (d->simd ? TR_CL_SIMD : 0);
        break;
    case TR_K_SECTIONS:
        ok = TR_CL_PRIVATE | TR_CL_FIRSTPRIVATE | TR_CL_LASTPRIVATE |
             TR_CL_REDUCTION | TR_CL_NOWAIT;
        break;
    case TR_K_SINGLE:
        ok = TR_CL_PRIVATE | TR_CL_FIRSTPRIVATE | TR_CL_COPYPRIVATE |
             TR_CL_NOWAIT;
        break;
    case TR_K_MASKED:
        ok = TR_CL_FILTER;
        break;
    case TR_K_CRITICAL:
        ok = TR_CL_HINT;
        break;
    case TR_K_TASK:
        ok = TR_CL_PRIVATE | TR_CL_FIRSTPRIVATE | TR_CL_SHARED | TR_CL_DEFAULT |
             TR_CL_IF | TR_CL_DEPEND | TR_CL_FINAL | TR_CL_UNTIED |
             TR_CL_MERGEABLE | TR_CL_PRIORITY;
        break;
    case TR_K_TASKLOOP: /* H18 */
        ok = TR_CL_PRIVATE | TR_CL_FIRSTPRIVATE | TR_CL_LASTPRIVATE |
             TR_CL_SHARED | TR_CL_DEFAULT | TR_CL_IF | TR_CL_FINAL |
             TR_CL_UNTIED | TR_CL_MERGEABLE | TR_CL_PRIORITY |
             TR_CL_GRAINSIZE | TR_CL_NUM_TASKS | TR_CL_NOGROUP |
             TR_CL_COLLAPSE | TR_CL_REDUCTION |
             (d->simd ? TR_CL_SIMD | TR_CL_ORDER : 0);
        break;
    case TR_K_TASKWAIT:
        /* H18: taskwait depend(...) waits for every child, a superset of
         * the tasks its dependences name: correct, if more than needed. */
        ok = TR_CL_DEPEND;
        break;
    case TR_K_CANCEL: /* H26 */
        ok = TR_CL_IF;
        break;
    default:
        ok = 0;
        break;
    }
    unsigned badbits = d->seen & ~ok;
    const char *sp0 = d->is_weft ? "weft" : "omp";
    if (!badbits && (d->seen & TR_CL_GRAINSIZE) &&
        (d->seen & TR_CL_NUM_TASKS)) {
        tr_error(cx, d->clause_off,
                 "'grainsize' and 'num_tasks' on one '#pragma %s taskloop'; "
                 "OpenMP allows one of them: keep one",
                 sp0);
        return -1;
    }
    if (!badbits && (d->seen & TR_CL_REDUCTION) && (d->seen & TR_CL_NOGROUP)) {
        tr_error(cx, d->clause_off,
                 "'reduction' and 'nogroup' on one '#pragma %s taskloop'; "
                 "the reduction completes at the end of the taskloop's "
                 "taskgroup: remove 'nogroup'",
                 sp0);
        return -1;
    }
    if (!badbits) {
        if ((d->seen & TR_CL_NOWAIT) && (d->seen & TR_CL_COPYPRIVATE)) {
            tr_error(cx, d->clause_off,
                     "'copyprivate' and 'nowait' on one '#pragma %s single'; "
                     "copyprivate needs the barrier at the end of single: "
                     "remove 'nowait'",
                     d->is_weft ? "weft" : "omp");
            return -1;
        }
        return 0;
    }
    for (unsigned i = 0; i < sizeof clause_bits / sizeof clause_bits[0]; i++)
        if (badbits & clause_bits[i].bit) {
            tr_error(cx, d->clause_off,
                     "'%s' clause is not allowed on '#pragma %s %s'; remove "
                     "it",
                     clause_bits[i].name, d->is_weft ? "weft" : "omp",
                     tr_kind_name(d->kind));
            return -1;
        }
    tr_error(cx, d->clause_off, "unexpected clause on '#pragma %s %s'",
             d->is_weft ? "weft" : "omp", tr_kind_name(d->kind));
    return -1;
}

/* Finds the outermost statement or expression cursor starting at off. */
struct find_stmt {
    unsigned off;
    CXCursor found;
    int ok;
};

static enum CXChildVisitResult find_visit(CXCursor c, CXCursor parent,
                                          CXClientData data) {
    struct find_stmt *f = data;
    (void)parent;
    enum CXCursorKind k = clang_getCursorKind(c);
    unsigned b, e;
    tr_cursor_range(c, &b, &e);
    if (b > f->off || e <= f->off)
        return CXChildVisit_Continue;
    if (b == f->off && (clang_isStatement(k) || clang_isExpression(k))) {
        f->found = c;
        f->ok = 1;
        return CXChildVisit_Break;
    }
    return CXChildVisit_Recurse;
}

int tr_assoc_stmt(struct tr_ctx *cx, struct tr_construct *c) {
    struct tr_directive *d = &c->dir;
    c->replace_off = d->off;
    c->replace_end = d->end;
    if (!has_assoc(d->kind))
        return 0;
    /* Skip pragma lines (nested directives belong to the statement) and
     * `_Pragma(...)` operators up to the statement. */
    unsigned p = d->end;
    struct tr_tok t;
    for (;;) {
        t = tr_lex(cx->text, cx->size, &p);
        if (tr_tok_is(cx->text, t, "#")) {
            unsigned e = t.off;
            while (e < cx->size &&
                   !(cx->text[e] == '\n' && cx->text[e - 1] != '\\'))
                e++;
            p = e;
            continue;
        }
        if (tr_tok_is(cx->text, t, "_Pragma")) {
            int depth = 0;
            for (;;) {
                struct tr_tok u = tr_lex(cx->text, cx->size, &p);
                if (u.kind == TR_TK_EOF)
                    break;
                if (tr_tok_is(cx->text, u, "("))
                    depth++;
                if (tr_tok_is(cx->text, u, ")") && --depth == 0)
                    break;
            }
            continue;
        }
        break;
    }
    struct find_stmt f = {t.off, clang_getNullCursor(), 0};
    if (t.kind != TR_TK_EOF)
        clang_visitChildren(c->func, find_visit, &f);
    if (!f.ok) {
        if (tr_kind_outlined(d->kind))
            return 0; /* analyze.c reports what a loop construct lacks */
        tr_error(cx, d->off,
                 "'#pragma %s %s' must be followed by a statement (or a "
                 "block in braces)",
                 d->is_weft ? "weft" : "omp", tr_kind_name(d->kind));
        return -1;
    }
    c->stmt = f.found;
    c->has_stmt = 1;
    c->body_off = d->end;
    c->body_end = tr_stmt_end(cx, f.found);
    c->replace_end = c->body_end;
    return 0;
}

/* The innermost construct of the pass whose range holds o, or NULL. */
static struct tr_construct *enclosing(struct tr_ctx *cx,
                                      struct tr_construct *o) {
    struct tr_construct *best = NULL;
    for (int i = 0; i < cx->ncons; i++) {
        struct tr_construct *e = &cx->cons[i];
        if (e == o || e->id < 0 ||
            !(o->dir.off > e->replace_off && o->dir.off < e->replace_end))
            continue;
        if (!best || e->dir.off > best->dir.off)
            best = e;
    }
    return best;
}

static int is_ws(int k) {
    return k == TR_K_FOR || k == TR_K_PARALLEL_FOR || k == TR_K_SECTIONS ||
           k == TR_K_SINGLE || k == TR_K_PARALLEL_SECTIONS ||
           k == TR_K_PARALLEL_FOR_COPYIN;
}

int tr_check_nesting(struct tr_ctx *cx, struct tr_construct *c) {
    const char *sp = c->dir.is_weft ? "weft" : "omp";
    int bad = 0;
    if (c->dir.kind == TR_K_SECTION) {
        tr_error(cx, c->dir.off,
                 "'#pragma %s section' outside '#pragma %s sections'; a "
                 "section must be directly inside the sections block",
                 sp, sp);
        return -1;
    }
    /* H31: an ordered block outside every construct of a user function is
     * orphaned (it binds to the ordered loop whose body calls it); inside
     * a region or task function it is closely nested in no loop. */
    if (c->dir.kind == TR_K_ORDERED &&
        strncmp(c->func_name, "__weft_body_", 12) != 0 &&
        strncmp(c->func_name, "__weft_", 7) == 0) {
        tr_error(cx, c->dir.off,
                 "'#pragma %s ordered' must be inside the body of a loop "
                 "with the 'ordered' clause",
                 sp);
        return -1;
    }
    for (int i = 0; i < cx->ncons; i++) {
        struct tr_construct *o = &cx->cons[i];
        if (o == c || o->id < 0 ||
            !(o->dir.off > c->replace_off && o->dir.off < c->replace_end))
            continue;
        int ok = o->dir.kind;
        int ck = c->dir.kind;
        const char *osp = o->dir.is_weft ? "weft" : "omp";
        if (ck == TR_K_CRITICAL && ok == TR_K_CRITICAL) {
            const char *a = c->dir.arg ? c->dir.arg : "";
            const char *b = o->dir.arg ? o->dir.arg : "";
            if (strcmp(a, b) == 0) {
                tr_error(cx, o->dir.off,
                         "'#pragma %s critical%s%s%s' inside a critical "
                         "section of the same name would wait for itself "
                         "forever; use another name",
                         osp, *b ? "(" : "", b, *b ? ")" : "");
                bad = 1;
                continue;
            }
        }
        if (enclosing(cx, o) != c)
            continue; /* checked when its own enclosing construct is */
        int wslike = is_ws(ck) || ck == TR_K_CRITICAL || ck == TR_K_ORDERED ||
                     ck == TR_K_ATOMIC || ck == TR_K_MASTER ||
                     ck == TR_K_MASKED;
        const char *why = NULL;
        if (ck == TR_K_ATOMIC)
            why = "nothing may be nested in '#pragma omp atomic'";
        else if ((ok == TR_K_FOR || ok == TR_K_SECTIONS || ok == TR_K_SINGLE ||
                  ok == TR_K_BARRIER) &&
                 (ck == TR_K_TASK || ck == TR_K_TASKLOOP))
            why = "a task runs on one thread, not on the team, so "
                  "worksharing constructs and barriers may not be closely "
                  "nested in it; put it outside the task";
        else if ((ok == TR_K_FOR || ok == TR_K_SECTIONS || ok == TR_K_SINGLE ||
                  ok == TR_K_BARRIER) &&
                 wslike)
            why = "it would be closely nested in a worksharing, critical, "
                  "ordered or master region, which only some threads of the "
                  "team reach; put it outside that construct";
        else if ((ok == TR_K_MASTER || ok == TR_K_MASKED) && is_ws(ck))
            why = "master and masked may not be closely nested in a "
                  "worksharing construct";
        else if (ok == TR_K_ORDERED &&
                 !((ck == TR_K_FOR || ck == TR_K_PARALLEL_FOR ||
                    ck == TR_K_PARALLEL_FOR_COPYIN) &&
                   c->dir.ordered))
            why = "an ordered region must be closely nested in a loop "
                  "that has the 'ordered' clause; add 'ordered' to the "
                  "loop's pragma";
        else if (ok == TR_K_SECTION && ck != TR_K_SECTIONS &&
                 ck != TR_K_PARALLEL_SECTIONS)
            why = "a section must be directly inside '#pragma omp "
                  "sections'";
        if (why) {
            tr_error(cx, o->dir.off,
                     "'#pragma %s %s' inside '#pragma %s %s': %s", osp,
                     tr_kind_name(ok), sp, tr_kind_name(ck), why);
            bad = 1;
        }
    }
    return bad ? -1 : 0;
}

/* H26: cancellation is off in weft (omp_get_cancellation() is 0), so a
 * cancel or cancellation point has no effect; what remains is OpenMP's
 * placement rule, checked here as gcc and clang check it. */
int tr_check_cancel(struct tr_ctx *cx, struct tr_construct *c) {
    struct tr_directive *d = &c->dir;
    const char *sp = d->is_weft ? "weft" : "omp";
    const char *what = tr_kind_name(d->kind);
    if (!d->arg) {
        tr_error(cx, d->off,
                 "'#pragma %s %s' must name the construct it applies to: "
                 "parallel, for, sections or taskgroup",
                 sp, what);
        return -1;
    }
    const char *ty = d->arg;
    struct tr_construct *e = enclosing(cx, c);
    int ek = e ? e->dir.kind : -1;
    int match;
    const char *want;
    if (strcmp(ty, "parallel") == 0) {
        match = ek == TR_K_PARALLEL;
        want = "a parallel region ('#pragma omp parallel')";
    } else if (strcmp(ty, "for") == 0) {
        match = (ek == TR_K_FOR || ek == TR_K_PARALLEL_FOR ||
                 ek == TR_K_PARALLEL_FOR_COPYIN) &&
                !e->dir.simd;
        want = "a for loop ('#pragma omp for' or 'parallel for')";
    } else if (strcmp(ty, "sections") == 0) {
        match = ek == TR_K_SECTIONS || ek == TR_K_PARALLEL_SECTIONS;
        want = "a sections construct";
    } else {
        match = ek == TR_K_TASK || ek == TR_K_TASKLOOP;
        want = "a task or taskloop (itself inside a taskgroup)";
    }
    if (!e) {
        tr_error(cx, d->off,
                 "'#pragma %s %s %s' is not inside any construct; it must be "
                 "closely nested in %s",
                 sp, what, ty, want);
        return -1;
    }
    if (!match) {
        tr_error(cx, d->off,
                 "'#pragma %s %s %s' inside '#pragma %s %s%s': it must be "
                 "closely nested in %s, with no other construct between them",
                 sp, what, ty, e->dir.is_weft ? "weft" : "omp",
                 tr_kind_name(ek), e->dir.simd ? " simd" : "", want);
        return -1;
    }
    /* A worksharing construct that may be cancelled must not have nowait,
     * and a loop not ordered (OpenMP; clang refuses both, gcc warns). */
    if ((ek == TR_K_FOR || ek == TR_K_SECTIONS) && e->dir.nowait) {
        tr_error(cx, d->off,
                 "'#pragma %s %s %s' inside a %s with 'nowait'; a construct "
                 "that may be cancelled must not have nowait: remove it",
                 sp, what, ty, tr_kind_name(ek));
        return -1;
    }
    if (strcmp(ty, "for") == 0 && e->dir.ordered) {
        tr_error(cx, d->off,
                 "'#pragma %s %s for' inside a loop with the 'ordered' "
                 "clause; a loop that may be cancelled must not be ordered",
                 sp, what);
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* task                                                                */
/* ------------------------------------------------------------------ */

/* A variably modified type (a VLA, or a pointer to or array of one) cannot
 * be a struct member (C11 6.7.2.1), so such a variable travels through the
 * task's argument block as a `void *` and gets its type back in the task
 * function, after the sizes it names. */
static int task_vm_type(CXType t) {
    for (int depth = 0; depth < 64; depth++) {
        t = clang_getCanonicalType(t);
        switch (t.kind) {
        case CXType_VariableArray:
            return 1;
        case CXType_Pointer:
            t = clang_getPointeeType(t);
            break;
        case CXType_ConstantArray:
        case CXType_IncompleteArray:
            t = clang_getArrayElementType(t);
            break;
        default:
            return 0;
        }
    }
    return 0;
}

/* 0: not variably modified; 1: a pointer to a VLA (a parameter declared
 * as an array is one); 2: a VLA, or an array of pointers to VLAs. */
static int task_var_vm(const struct tr_var *v) {
    CXType t = clang_getCanonicalType(clang_getCursorType(v->decl));
    int is_arr = t.kind == CXType_VariableArray ||
                 t.kind == CXType_ConstantArray ||
                 t.kind == CXType_IncompleteArray;
    if (is_arr && clang_getCursorKind(v->decl) == CXCursor_ParmDecl)
        return task_vm_type(clang_getArrayElementType(t)) ? 1 : 0;
    if (!task_vm_type(t))
        return 0;
    return is_arr ? 2 : 1;
}

/* A variable the task function needs: referenced by the body, or naming a
 * VLA size that a captured type spells. */
static int task_needs(const struct tr_var *v) {
    return v->referenced || v->is_vla_size;
}

/* The task's argument block: firstprivate values are copied into it when
 * the task is created (the runtime copies the block again when it defers
 * the task), shared variables travel as pointers. The struct is declared
 * where it is used, in the creating function and in the task function,
 * with the same members, so that local types stay nameable. */
int tr_outline_task(struct tr_ctx *cx, struct tr_construct *c,
                    struct tr_buf *bf, struct tr_buf *cs) {
    int N = c->id;
    struct tr_directive *d = &c->dir;
    struct tr_buf st = {0};
    tr_buf_printf(&st, "struct __weft_targ_%d { char __weft_unused; ", N);
    int bad = 0;
    for (int i = 0; i < c->nvars; i++) {
        struct tr_var *v = &c->vars[i];
        if (!task_needs(v))
            continue;
        int vm = task_var_vm(v);
        switch (v->cls) {
        case TR_V_FIRSTPRIVATE:
        case TR_V_COPY:
            if (v->is_vla || vm == 2) {
                tr_error(cx, v->nrefs ? v->refs[0] : d->off,
                         "variable-length array '%s' would be copied into a "
                         "task, which is not supported yet; make it "
                         "shared(%s)",
                         v->name, v->name);
                bad = 1;
            }
            if (vm)
                tr_buf_printf(&st, "void *%s; ", v->name);
            else
                tr_buf_printf(&st, "__typeof__(%s) %s; ", v->type, v->name);
            break;
        case TR_V_PTR:
            if (vm)
                tr_buf_printf(&st, "void *__weft_p_%s; ", v->name);
            else
                tr_buf_printf(&st, "__typeof__(%s) *__weft_p_%s; ", v->type,
                              v->name);
            /* A shared VLA size: the types need its value at creation. */
            if (v->is_vla_size)
                tr_buf_printf(&st, "__typeof__(%s) %s; ", v->type, v->name);
            break;
        default:
            break;
        }
    }
    tr_buf_add(&st, "}");
    if (bad) {
        tr_buf_free(&st);
        return -1;
    }

    /* Call site. */
    tr_buf_printf(cs, "{ static const struct weft_loc __weft_loc_%d = {\"", N);
    tr_buf_add_cstr(cs, cx->display);
    tr_buf_printf(cs, "\", \"%s\", %u, %u}; %s __weft_ta_%d; ", c->user_func,
                  d->line, d->col, st.s, N);
    for (int i = 0; i < c->nvars; i++) {
        struct tr_var *v = &c->vars[i];
        if (!task_needs(v))
            continue;
        if (v->cls == TR_V_FIRSTPRIVATE || v->cls == TR_V_COPY ||
            (v->cls == TR_V_PTR && v->is_vla_size))
            /* The member's size: a parameter declared as an array is a
             * pointer, which `sizeof` of its name would not say. */
            tr_buf_printf(cs,
                          "__builtin_memcpy((void *)&__weft_ta_%d.%s, "
                          "(const void *)&%s, sizeof __weft_ta_%d.%s); ",
                          N, v->name, v->name, N, v->name);
        if (v->cls == TR_V_PTR)
            tr_buf_printf(cs, "__weft_ta_%d.__weft_p_%s = &%s; ", N, v->name,
                          v->name);
    }
    /* H18: depend items are addresses taken where the task is created;
     * priority(e) is evaluated for its side effects only (weft has no task
     * priorities). */
    if (d->ndeps) {
        static const char *const dk[] = {"0", "WEFT_DEP_IN", "WEFT_DEP_OUT",
                                         "WEFT_DEP_INOUT"};
        tr_buf_printf(cs, "struct weft_depend __weft_dp_%d[%d] = {", N,
                      d->ndeps);
        for (int i = 0; i < d->ndeps; i++)
            tr_buf_printf(cs, "%s{(void *)(%s), %s}", i ? ", " : " ",
                          d->deps[i].addr, dk[d->deps[i].kind & 3u]);
        tr_buf_add(cs, " }; ");
    }
    if (d->priority)
        tr_buf_printf(cs, "(void)(%s); ", d->priority);
    tr_buf_printf(cs,
                  "WEFT_task(&__weft_loc_%d, __weft_task_%d, (void *)"
                  "&__weft_ta_%d, sizeof __weft_ta_%d, _Alignof(struct "
                  "__weft_targ_%d), 0u",
                  N, N, N, N, N);
    if (d->if_expr)
        tr_buf_printf(cs, " | ((%s) ? 0u : WEFT_TASK_IF_FALSE)", d->if_expr);
    if (d->final_expr)
        tr_buf_printf(cs, " | ((%s) ? WEFT_TASK_FINAL : 0u)", d->final_expr);
    /* untied: weft tasks never migrate between threads, so an untied task
     * runs tied, which OpenMP allows; mergeable has no effect. */
    if (d->untied)
        tr_buf_add(cs, " | WEFT_TASK_UNTIED");
    if (d->mergeable)
        tr_buf_add(cs, " | WEFT_TASK_MERGEABLE");
    if (d->ndeps)
        tr_buf_printf(cs, ", __weft_dp_%d, %du); }", N, d->ndeps);
    else
        tr_buf_add(cs, ", 0, 0); }");

    /* The task function, before the enclosing function. */
    if (c->proto) {
        int first = 1;
        for (int i = 0; i < cx->ncons; i++)
            if (&cx->cons[i] != c && cx->cons[i].proto &&
                clang_equalCursors(cx->cons[i].func, c->func) &&
                cx->cons[i].id < c->id)
                first = 0;
        if (first)
            tr_buf_printf(bf, "%s;\n", c->proto);
    }
    for (int i = 0; i < cx->nmacros; i++) {
        struct tr_local_type *m = &cx->macros[i];
        if (m->off >= c->func_line_off && m->off < d->off) {
            tr_buf_add_line(cx, bf, m->off, 0);
            tr_buf_addn(bf, cx->text + m->off, m->end - m->off);
        }
    }
    tr_buf_add_line(cx, bf, d->off, 0);
    tr_buf_printf(bf, "static void __weft_task_%d(void *__weft_arg)\n{\n", N);
    for (int i = 0; i < c->ntypes; i++) {
        tr_buf_add_line(cx, bf, c->types[i].off, 1);
        tr_buf_addn(bf, cx->text + c->types[i].off,
                    c->types[i].end - c->types[i].off);
        tr_buf_add(bf, ";");
    }
    if (c->ntypes)
        tr_buf_add(bf, "\n");
    tr_buf_printf(bf,
                  "    %s;\n    struct __weft_targ_%d *__weft_t = "
                  "(struct __weft_targ_%d *)__weft_arg;\n",
                  st.s, N, N);
    int macro_defs = 0;
    /* VLA sizes first: the types spelled below may name them. */
    for (int i = 0; i < c->nvars; i++) {
        struct tr_var *v = &c->vars[i];
        if (v->is_vla_size &&
            (v->cls == TR_V_FIRSTPRIVATE || v->cls == TR_V_COPY ||
             v->cls == TR_V_PTR))
            tr_buf_printf(bf,
                          "    __typeof__(%s) %s; __builtin_memcpy((void *)"
                          "&%s, (const void *)&__weft_t->%s, sizeof %s);\n",
                          v->type, v->name, v->name, v->name, v->name);
    }
    for (int i = 0; i < c->nvars; i++) {
        struct tr_var *v = &c->vars[i];
        if (!task_needs(v))
            continue;
        int vm = task_var_vm(v);
        switch (v->cls) {
        case TR_V_FIRSTPRIVATE:
        case TR_V_COPY:
            if (v->is_vla_size)
                break;
            if (vm)
                tr_buf_printf(bf,
                              "    __typeof__(%s) %s = (__typeof__(%s))"
                              "__weft_t->%s;\n",
                              v->type, v->name, v->type, v->name);
            else
                tr_buf_printf(bf,
                              "    __typeof__(%s) %s; __builtin_memcpy("
                              "(void *)&%s, (const void *)&__weft_t->%s, "
                              "sizeof %s);\n",
                              v->type, v->name, v->name, v->name, v->name);
            break;
        case TR_V_PTR:
            if (!v->referenced)
                break;
            tr_buf_printf(bf,
                          "    __typeof__(%s) *__weft_p_%s = (__typeof__(%s) "
                          "*)__weft_t->__weft_p_%s;\n",
                          v->type, v->name, v->type, v->name);
            macro_defs |= v->macro_ref;
            break;
        case TR_V_PRIVATE:
            tr_buf_printf(bf, "    __typeof__(%s) %s;\n", v->type, v->name);
            break;
        default:
            break;
        }
    }
    if (macro_defs)
        for (int i = 0; i < c->nvars; i++)
            if (c->vars[i].cls == TR_V_PTR && c->vars[i].macro_ref)
                tr_buf_printf(bf, "\n#define %s (*__weft_p_%s)",
                              c->vars[i].name, c->vars[i].name);
    tr_buf_add_line(cx, bf, c->body_off, 1);
    tr_outline_body(cx, c, bf, c->body_off, c->body_end);
    if (macro_defs)
        for (int i = 0; i < c->nvars; i++)
            if (c->vars[i].cls == TR_V_PTR && c->vars[i].macro_ref)
                tr_buf_printf(bf, "\n#undef %s", c->vars[i].name);
    tr_buf_add_line(cx, bf, d->off, 0);
    tr_buf_add(bf, "    (void)__weft_t;\n}\n");
    tr_buf_free(&st);
    return 0;
}
