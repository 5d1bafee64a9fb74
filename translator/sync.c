/* This file handles the constructs that are rewritten in place rather than
 * outlined: barrier, flush, critical, single (with copyprivate), master,
 * masked, ordered, atomic, taskwait, taskyield, taskgroup, threadprivate,
 * and the two that become other constructs for the next pass: `sections`
 * (a `for` over the section numbers with a switch) and `parallel sections`
 * (a `parallel` whose body is `sections nowait`).
 *
 * Every edit keeps the line count of the text it replaces, so every later
 * line keeps its number; the generated code sits on the pragma's line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tr.h"

static void push(struct tr_edit **ed, int *ned, unsigned off, unsigned end,
                 int order, char *text) {
    *ed = tr_xrealloc(*ed, (size_t)(*ned + 1) * sizeof **ed);
    (*ed)[(*ned)++] = (struct tr_edit){off, end, order, text};
}

/* Newlines of text[b..e), so that a replacement keeps the line count. */
static void keep_lines(struct tr_ctx *cx, struct tr_buf *b, unsigned off,
                       unsigned end) {
    for (unsigned k = off; k < end; k++)
        if (cx->text[k] == '\n')
            tr_buf_add(b, "\n");
}

/* `static const struct weft_loc __weft_loc_N = {...};` */
static void add_loc(struct tr_ctx *cx, struct tr_construct *c,
                    struct tr_buf *b) {
    tr_buf_printf(b, "static const struct weft_loc __weft_loc_%d = {\"", c->id);
    tr_buf_add_cstr(b, cx->display);
    tr_buf_printf(b, "\", \"%s\", %u, %u}; ", c->user_func, c->dir.line,
                  c->dir.col);
}

/* Replaces the pragma [off, end) with text (keeping its newlines). */
static void replace_pragma(struct tr_ctx *cx, struct tr_construct *c,
                           struct tr_buf *b, struct tr_edit **ed, int *ned) {
    keep_lines(cx, b, c->dir.off, c->dir.end);
    push(ed, ned, c->dir.off, c->dir.end, 2, b->s ? b->s : tr_strdup(""));
}

static unsigned stmt_start(struct tr_construct *c) {
    unsigned b, e;
    tr_cursor_range(c->stmt, &b, &e);
    return b;
}

/* ------------------------------------------------------------------ */
/* atomic                                                              */
/* ------------------------------------------------------------------ */

/* AT_FP: a compare-and-swap loop (float, double and _Bool). */
enum atype { AT_INT, AT_PTR, AT_FP, AT_LOCK };

struct find_expr {
    unsigned b, e;
    CXType type;
    int ok;
};

static enum CXChildVisitResult expr_visit(CXCursor c, CXCursor parent,
                                          CXClientData data) {
    struct find_expr *f = data;
    (void)parent;
    unsigned b, e;
    tr_cursor_range(c, &b, &e);
    if (b == f->b && e == f->e && clang_isExpression(clang_getCursorKind(c))) {
        f->type = clang_getCanonicalType(clang_getCursorType(c));
        f->ok = 1;
        return CXChildVisit_Break;
    }
    return CXChildVisit_Recurse;
}

/* How x (text [b, e) of the statement) can be updated atomically. */
static enum atype atomic_type(struct tr_construct *c, unsigned b, unsigned e) {
    struct find_expr f = {b, e, {0}, 0};
    clang_visitChildren(c->stmt, expr_visit, &f);
    if (!f.ok) {
        unsigned sb, se;
        tr_cursor_range(c->stmt, &sb, &se);
        if (sb == b && se == e) {
            f.type = clang_getCanonicalType(clang_getCursorType(c->stmt));
            f.ok = 1;
        }
    }
    if (!f.ok)
        return AT_LOCK;
    switch (f.type.kind) {
    case CXType_Bool:
        /* H19: __atomic_fetch_<op> refuses _Bool; the compare-and-swap
         * loop converts each new value to _Bool like the plain update. */
        return AT_FP;
    case CXType_Char_U:
    case CXType_UChar:
    case CXType_UShort:
    case CXType_UInt:
    case CXType_ULong:
    case CXType_ULongLong:
    case CXType_Char_S:
    case CXType_SChar:
    case CXType_Short:
    case CXType_Int:
    case CXType_Long:
    case CXType_LongLong:
        return AT_INT;
    case CXType_Pointer:
        return AT_PTR;
    case CXType_Float:
    case CXType_Double:
        return AT_FP;
    default:
        return AT_LOCK; /* long double, complex, anything else */
    }
}

/* Trimmed text of [b, e). */
static char *span(struct tr_ctx *cx, unsigned b, unsigned e) {
    while (b < e && strchr(" \t\r\n", cx->text[b]))
        b++;
    while (e > b && strchr(" \t\r\n;", cx->text[e - 1]))
        e--;
    return tr_strndup(cx->text + b, e - b);
}

/* One expression statement split at its top-level assignment. */
struct aexpr {
    unsigned b, e;   /* the expression, without `;` */
    unsigned lb, le; /* left of the operator (or the operand of ++/--) */
    unsigned rb, re; /* right of it */
    char op[4];      /* "=", "+=", ..., "++", "--" */
    int prefix;      /* ++x / --x */
    int ok;
};

static struct aexpr split_expr(struct tr_ctx *cx, unsigned b, unsigned e) {
    struct aexpr a = {0};
    while (b < e && strchr(" \t\r\n", cx->text[b]))
        b++;
    while (e > b && strchr(" \t\r\n;", cx->text[e - 1]))
        e--;
    a.b = b;
    a.e = e;
    static const char *const asg[] = {
        "=", "+=", "-=", "*=", "/=", "&=", "|=", "^=", "<<=", ">>=", NULL};
    unsigned p = b;
    int depth = 0;
    struct tr_tok first = tr_lex(cx->text, e, &p);
    if (tr_tok_is(cx->text, first, "++") || tr_tok_is(cx->text, first, "--")) {
        memcpy(a.op, cx->text + first.off, 2);
        a.prefix = 1;
        a.lb = p;
        a.le = e;
        a.ok = 1;
        return a;
    }
    p = b;
    struct tr_tok last = {0};
    for (;;) {
        struct tr_tok t = tr_lex(cx->text, e, &p);
        if (t.kind == TR_TK_EOF)
            break;
        if (tr_tok_is(cx->text, t, "(") || tr_tok_is(cx->text, t, "[") ||
            tr_tok_is(cx->text, t, "{"))
            depth++;
        if (tr_tok_is(cx->text, t, ")") || tr_tok_is(cx->text, t, "]") ||
            tr_tok_is(cx->text, t, "}"))
            depth--;
        if (depth == 0 && t.kind == TR_TK_PUNCT)
            for (int i = 0; asg[i]; i++)
                if (tr_tok_is(cx->text, t, asg[i])) {
                    snprintf(a.op, sizeof a.op, "%s", asg[i]);
                    a.lb = b;
                    a.le = t.off;
                    a.rb = p;
                    a.re = e;
                    a.ok = 1;
                    return a;
                }
        last = t;
    }
    if (last.kind == TR_TK_PUNCT &&
        (tr_tok_is(cx->text, last, "++") || tr_tok_is(cx->text, last, "--"))) {
        memcpy(a.op, cx->text + last.off, 2);
        a.lb = b;
        a.le = last.off;
        a.ok = 1;
    }
    return a;
}

/* s without parentheses around the whole of it: `((*p))` is `*p`. */
static const char *unparen(char *s) {
    for (;;) {
        size_t n = strlen(s);
        if (n < 2 || s[0] != '(' || s[n - 1] != ')')
            return s;
        int depth = 0;
        for (size_t i = 0; i + 1 < n; i++) {
            depth += s[i] == '(' ? 1 : s[i] == ')' ? -1 : 0;
            if (depth == 0)
                return s; /* `(a)+(b)`: the first ')' closes early */
        }
        s[n - 1] = '\0';
        s++;
    }
}

/* The same lvalue text, ignoring white space and enclosing parentheses
 * (`{v = *p; (*p)++;}`). */
static int same_text(struct tr_ctx *cx, unsigned ab, unsigned ae, unsigned bb,
                     unsigned be) {
    char *x = span(cx, ab, ae), *y = span(cx, bb, be);
    struct tr_buf u = {0}, v = {0};
    for (char *s = x; *s; s++)
        if (!strchr(" \t\r\n", *s))
            tr_buf_addn(&u, s, 1);
    for (char *s = y; *s; s++)
        if (!strchr(" \t\r\n", *s))
            tr_buf_addn(&v, s, 1);
    int r = u.s && v.s && strcmp(unparen(u.s), unparen(v.s)) == 0;
    free(x);
    free(y);
    tr_buf_free(&u);
    tr_buf_free(&v);
    return r;
}

/* An update `x op= e`, `x = x op e`, `x = e op x`, `x++` ... as x, the
 * binary operator and e; *rev when e comes first. 0 when not one. */
static int update_parts(struct tr_ctx *cx, const struct aexpr *a, char **x,
                        char *op, char **e, int *rev) {
    *rev = 0;
    if (!a->ok)
        return 0;
    if (a->op[0] == '+' && a->op[1] == '+') {
        *x = span(cx, a->lb, a->le);
        strcpy(op, "+");
        *e = tr_strdup("1");
        return 1;
    }
    if (a->op[0] == '-' && a->op[1] == '-') {
        *x = span(cx, a->lb, a->le);
        strcpy(op, "-");
        *e = tr_strdup("1");
        return 1;
    }
    if (strcmp(a->op, "=") != 0) {
        *x = span(cx, a->lb, a->le);
        size_t n = strlen(a->op) - 1;
        memcpy(op, a->op, n);
        op[n] = 0;
        *e = span(cx, a->rb, a->re);
        return 1;
    }
    /* x = x op e  or  x = e op x: the first top-level binary operator. */
    static const char *const bin[] = {"+", "-", "*",  "/",  "&",
                                      "|", "^", "<<", ">>", NULL};
    unsigned p = a->rb;
    int depth = 0, seen = 0;
    for (;;) {
        struct tr_tok t = tr_lex(cx->text, a->re, &p);
        if (t.kind == TR_TK_EOF)
            break;
        if (tr_tok_is(cx->text, t, "(") || tr_tok_is(cx->text, t, "["))
            depth++;
        if (tr_tok_is(cx->text, t, ")") || tr_tok_is(cx->text, t, "]"))
            depth--;
        if (depth == 0 && seen && t.kind == TR_TK_PUNCT)
            for (int i = 0; bin[i]; i++)
                if (tr_tok_is(cx->text, t, bin[i])) {
                    if (same_text(cx, a->lb, a->le, a->rb, t.off)) {
                        *x = span(cx, a->lb, a->le);
                        strcpy(op, bin[i]);
                        *e = span(cx, p, a->re);
                        return 1;
                    }
                    if (same_text(cx, a->lb, a->le, p, a->re)) {
                        *x = span(cx, a->lb, a->le);
                        strcpy(op, bin[i]);
                        *e = span(cx, a->rb, t.off);
                        *rev = 1;
                        return 1;
                    }
                    return 0;
                }
        seen = 1;
    }
    return 0;
}

/* CAS loop (or fetch-op) applying `x = x op e` (or `e op x`); leaves the
 * old value in __weft_ao and the new one in __weft_an. write: new = e. */
static void gen_update(struct tr_buf *b, enum atype at, const char *x,
                       const char *op, const char *e, int rev, int write) {
    tr_buf_printf(b,
                  "__typeof__(%s) *__weft_ap = &(%s); __typeof__(%s) "
                  "__weft_ao, __weft_an; ",
                  x, x, x);
    static const struct {
        const char *op, *fn;
    } fetch[] = {{"+", "add"}, {"-", "sub"}, {"&", "and"},
                 {"|", "or"},  {"^", "xor"}, {NULL, NULL}};
    if (at == AT_INT && !write && !rev)
        for (int i = 0; fetch[i].op; i++)
            if (strcmp(op, fetch[i].op) == 0) {
                tr_buf_printf(b,
                              "__typeof__(%s) __weft_ae = (%s); __weft_ao = "
                              "__atomic_fetch_%s(__weft_ap, __weft_ae, "
                              "__ATOMIC_SEQ_CST); __weft_an = __weft_ao %s "
                              "__weft_ae; ",
                              x, e, fetch[i].fn, op);
                return;
            }
    if (write)
        tr_buf_printf(b, "__typeof__(%s) __weft_ae = (%s); ", x, e);
    else
        tr_buf_printf(b, "__typeof__((%s)) __weft_ae = (%s); ", e, e);
    tr_buf_add(b, "__atomic_load(__weft_ap, &__weft_ao, __ATOMIC_SEQ_CST); "
                  "do { ");
    if (write)
        tr_buf_add(b, "__weft_an = __weft_ae; ");
    else if (rev)
        tr_buf_printf(b, "__weft_an = __weft_ae %s __weft_ao; ", op);
    else
        tr_buf_printf(b, "__weft_an = __weft_ao %s __weft_ae; ", op);
    tr_buf_add(b, "} while (!__atomic_compare_exchange(__weft_ap, &__weft_ao, "
                  "&__weft_an, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)); ");
}

static int atomic_edits(struct tr_ctx *cx, struct tr_construct *c,
                        struct tr_buf *b) {
    const char *sp = c->dir.is_weft ? "weft" : "omp";
    int mode = 0; /* 0 update, 1 read, 2 write, 3 capture */
    if (c->dir.arg) {
        unsigned p = 0, n = (unsigned)strlen(c->dir.arg);
        for (;;) {
            struct tr_tok t = tr_lex(c->dir.arg, n, &p);
            if (t.kind == TR_TK_EOF)
                break;
            char *w = tr_strndup(c->dir.arg + t.off, t.len);
            if (strcmp(w, "read") == 0)
                mode = 1;
            else if (strcmp(w, "write") == 0)
                mode = 2;
            else if (strcmp(w, "capture") == 0)
                mode = 3;
            else if (strcmp(w, "update") == 0)
                mode = 0;
            else if (strcmp(w, "hint") == 0) {
                /* hint(expr): a performance hint, ignored. */
                unsigned q = p;
                struct tr_tok o = tr_lex(c->dir.arg, n, &q);
                if (tr_tok_is(c->dir.arg, o, "(")) {
                    int depth = 1;
                    while (depth > 0) {
                        struct tr_tok u = tr_lex(c->dir.arg, n, &q);
                        if (u.kind == TR_TK_EOF)
                            break;
                        if (tr_tok_is(c->dir.arg, u, "("))
                            depth++;
                        if (tr_tok_is(c->dir.arg, u, ")"))
                            depth--;
                    }
                    p = q;
                }
            } else if (strcmp(w, "seq_cst") != 0 && strcmp(w, "relaxed") &&
                       strcmp(w, "acq_rel") && strcmp(w, "acquire") &&
                       strcmp(w, "release") && strcmp(w, ",")) {
                tr_error(cx, c->dir.arg_off + t.off,
                         "'%s' is not supported on '#pragma %s atomic'; "
                         "expected read, write, update, capture or a memory "
                         "order",
                         w, sp);
                free(w);
                return -1;
            }
            free(w);
        }
    }
    unsigned sb = stmt_start(c), se = c->body_end;
    const char *form_err = NULL;
    if (cx->text[sb] == '{') {
        /* capture block: {v = x; x op= e;} or {x op= e; v = x;} or
         * {v = x; x = e;} */
        if (mode != 3) {
            form_err = "a block after atomic needs the 'capture' clause";
            goto bad;
        }
        unsigned close = se;
        while (close > sb && cx->text[close - 1] != '}')
            close--;
        unsigned p = sb + 1, semi = 0;
        int depth = 0;
        for (;;) {
            struct tr_tok t = tr_lex(cx->text, close - 1, &p);
            if (t.kind == TR_TK_EOF)
                break;
            if (tr_tok_is(cx->text, t, "(") || tr_tok_is(cx->text, t, "["))
                depth++;
            if (tr_tok_is(cx->text, t, ")") || tr_tok_is(cx->text, t, "]"))
                depth--;
            if (depth == 0 && tr_tok_is(cx->text, t, ";")) {
                semi = t.off;
                break;
            }
        }
        if (!semi) {
            form_err = "expected two statements in the capture block";
            goto bad;
        }
        struct aexpr s1 = split_expr(cx, sb + 1, semi);
        struct aexpr s2 = split_expr(cx, semi + 1, close - 1);
        if (!s1.ok || !s2.ok) {
            form_err = "expected `{v = x; x op= e;}` or `{x op= e; v = x;}`";
            goto bad;
        }
        /* Which one reads x into v? */
        int read_first = strcmp(s1.op, "=") == 0 &&
                         (same_text(cx, s1.rb, s1.re, s2.lb, s2.le));
        struct aexpr *rd = read_first ? &s1 : &s2, *up = read_first ? &s2 : &s1;
        if (strcmp(rd->op, "=") != 0 ||
            !same_text(cx, rd->rb, rd->re, up->lb, up->le)) {
            form_err = "expected `{v = x; x op= e;}` or `{x op= e; v = x;}`";
            goto bad;
        }
        char *v = span(cx, rd->lb, rd->le);
        char *x = NULL, *e = NULL, op[4];
        int rev = 0, write = 0;
        if (!update_parts(cx, up, &x, op, &e, &rev)) {
            if (strcmp(up->op, "=") == 0 && read_first) {
                x = span(cx, up->lb, up->le);
                e = span(cx, up->rb, up->re);
                write = 1;
                op[0] = 0;
            } else {
                free(v);
                form_err = "the update in the capture block is not of the "
                           "form x op= e, x = x op e, x++ or x--";
                goto bad;
            }
        }
        unsigned ub = up->lb, ue = up->le;
        while (ub < ue && strchr(" \t\r\n", cx->text[ub]))
            ub++;
        while (ue > ub && strchr(" \t\r\n", cx->text[ue - 1]))
            ue--;
        enum atype at = atomic_type(c, ub, ue);
        tr_buf_add(b, "{ ");
        if (at == AT_LOCK) {
            tr_buf_add(b, "WEFT_atomic_begin(); ");
            tr_buf_addn(b, cx->text + sb + 1, close - 1 - (sb + 1));
            tr_buf_add(b, " WEFT_atomic_end(); ");
        } else {
            gen_update(b, at, x, op, e, rev, write);
            tr_buf_printf(b, "%s = %s; (void)__weft_ao; (void)__weft_an; ", v,
                          read_first ? "__weft_ao" : "__weft_an");
        }
        tr_buf_add(b, "}");
        free(v);
        free(x);
        free(e);
        return 0;
    }
    struct aexpr a = split_expr(cx, sb, se);
    if (!a.ok) {
        form_err = "expected an expression statement such as `x += e;`";
        goto bad;
    }
    if (mode == 1 || mode == 2) {
        if (strcmp(a.op, "=") != 0) {
            form_err = mode == 1 ? "atomic read must be `v = x;`"
                                 : "atomic write must be `x = e;`";
            goto bad;
        }
        unsigned xb = mode == 1 ? a.rb : a.lb, xe = mode == 1 ? a.re : a.le;
        char *x = span(cx, xb, xe);
        while (xb < xe && strchr(" \t\r\n", cx->text[xb]))
            xb++;
        xe = xb + (unsigned)strlen(x);
        char *o = span(cx, mode == 1 ? a.lb : a.rb, mode == 1 ? a.le : a.re);
        enum atype at = atomic_type(c, xb, xe);
        if (at == AT_LOCK)
            tr_buf_printf(b,
                          "{ WEFT_atomic_begin(); %s = %s; WEFT_atomic_end(); "
                          "}",
                          mode == 1 ? o : x, mode == 1 ? x : o);
        else if (mode == 1)
            tr_buf_printf(b,
                          "{ __typeof__(%s) __weft_av; __atomic_load(&(%s), "
                          "&__weft_av, __ATOMIC_SEQ_CST); %s = __weft_av; }",
                          x, x, o);
        else
            tr_buf_printf(b,
                          "{ __typeof__(%s) __weft_av = (%s); __atomic_store("
                          "&(%s), &__weft_av, __ATOMIC_SEQ_CST); }",
                          x, o, x);
        free(x);
        free(o);
        return 0;
    }
    /* update, or capture `v = x op= e` / `v = x++` / `v = ++x` */
    char *v = NULL;
    struct aexpr u = a;
    int capture_old = 0;
    if (mode == 3) {
        if (strcmp(a.op, "=") != 0) {
            form_err = "atomic capture must be `v = x op= e;`, `v = x++;`, "
                       "`v = ++x;` or a block";
            goto bad;
        }
        v = span(cx, a.lb, a.le);
        u = split_expr(cx, a.rb, a.re);
        capture_old = u.ok && !u.prefix && (u.op[1] == '+' || u.op[1] == '-') &&
                      u.op[0] == u.op[1];
    }
    char *x = NULL, *e = NULL, op[4];
    int rev = 0;
    if (!update_parts(cx, &u, &x, op, &e, &rev)) {
        free(v);
        form_err = "atomic update must be `x op= e;`, `x = x op e;`, "
                   "`x = e op x;`, `x++;` or `x--;`";
        goto bad;
    }
    unsigned xb = u.prefix ? u.lb : u.lb, xe = u.le;
    {
        /* The operand's own extent, without white space. */
        char *t = span(cx, xb, xe);
        while (xb < xe && strchr(" \t\r\n", cx->text[xb]))
            xb++;
        xe = xb + (unsigned)strlen(t);
        free(t);
    }
    enum atype at = atomic_type(c, xb, xe);
    tr_buf_add(b, "{ ");
    if (at == AT_LOCK) {
        tr_buf_add(b, "WEFT_atomic_begin(); ");
        tr_buf_addn(b, cx->text + sb, se - sb);
        tr_buf_add(b, " WEFT_atomic_end(); ");
    } else {
        gen_update(b, at, x, op, e, rev, 0);
        if (v)
            tr_buf_printf(b, "%s = %s; ", v,
                          capture_old ? "__weft_ao" : "__weft_an");
        tr_buf_add(b, "(void)__weft_ao; (void)__weft_an; ");
    }
    tr_buf_add(b, "}");
    free(v);
    free(x);
    free(e);
    return 0;
bad:
    tr_error(cx, sb, "unsupported form of '#pragma %s atomic': %s", sp,
             form_err);
    return -1;
}

/* ------------------------------------------------------------------ */
/* threadprivate                                                       */
/* ------------------------------------------------------------------ */

struct tp_find {
    struct tr_ctx *cx;
    const char *name;
    unsigned before;
    unsigned *offs;
    int n;
};

static enum CXChildVisitResult tp_visit(CXCursor c, CXCursor parent,
                                        CXClientData data) {
    struct tp_find *f = data;
    (void)parent;
    enum CXCursorKind k = clang_getCursorKind(c);
    if (k == CXCursor_VarDecl && tr_in_main(f->cx, c)) {
        char *s = tr_cxstr(clang_getCursorSpelling(c));
        enum CX_StorageClass sc = clang_Cursor_getStorageClass(c);
        CXCursor sem = clang_getCursorSemanticParent(c);
        int file_scope = clang_getCursorKind(sem) == CXCursor_TranslationUnit;
        unsigned b, e;
        tr_cursor_range(c, &b, &e);
        if (strcmp(s, f->name) == 0 && b < f->before &&
            (file_scope || sc == CX_SC_Static)) {
            int dup = 0;
            for (int i = 0; i < f->n; i++)
                dup |= f->offs[i] == b;
            if (!dup) {
                f->offs =
                    tr_xrealloc(f->offs, (size_t)(f->n + 1) * sizeof *f->offs);
                f->offs[f->n++] = b;
            }
        }
        free(s);
        return CXChildVisit_Continue;
    }
    if (k == CXCursor_FunctionDecl || clang_isStatement(k))
        return CXChildVisit_Recurse;
    return CXChildVisit_Continue;
}

static int threadprivate_edits(struct tr_ctx *cx, struct tr_construct *c,
                               struct tr_edit **ed, int *ned) {
    const char *sp = c->dir.is_weft ? "weft" : "omp";
    const char *a = c->dir.arg ? c->dir.arg : "";
    unsigned n = (unsigned)strlen(a), p = 0;
    int bad = 0;
    for (;;) {
        struct tr_tok t = tr_lex(a, n, &p);
        if (t.kind == TR_TK_EOF)
            break;
        if (tr_tok_is(a, t, ","))
            continue;
        char *name = tr_strndup(a + t.off, t.len);
        struct tp_find f = {cx, name, c->dir.off, NULL, 0};
        clang_visitChildren(clang_getTranslationUnitCursor(cx->tu), tp_visit,
                            &f);
        if (t.kind != TR_TK_IDENT || !f.n) {
            tr_error(cx, c->dir.arg_off + t.off,
                     "'%s' in '#pragma %s threadprivate' is not a file-scope "
                     "or static variable declared before the directive",
                     name, sp);
            bad = 1;
        }
        for (int i = 0; i < f.n; i++) {
            /* C11 accepts _Thread_local anywhere among the specifiers. */
            int dup = 0;
            for (int k = 0; k < *ned; k++)
                dup |= (*ed)[k].off == f.offs[i] && (*ed)[k].order == 0 &&
                       strcmp((*ed)[k].text, "_Thread_local ") == 0;
            if (!dup)
                push(ed, ned, f.offs[i], f.offs[i], 0,
                     tr_strdup("_Thread_local "));
        }
        free(f.offs);
        free(name);
    }
    struct tr_buf b = {0};
    replace_pragma(cx, c, &b, ed, ned);
    return bad ? -1 : 0;
}

/* ------------------------------------------------------------------ */
/* sections                                                            */
/* ------------------------------------------------------------------ */

static void split_par_sections(const struct tr_construct *c, const char *sp,
                               struct tr_buf *par, struct tr_buf *sec);

static int sections_edits(struct tr_ctx *cx, struct tr_construct *c,
                          struct tr_edit **ed, int *ned) {
    const char *sp = c->dir.is_weft ? "weft" : "omp";
    unsigned b, e;
    tr_cursor_range(c->stmt, &b, &e);
    if (clang_getCursorKind(c->stmt) != CXCursor_CompoundStmt ||
        cx->text[b] != '{' || cx->text[e - 1] != '}') {
        tr_error(cx, c->dir.off,
                 "'#pragma %s %s' must be followed by a block in braces", sp,
                 tr_kind_name(c->dir.kind));
        return -1;
    }
    int N = c->id;
    int ps = c->dir.kind == TR_K_PARALLEL_SECTIONS;
    struct tr_buf pr = {0};
    char *clauses = tr_strdup(c->dir.clause_text ? c->dir.clause_text : "");
    /* A `_Pragma(...)` directive becomes one too: it may share its line
     * with code, where a #pragma line cannot go. */
    int op = cx->text[c->dir.off] != '#';
    if (ps) {
        /* A region whose body is `sections nowait`: the region's end
         * is the barrier. Every clause belongs to the region, except
         * lastprivate (H20), which goes with the sections. */
        struct tr_buf q = {0}, sq = {0};
        if (c->dir.seen & TR_CL_LASTPRIVATE) {
            split_par_sections(c, sp, &q, &sq);
        } else {
            tr_buf_printf(&q, "%s parallel %s", sp, clauses);
            tr_buf_printf(&sq, "%s sections nowait", sp);
        }
        if (op) {
            tr_buf_add(&pr, "_Pragma(\"");
            tr_buf_add_cstr(&pr, q.s);
            tr_buf_add(&pr, "\")");
        } else {
            tr_buf_printf(&pr, "#pragma %s", q.s);
        }
        tr_buf_free(&q);
        replace_pragma(cx, c, &pr, ed, ned);
        struct tr_buf o = {0};
        tr_buf_add(&o, "{ _Pragma(\"");
        tr_buf_add_cstr(&o, sq.s);
        tr_buf_add(&o, "\") {");
        tr_buf_free(&sq);
        push(ed, ned, b, b + 1, 2, o.s);
        push(ed, ned, e - 1, e, 2, tr_strdup("}}"));
        free(clauses);
        return 0;
    }
    if (op) {
        struct tr_buf q = {0};
        tr_buf_printf(&q, "%s for schedule(dynamic, 1) %s", sp, clauses);
        tr_buf_add(&pr, "_Pragma(\"");
        tr_buf_add_cstr(&pr, q.s);
        tr_buf_add(&pr, "\")");
        tr_buf_free(&q);
    } else {
        tr_buf_printf(&pr, "#pragma %s for schedule(dynamic, 1) %s", sp,
                      clauses);
    }
    free(clauses);
    replace_pragma(cx, c, &pr, ed, ned);
    /* The section directives directly in this block. */
    int k = 0;
    unsigned p = b + 1;
    struct tr_tok first = tr_lex(cx->text, e, &p);
    int total = cx->ncons + cx->ndeferred;
    struct tr_buf tail = {0};
    for (int i = 0; i < total; i++) {
        struct tr_construct *o = &cx->cons[i];
        if (o->dir.kind != TR_K_SECTION || o->dir.off <= b || o->dir.off >= e)
            continue;
        /* Directly in this block: no other sections block holds it. */
        int nested = 0;
        for (int j = 0; j < total; j++) {
            struct tr_construct *s = &cx->cons[j];
            if (s != c && s->has_stmt &&
                (s->dir.kind == TR_K_SECTIONS ||
                 s->dir.kind == TR_K_PARALLEL_SECTIONS) &&
                s->dir.off > c->dir.off && o->dir.off > s->replace_off &&
                o->dir.off < s->replace_end)
                nested = 1;
        }
        if (nested)
            continue;
        struct tr_buf t = {0};
        if (o->dir.off == first.off && k == 0) {
            tr_buf_add(&t, "");
        } else {
            k++;
            tr_buf_printf(&t, "} break; case %d: {", k);
        }
        keep_lines(cx, &t, o->dir.off, o->dir.end);
        push(ed, ned, o->dir.off, o->dir.end, 2, t.s ? t.s : tr_strdup(""));
    }
    struct tr_buf o = {0};
    tr_buf_printf(&o,
                  "for (int __weft_sec_%d = 0; __weft_sec_%d < %d; "
                  "__weft_sec_%d++) switch (__weft_sec_%d) { case 0: {",
                  N, N, k + 1, N, N);
    push(ed, ned, b, b + 1, 2, o.s);
    tr_buf_add(&tail, "} break; }");
    push(ed, ned, e - 1, e, 2, tail.s);
    return 0;
}

/* ------------------------------------------------------------------ */
/* parallel for copyin (H19)                                           */
/* ------------------------------------------------------------------ */

/* Whether c names `name` (text s[b..b+len)) in lastprivate. */
static int is_lastpriv(const struct tr_construct *c, const char *s, unsigned b,
                       unsigned len) {
    for (int i = 0; i < c->dir.nvars; i++) {
        const struct tr_clause_var *v = &c->dir.vars[i];
        if (v->dsa == TR_DSA_LASTPRIVATE && strlen(v->name) == len &&
            strncmp(v->name, s + b, len) == 0)
            return 1;
    }
    return 0;
}

/* Splits the clause text of a combined construct c between an outer
 * `parallel` (par) and the worksharing directive inside it (inner):
 * clauses named in inner_names go inside, and so do firstprivate items
 * that are also lastprivate (the inner construct owns that copy); every
 * other clause goes with the region, which also shares the lastprivate
 * variables (so default(none) holds). Both buffers already hold their
 * directive's name; clauses are appended. */
static void split_clauses(const struct tr_construct *c,
                          const char *const *inner_names, struct tr_buf *par,
                          struct tr_buf *inner) {
    const char *s = c->dir.clause_text ? c->dir.clause_text : "";
    unsigned n = (unsigned)strlen(s), p = 0;
    for (;;) {
        struct tr_tok t = tr_lex(s, n, &p);
        if (t.kind == TR_TK_EOF)
            break;
        if (t.kind != TR_TK_IDENT)
            continue; /* commas between clauses */
        unsigned e = p, q = p;
        unsigned ab = 0, ae = 0; /* the argument list, inside ( ) */
        struct tr_tok u = tr_lex(s, n, &q);
        if (tr_tok_is(s, u, "(")) {
            int depth = 1;
            ab = q;
            while (depth > 0) {
                struct tr_tok w = tr_lex(s, n, &q);
                if (w.kind == TR_TK_EOF)
                    break;
                if (tr_tok_is(s, w, "("))
                    depth++;
                else if (tr_tok_is(s, w, ")") && --depth == 0)
                    ae = w.off;
            }
            e = p = q;
        }
        int goes_inside = 0;
        for (int i = 0; inner_names[i]; i++)
            if (tr_tok_is(s, t, inner_names[i]))
                goes_inside = 1;
        if (goes_inside) {
            tr_buf_add(inner, " ");
            tr_buf_addn(inner, s + t.off, e - t.off);
        } else if (tr_tok_is(s, t, "firstprivate") && ae > ab) {
            /* Per item: a lastprivate one also goes inside. */
            struct tr_buf fp[2] = {{0}, {0}};
            unsigned r = ab;
            for (;;) {
                struct tr_tok w = tr_lex(s, ae, &r);
                if (w.kind == TR_TK_EOF)
                    break;
                if (w.kind != TR_TK_IDENT)
                    continue;
                struct tr_buf *to = &fp[is_lastpriv(c, s, w.off, w.len)];
                tr_buf_add(to, to->len ? ", " : "");
                tr_buf_addn(to, s + w.off, w.len);
            }
            if (fp[0].len)
                tr_buf_printf(par, " firstprivate(%s)", fp[0].s);
            if (fp[1].len)
                tr_buf_printf(inner, " firstprivate(%s)", fp[1].s);
            tr_buf_free(&fp[0]);
            tr_buf_free(&fp[1]);
        } else {
            tr_buf_add(par, " ");
            tr_buf_addn(par, s + t.off, e - t.off);
        }
    }
    for (int i = 0; i < c->dir.nvars; i++)
        if (c->dir.vars[i].dsa == TR_DSA_LASTPRIVATE)
            tr_buf_printf(par, " shared(%s)", c->dir.vars[i].name);
}

/* The clauses of `parallel sections` with lastprivate, split into
 * "SP parallel ..." (par) and "SP sections nowait ..." (sec): lastprivate
 * and the firstprivate items that are also lastprivate go with the
 * sections, every other clause with the region. */
static void split_par_sections(const struct tr_construct *c, const char *sp,
                               struct tr_buf *par, struct tr_buf *sec) {
    static const char *const inner[] = {"lastprivate", NULL};
    tr_buf_printf(par, "%s parallel", sp);
    tr_buf_printf(sec, "%s sections nowait", sp);
    split_clauses(c, inner, par, sec);
}

/* `parallel for copyin(...)` becomes `parallel` (copyin, the team's
 * clauses, private, firstprivate and reduction: OpenMP's per-thread
 * copies, so a reduction partial spans all of a thread's chunks) around
 * `for nowait` (schedule, collapse, ordered, lastprivate, with firstprivate
 * of a lastprivate variable); the region shares the lastprivate variables,
 * and its end is the loop's barrier. The next pass lowers both. */
static int pfor_copyin_edits(struct tr_ctx *cx, struct tr_construct *c,
                             struct tr_edit **ed, int *ned) {
    static const char *const inner[] = {"schedule", "collapse", "ordered",
                                        "lastprivate", NULL};
    const char *sp = c->dir.is_weft ? "weft" : "omp";
    struct tr_buf par = {0}, lp = {0};
    tr_buf_printf(&par, "%s parallel", sp);
    tr_buf_printf(&lp, "%s for nowait", sp);
    split_clauses(c, inner, &par, &lp);
    struct tr_buf b = {0};
    if (cx->text[c->dir.off] != '#') {
        tr_buf_add(&b, "_Pragma(\"");
        tr_buf_add_cstr(&b, par.s);
        tr_buf_add(&b, "\")");
    } else {
        tr_buf_printf(&b, "#pragma %s", par.s);
    }
    replace_pragma(cx, c, &b, ed, ned);
    struct tr_buf o = {0};
    tr_buf_add(&o, "{ _Pragma(\"");
    tr_buf_add_cstr(&o, lp.s);
    tr_buf_add(&o, "\") ");
    push(ed, ned, stmt_start(c), stmt_start(c), 2, o.s);
    push(ed, ned, c->body_end, c->body_end, 2, tr_strdup(" }"));
    tr_buf_free(&par);
    tr_buf_free(&lp);
    return 0;
}

/* ------------------------------------------------------------------ */
/* The in-place constructs                                             */
/* ------------------------------------------------------------------ */

int tr_inline_edits(struct tr_ctx *cx, struct tr_construct *c,
                    struct tr_edit **ed, int *ned) {
    struct tr_directive *d = &c->dir;
    int N = c->id;
    struct tr_buf b = {0}, t = {0};
    switch (d->kind) {
    case TR_K_BARRIER:
        tr_buf_add(&b, "{ ");
        add_loc(cx, c, &b);
        tr_buf_printf(&b, "WEFT_barrier(&__weft_loc_%d); }", N);
        replace_pragma(cx, c, &b, ed, ned);
        return 0;
    case TR_K_TASKWAIT:
    case TR_K_TASKYIELD:
        tr_buf_add(&b, "{ ");
        add_loc(cx, c, &b);
        tr_buf_printf(&b, "WEFT_%s(&__weft_loc_%d); }",
                      d->kind == TR_K_TASKWAIT ? "taskwait" : "taskyield", N);
        replace_pragma(cx, c, &b, ed, ned);
        return 0;
    case TR_K_FLUSH:
        tr_buf_add(&b, "__atomic_thread_fence(__ATOMIC_SEQ_CST);");
        replace_pragma(cx, c, &b, ed, ned);
        return 0;
    case TR_K_CANCEL:
    case TR_K_CANCELLATION_POINT:
        /* H26: cancellation is off (omp_get_cancellation() is 0), so
         * neither construct has an effect; the if expression is kept
         * only to be type-checked (sizeof does not evaluate it). Placement
         * was checked on the user's text (tr_check_cancel). */
        if (d->if_expr)
            tr_buf_printf(&b, "(void)sizeof((%s) ? 1 : 0);", d->if_expr);
        replace_pragma(cx, c, &b, ed, ned);
        return 0;
    case TR_K_CRITICAL: {
        tr_buf_add(&b, "{ ");
        add_loc(cx, c, &b);
        tr_buf_printf(&b,
                      "static void *__weft_crit_%d = 0; WEFT_critical_begin("
                      "&__weft_loc_%d, \"",
                      N, N);
        if (d->arg) {
            char *nm = tr_strdup(d->arg);
            char *s = nm;
            while (*s == ' ')
                s++;
            char *z = s + strlen(s);
            while (z > s && z[-1] == ' ')
                *--z = 0;
            tr_buf_add_cstr(&b, s);
            free(nm);
        }
        tr_buf_printf(&b, "\", &__weft_crit_%d);", N);
        replace_pragma(cx, c, &b, ed, ned);
        tr_buf_printf(
            &t, " WEFT_critical_end(&__weft_loc_%d, &__weft_crit_%d); }", N, N);
        push(ed, ned, c->body_end, c->body_end, 1, t.s);
        return 0;
    }
    case TR_K_TASKGROUP:
        tr_buf_add(&b, "{ ");
        add_loc(cx, c, &b);
        tr_buf_printf(&b, "WEFT_taskgroup_begin(&__weft_loc_%d);", N);
        replace_pragma(cx, c, &b, ed, ned);
        tr_buf_printf(&t, " WEFT_taskgroup_end(&__weft_loc_%d); }", N);
        push(ed, ned, c->body_end, c->body_end, 1, t.s);
        return 0;
    case TR_K_ORDERED:
        if (strncmp(c->func_name, "__weft_", 7) != 0) {
            /* H31: orphaned, in a function an ordered loop's body calls:
             * the runtime knows the thread's iteration, and the chunk's
             * end-of-iteration turn sees that this one has been taken. */
            tr_buf_add(&b, "{ ");
            add_loc(cx, c, &b);
            tr_buf_printf(&b,
                          "WEFT_ordered_begin(&__weft_loc_%d, "
                          "WEFT_ORDERED_CURRENT);",
                          N);
            replace_pragma(cx, c, &b, ed, ned);
            tr_buf_printf(&t,
                          " WEFT_ordered_end(&__weft_loc_%d, "
                          "WEFT_ORDERED_CURRENT); }",
                          N);
            push(ed, ned, c->body_end, c->body_end, 1, t.s);
            return 0;
        }
        /* Inside a chunk function: __weft_k is the logical iteration. */
        tr_buf_add(&b, "{ ");
        add_loc(cx, c, &b);
        tr_buf_printf(&b, "WEFT_ordered_begin(&__weft_loc_%d, __weft_k);", N);
        replace_pragma(cx, c, &b, ed, ned);
        /* __weft_od: this iteration ran its ordered block (outline.c). */
        tr_buf_printf(&t,
                      " WEFT_ordered_end(&__weft_loc_%d, __weft_k); "
                      "__weft_od = 1; }",
                      N);
        push(ed, ned, c->body_end, c->body_end, 1, t.s);
        return 0;
    case TR_K_MASTER:
        tr_buf_add(&b, "if (weft_thread_num() == 0)");
        replace_pragma(cx, c, &b, ed, ned);
        return 0;
    case TR_K_MASKED:
        tr_buf_printf(&b, "if (weft_thread_num() == (%s))",
                      d->filter ? d->filter : "0");
        replace_pragma(cx, c, &b, ed, ned);
        return 0;
    case TR_K_SINGLE: {
        int ncp = 0;
        tr_buf_add(&b, "{ ");
        add_loc(cx, c, &b);
        for (int i = 0; i < d->nvars; i++) {
            struct tr_clause_var *v = &d->vars[i];
            if (v->dsa == TR_DSA_FIRSTPRIVATE)
                tr_buf_printf(&b,
                              "__typeof__(%s) __weft_fp_%d_%s; "
                              "__builtin_memcpy((void *)&__weft_fp_%d_%s, "
                              "(const void *)&%s, sizeof %s); ",
                              v->name, N, v->name, N, v->name, v->name,
                              v->name);
            if (v->dsa == TR_DSA_COPYPRIVATE)
                ncp++;
        }
        if (ncp) {
            tr_buf_printf(&b, "void *__weft_cpv_%d[] = {", N);
            int k = 0;
            for (int i = 0; i < d->nvars; i++)
                if (d->vars[i].dsa == TR_DSA_COPYPRIVATE)
                    tr_buf_printf(&b, "%s(void *)&%s", k++ ? ", " : "",
                                  d->vars[i].name);
            tr_buf_printf(&b, "}; void **__weft_cps_%d = 0; ", N);
        }
        tr_buf_printf(&b, "if (WEFT_single_begin(&__weft_loc_%d)) { ", N);
        for (int i = 0; i < d->nvars; i++) {
            struct tr_clause_var *v = &d->vars[i];
            if (v->dsa == TR_DSA_PRIVATE)
                tr_buf_printf(&b, "__typeof__(%s) %s; ", v->name, v->name);
            if (v->dsa == TR_DSA_FIRSTPRIVATE)
                tr_buf_printf(&b,
                              "__typeof__(%s) %s; __builtin_memcpy((void *)"
                              "&%s, (const void *)&__weft_fp_%d_%s, sizeof "
                              "%s); ",
                              v->name, v->name, v->name, N, v->name, v->name);
        }
        replace_pragma(cx, c, &b, ed, ned);
        if (ncp) {
            tr_buf_printf(&t,
                          " __weft_cps_%d = __weft_cpv_%d; } __weft_cps_%d = "
                          "(void **)WEFT_copyprivate(&__weft_loc_%d, (void *)"
                          "__weft_cps_%d); if (__weft_cps_%d != __weft_cpv_%d) "
                          "{ ",
                          N, N, N, N, N, N, N);
            int k = 0;
            for (int i = 0; i < d->nvars; i++)
                if (d->vars[i].dsa == TR_DSA_COPYPRIVATE) {
                    tr_buf_printf(&t,
                                  "__builtin_memcpy((void *)&%s, "
                                  "__weft_cps_%d[%d], sizeof %s); ",
                                  d->vars[i].name, N, k, d->vars[i].name);
                    k++;
                }
            tr_buf_printf(&t, "} WEFT_barrier(&__weft_loc_%d); }", N);
        } else {
            tr_buf_printf(&t, " } WEFT_single_end(&__weft_loc_%d, %s); }", N,
                          d->nowait ? "WEFT_LOOP_NOWAIT" : "0u");
        }
        push(ed, ned, c->body_end, c->body_end, 1, t.s);
        return 0;
    }
    case TR_K_ATOMIC: {
        if (atomic_edits(cx, c, &b)) {
            tr_buf_free(&b);
            return -1;
        }
        keep_lines(cx, &b, c->dir.off, c->body_end);
        push(ed, ned, c->dir.off, c->body_end, 2, b.s);
        return 0;
    }
    case TR_K_SECTIONS:
    case TR_K_PARALLEL_SECTIONS:
        return sections_edits(cx, c, ed, ned);
    case TR_K_THREADPRIVATE:
        return threadprivate_edits(cx, c, ed, ned);
    case TR_K_PARALLEL_FOR_COPYIN:
        return pfor_copyin_edits(cx, c, ed, ned);
    case TR_K_SIMD: {
        /* H25: the loop runs in order, a conforming simd loop; gcc and
         * clang vectorise it on their own where they can. */
        unsigned p = d->end;
        struct tr_tok f = tr_lex(cx->text, cx->size, &p);
        if (!tr_tok_is(cx->text, f, "for")) {
            tr_error(cx, d->off,
                     "'#pragma %s simd' must be followed by a for loop",
                     d->is_weft ? "weft" : "omp");
            return -1;
        }
        replace_pragma(cx, c, &b, ed, ned);
        return 0;
    }
    case TR_K_DECLARE_SIMD:
        replace_pragma(cx, c, &b, ed, ned); /* H25: a hint */
        return 0;
    default:
        return 0;
    }
}
