/* This file handles user-defined reductions (H27): it parses
 * `#pragma omp declare reduction(id : type-list : combiner)
 * [initializer(...)]` into the file's table (struct tr_udrs, one entry per
 * listed type, with the declaration's scope), finds the declaration a
 * `reduction(id: x)` clause means for x's type, and substitutes the slot
 * expressions for omp_out / omp_in / omp_priv / omp_orig in the combiner
 * and initializer text (outline.c emits the helpers).
 *
 * Scopes: a declaration is visible from its pragma to the end of the
 * enclosing block (the first unmatched `}` after it) or of the file,
 * measured in the user's line:col, which #line keeps in every pass: a
 * construct nested in a region is found by a later pass in the outlined
 * function, whose lines are still the user's. The declaration pragma is
 * removed from the output; one left in an outlined body is found again by
 * the next pass and recognised by its place. The table is owned by
 * tr_translate_file and only touched by the thread that runs it. */
#include <stdlib.h>
#include <string.h>

#include "tr.h"

/* Built-in reduction identifiers, which OpenMP forbids redeclaring for
 * the arithmetic types. */
static const char *const builtin_ids[] = {"+",  "*",  "-",   "&",   "|", "^",
                                          "&&", "||", "min", "max", NULL};

static const char *const arith_words[] = {
    "char",   "short",   "int",      "long",     "float",
    "double", "signed",  "unsigned", "_Bool",    "_Complex",
    "bool",   "complex", "const",    "volatile", NULL};

void tr_udrs_free(struct tr_udrs *u) {
    if (!u)
        return;
    for (int i = 0; i < u->n; i++) {
        free(u->v[i]->id);
        free(u->v[i]->type);
        free(u->v[i]->comb);
        free(u->v[i]->init);
        free(u->v[i]);
    }
    free(u->v);
    u->v = NULL;
    u->n = 0;
}

/* s[b..e) with continuation lines joined, white space runs collapsed to
 * one space and trimmed; `*` keeps no space before it, so type names
 * compare by text. */
static char *norm(const char *s, unsigned b, unsigned e) {
    struct tr_buf o = {0};
    int sp = 0;
    for (unsigned i = b; i < e; i++) {
        char ch = s[i];
        if (ch == '\\' && i + 1 < e && (s[i + 1] == '\n' || s[i + 1] == '\r'))
            continue;
        if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
            sp = 1;
            continue;
        }
        if (sp && o.len && ch != '*' && ch != ')' && o.s[o.len - 1] != '(')
            tr_buf_addn(&o, " ", 1);
        sp = 0;
        tr_buf_addn(&o, &ch, 1);
    }
    if (!o.s)
        return tr_strdup("");
    return o.s;
}

/* The offset of the `)` that closes the `(` ending at p, or e. */
static unsigned close_paren(const char *s, unsigned p, unsigned e) {
    int depth = 1;
    for (;;) {
        struct tr_tok t = tr_lex(s, e, &p);
        if (t.kind == TR_TK_EOF)
            return e;
        if (tr_tok_is(s, t, "(") || tr_tok_is(s, t, "[") ||
            tr_tok_is(s, t, "{"))
            depth++;
        else if (tr_tok_is(s, t, ")") || tr_tok_is(s, t, "]") ||
                 tr_tok_is(s, t, "}")) {
            if (--depth == 0)
                return t.off;
        }
    }
}

/* The first top-level `c` (a one-character token) in s[p..e), or e. */
static unsigned top_char(const char *s, unsigned p, unsigned e, char c) {
    int depth = 0;
    for (;;) {
        struct tr_tok t = tr_lex(s, e, &p);
        if (t.kind == TR_TK_EOF)
            return e;
        if (t.len == 1 &&
            (s[t.off] == '(' || s[t.off] == '[' || s[t.off] == '{'))
            depth++;
        else if (t.len == 1 &&
                 (s[t.off] == ')' || s[t.off] == ']' || s[t.off] == '}'))
            depth--;
        else if (!depth && t.len == 1 && s[t.off] == c)
            return t.off;
    }
}

/* Whether every word of type text ty names an arithmetic type. */
static int arith_text(const char *ty) {
    unsigned p = 0, n = (unsigned)strlen(ty);
    int any = 0;
    for (;;) {
        struct tr_tok t = tr_lex(ty, n, &p);
        if (t.kind == TR_TK_EOF)
            return any;
        int ok = 0;
        for (int i = 0; arith_words[i]; i++)
            ok |= tr_tok_is(ty, t, arith_words[i]);
        if (!ok)
            return 0;
        any = 1;
    }
}

/* The end of the block around offset off of the file's text: the first
 * `}` after it that closes no `{` after it, or the end of the text. */
static unsigned scope_end(const struct tr_ctx *cx, unsigned off) {
    unsigned p = off;
    int depth = 0;
    for (;;) {
        struct tr_tok t = tr_lex(cx->text, cx->size, &p);
        if (t.kind == TR_TK_EOF)
            return cx->size;
        if (tr_tok_is(cx->text, t, "{"))
            depth++;
        else if (tr_tok_is(cx->text, t, "}") && depth-- == 0)
            return t.off;
    }
}

static int is_builtin(const char *id) {
    for (int i = 0; builtin_ids[i]; i++)
        if (strcmp(id, builtin_ids[i]) == 0)
            return 1;
    return 0;
}

/* (l1, c1) < (l2, c2) */
static int before(unsigned l1, unsigned c1, unsigned l2, unsigned c2) {
    return l1 < l2 || (l1 == l2 && c1 < c2);
}

static int visible(const struct tr_ctx *cx, const struct tr_udr *u,
                   unsigned off) {
    unsigned l, c;
    tr_line_col(cx, off, &l, &c);
    return !before(l, c, u->bl, u->bc) && before(l, c, u->el, u->ec);
}

/* `omp_priv = { ... }` initialises the private copy as a declaration
 * would; the helpers assign it, so the braces become a compound literal of
 * the entry's type, `omp_priv = (T){ ... }`. Other initializers are kept. */
static char *brace_init(const char *init, const char *type) {
    const char *p = init;
    while (*p == ' ')
        p++;
    if (strncmp(p, "omp_priv", 8) != 0)
        return tr_strdup(init);
    p += 8;
    while (*p == ' ')
        p++;
    if (*p != '=' || p[1] == '=')
        return tr_strdup(init);
    p++;
    while (*p == ' ')
        p++;
    if (*p != '{')
        return tr_strdup(init);
    struct tr_buf b = {0};
    tr_buf_printf(&b, "omp_priv = (%s)%s", type, p);
    return b.s;
}

int tr_udr_declare(struct tr_ctx *cx, const char *s, unsigned b, unsigned n,
                   unsigned (*off_of)(const void *src, unsigned i),
                   const void *src) {
    unsigned p = b;
    struct tr_tok t = tr_lex(s, n, &p);
    if (!tr_tok_is(s, t, "(")) {
        tr_error(cx, off_of(src, t.kind == TR_TK_EOF ? b : t.off),
                 "expected '(' after 'declare reduction'; write declare "
                 "reduction(id : type : combiner)");
        return -1;
    }
    unsigned open = p, close = close_paren(s, p, n);
    unsigned c1 = top_char(s, open, close, ':');
    unsigned c2 = c1 < close ? top_char(s, c1 + 1, close, ':') : close;
    if (close >= n || c2 >= close) {
        tr_error(cx, off_of(src, t.off),
                 "malformed 'declare reduction'; write declare "
                 "reduction(id : type[, type...] : combiner)");
        return -1;
    }
    char *id = norm(s, open, c1);
    int id_ok = 0;
    {
        unsigned q = 0, m = (unsigned)strlen(id);
        struct tr_tok a = tr_lex(id, m, &q);
        struct tr_tok z = tr_lex(id, m, &q);
        id_ok =
            (z.kind == TR_TK_EOF && a.kind == TR_TK_IDENT) || is_builtin(id);
    }
    if (!id_ok) {
        tr_error(cx, off_of(src, open),
                 "'%s' is not a reduction identifier; use an identifier or "
                 "one of + * - & | ^ && ||",
                 id);
        free(id);
        return -1;
    }
    char *comb = norm(s, c2 + 1, close);
    if (!*comb) {
        tr_error(cx, off_of(src, c2),
                 "'declare reduction(%s ...)' has no combiner; write it "
                 "with omp_out and omp_in after the type",
                 id);
        free(id);
        free(comb);
        return -1;
    }
    /* initializer(omp_priv = expr) or initializer(f(&omp_priv, ...)). */
    char *init = NULL;
    p = close + 1;
    struct tr_tok w = tr_lex(s, n, &p);
    if (w.kind != TR_TK_EOF) {
        struct tr_tok o = tr_lex(s, n, &p);
        unsigned ie = tr_tok_is(s, o, "(") ? close_paren(s, p, n) : n;
        unsigned q = ie < n ? ie + 1 : n;
        if (!tr_tok_is(s, w, "initializer") || ie >= n ||
            tr_lex(s, n, &q).kind != TR_TK_EOF) {
            tr_error(cx, off_of(src, w.off),
                     "expected 'initializer(omp_priv = expr)' or nothing "
                     "after 'declare reduction(...)'");
            free(id);
            free(comb);
            return -1;
        }
        init = norm(s, p, ie);
    }
    unsigned sb = off_of(src, 0), se = scope_end(cx, sb), bl, bc, el, ec;
    tr_line_col(cx, sb, &bl, &bc);
    if (se >= cx->size)
        el = ec = ~0u;
    else
        tr_line_col(cx, se, &el, &ec);
    int rc = 0;
    for (unsigned tb = c1 + 1; tb < c2 && rc == 0;) {
        unsigned te = top_char(s, tb, c2, ',');
        char *ty = norm(s, tb, te);
        unsigned toff = off_of(src, tb), tl, tc;
        {
            unsigned q = tb;
            struct tr_tok ft = tr_lex(s, te, &q);
            if (ft.kind != TR_TK_EOF)
                toff = off_of(src, ft.off);
        }
        tr_line_col(cx, toff, &tl, &tc);
        int again = 0; /* the same pragma, found again by a later pass */
        if (!*ty) {
            tr_error(cx, toff, "empty type in 'declare reduction(%s ...)'", id);
            rc = -1;
        } else if (is_builtin(id) && arith_text(ty)) {
            tr_error(cx, toff,
                     "'declare reduction(%s : %s ...)' redefines a built-in "
                     "reduction for an arithmetic type; pick another name",
                     id, ty);
            rc = -1;
        }
        for (int i = 0; rc == 0 && cx->udrs && i < cx->udrs->n; i++) {
            const struct tr_udr *u = cx->udrs->v[i];
            if (strcmp(u->id, id) != 0 || strcmp(u->type, ty) != 0)
                continue;
            if (u->line == tl && u->col == tc)
                again = 1;
            else if (u->el == el && u->ec == ec &&
                     !before(bl, bc, u->bl, u->bc)) {
                tr_error(cx, toff,
                         "reduction '%s' for type '%s' is already declared "
                         "in this scope (line %u)",
                         id, ty, u->line);
                rc = -1;
            }
        }
        if (rc == 0 && !again && cx->udrs) {
            struct tr_udrs *us = cx->udrs;
            us->v = tr_xrealloc(us->v, (size_t)(us->n + 1) * sizeof *us->v);
            struct tr_udr *u = tr_xcalloc(1, sizeof *u);
            us->v[us->n++] = u;
            u->id = tr_strdup(id);
            u->type = ty;
            ty = NULL;
            u->comb = tr_strdup(comb);
            u->init = init ? brace_init(init, u->type) : NULL;
            u->line = tl;
            u->col = tc;
            u->bl = bl;
            u->bc = bc;
            u->el = el;
            u->ec = ec;
        }
        free(ty);
        tb = te + 1;
    }
    free(id);
    free(comb);
    free(init);
    return rc;
}

int tr_udr_known(const struct tr_ctx *cx, const char *id, unsigned off) {
    for (int i = 0; cx->udrs && i < cx->udrs->n; i++)
        if (strcmp(cx->udrs->v[i]->id, id) == 0 &&
            visible(cx, cx->udrs->v[i], off))
            return 1;
    return 0;
}

/* Spelling of t without qualifiers, normalised; `typeof (T)`, which
 * libclang writes for a `__typeof__(T)` that weft generated, is T. */
static char *type_text(CXType t) {
    char *sp = tr_cxstr(clang_getTypeSpelling(t));
    /* Top-level qualifiers: libclang 14 spells them first. */
    const char *u = sp;
    for (int again = 1; again;) {
        again = 0;
        const char *q[] = {"const ", "volatile ", "restrict "};
        for (int i = 0; i < 3; i++)
            if (strncmp(u, q[i], strlen(q[i])) == 0) {
                u += strlen(q[i]);
                again = 1;
            }
    }
    char *r = norm(u, 0, (unsigned)strlen(u));
    free(sp);
    while (strncmp(r, "typeof (", 8) == 0 && r[strlen(r) - 1] == ')') {
        char *in = tr_strndup(r + 8, strlen(r) - 9);
        free(r);
        r = in;
    }
    return r;
}

int tr_udr_resolve(struct tr_ctx *cx, struct tr_clause_var *cv, CXType et) {
    /* Spellings of et: as written, through each typedef, canonical. */
    char *names[10];
    int nn = 0;
    CXType t = et;
    for (;;) {
        names[nn++] = type_text(t);
        if (nn >= 8)
            break;
        if (t.kind == CXType_Typedef)
            t = clang_getTypedefDeclUnderlyingType(clang_getTypeDeclaration(t));
        else if (t.kind == CXType_Elaborated)
            t = clang_Type_getNamedType(t);
        else
            break;
    }
    names[nn++] = type_text(clang_getCanonicalType(et));
    int found = -1, any = 0;
    for (int i = 0; cx->udrs && i < cx->udrs->n; i++) {
        const struct tr_udr *u = cx->udrs->v[i];
        if (strcmp(u->id, cv->udr_id) != 0 || !visible(cx, u, cv->off))
            continue;
        any = 1;
        for (int k = 0; k < nn; k++)
            if (strcmp(names[k], u->type) == 0)
                found = i; /* the latest visible one is the innermost */
    }
    int rc = 0;
    if (found >= 0) {
        cv->udr = cx->udrs->v[found];
    } else if (any) {
        tr_error(cx, cv->off,
                 "reduction '%s' is not declared for type '%s' of '%s'; add "
                 "the type to its 'declare reduction' type list",
                 cv->udr_id, names[0], cv->name);
        rc = -1;
    } else {
        tr_error(cx, cv->off,
                 "unknown reduction operator '%s' for '%s'; declare it "
                 "first with '#pragma omp declare reduction'",
                 cv->udr_id, cv->name);
        rc = -1;
    }
    for (int k = 0; k < nn; k++)
        free(names[k]);
    return rc;
}

void tr_udr_subst(struct tr_buf *b, const char *text, const char *out,
                  const char *in, const char *priv, const char *orig) {
    const char *key[4] = {"omp_out", "omp_in", "omp_priv", "omp_orig"};
    const char *val[4] = {out, in, priv, orig};
    unsigned n = (unsigned)strlen(text), p = 0, done = 0;
    for (;;) {
        struct tr_tok t = tr_lex(text, n, &p);
        if (t.kind == TR_TK_EOF)
            break;
        if (t.kind != TR_TK_IDENT)
            continue;
        for (int k = 0; k < 4; k++)
            if (val[k] && tr_tok_is(text, t, key[k])) {
                tr_buf_addn(b, text + done, t.off - done);
                tr_buf_printf(b, "(%s)", val[k]);
                done = t.off + t.len;
            }
    }
    tr_buf_addn(b, text + done, n - done);
}
