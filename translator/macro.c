/* This file handles macros that expand to a directive together with the
 * statement it applies to (`#define PFOR(i, n) _Pragma("omp parallel for")
 * for (...)`): before the directives are looked for, pass 0 replaces each
 * such invocation in its copy of the user's text by the macro's one-level
 * expansion, re-parses, and repeats until no invocation is left, so that
 * the later passes see an ordinary `_Pragma` followed by its loop. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "tr.h"

/* Why one level at a time, from the raw text: a parameter becomes its
 * argument exactly as the user wrote it (comments blanked), so the loop
 * body keeps its spelling, its macros (the real compiler expands them, at
 * the same place the preprocessor would have) and, through the map below,
 * its line and column. `#param` and `##` follow the C rules on the
 * argument's tokens; the GNU `, ## __VA_ARGS__` drops the comma when the
 * variadic argument is empty. Macros inside the expansion are reached by
 * the next round, with the definitions in effect where they now stand.
 *
 * Lines: the expansion starts where the invocation did, an argument (on
 * its first use) at its own line and column, and the expansion ends with
 * the newlines left and spaces up to the column where the invocation
 * ended, so everything after it keeps its line and column. Offsets in the
 * expansion map back to the user's text (tr_macro_line_col): a copied
 * argument character for character onto the argument, the rest onto the
 * macro's name. */

/* A piece of an expansion at new offset noff: a copied argument (exact:
 * new [noff, noff + len) is old [ooff, ooff + len)) or tokens of the
 * definition, all at old offset ooff (on the same line). */
struct seg {
    unsigned noff, len, ooff;
    int exact;
};

/* One replaced invocation: new [noff, nend) replaced old [ooff, oend). */
struct rep {
    unsigned noff, nend, ooff, oend;
    struct seg *segs;
    int nsegs;
};

/* The replacements of one round, in text order. */
struct round {
    struct rep *r;
    int n;
};

struct tr_mmap {
    char *orig; /* the user's text, as read (owned) */
    unsigned orig_size;
    struct round *rounds;
    int nrounds;
};

/* Rounds before giving up: each one expands one level of nesting, so
 * this bounds the depth of macros around a directive. A macro that keeps
 * re-creating an invocation (indirect self-reference, which the
 * preprocessor would stop) runs into it. */
enum { MAX_ROUNDS = 32 };

/* Offset in the previous round's text of offset off of this round's. */
static unsigned map_back(const struct round *rd, unsigned off) {
    long shift = 0;
    for (int i = 0; i < rd->n; i++) {
        const struct rep *r = &rd->r[i];
        if (off < r->noff)
            break;
        if (off < r->nend) {
            /* The last piece at or before off: the blanks after a piece
             * belong to it, which keeps them on its line. */
            const struct seg *g = NULL;
            for (int k = 0; k < r->nsegs && r->segs[k].noff <= off; k++)
                g = &r->segs[k];
            if (!g)
                return r->ooff;
            if (!g->exact)
                return g->ooff;
            unsigned d = off - g->noff;
            return g->ooff + (d < g->len ? d : g->len);
        }
        shift = (long)r->oend - (long)r->nend;
    }
    return (unsigned)((long)off + shift);
}

void tr_macro_line_col(const struct tr_ctx *cx, unsigned off, unsigned *line,
                       unsigned *col) {
    const struct tr_mmap *mm = cx->mmap;
    for (int i = mm->nrounds - 1; i >= 0; i--)
        off = map_back(&mm->rounds[i], off);
    unsigned l = 1, c = 1;
    for (unsigned i = 0; i < off && i < mm->orig_size; i++) {
        if (mm->orig[i] == '\n') {
            l++;
            c = 1;
        } else {
            c++;
        }
    }
    *line = l;
    *col = c;
}

void tr_macro_free(struct tr_ctx *cx) {
    struct tr_mmap *mm = cx->mmap;
    if (!mm)
        return;
    for (int i = 0; i < mm->nrounds; i++) {
        for (int k = 0; k < mm->rounds[i].n; k++)
            free(mm->rounds[i].r[k].segs);
        free(mm->rounds[i].r);
    }
    free(mm->rounds);
    free(mm->orig);
    free(mm);
    cx->mmap = NULL;
}

/* ------------------------------------------------------------------ */
/* Which invocations                                                  */
/* ------------------------------------------------------------------ */

/* Non-zero when the string literal s is the text of an `omp` or `weft`
 * pragma. */
static int ours(const char *s) {
    if (*s != '"')
        return 0;
    s++;
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strncmp(s, "omp", 3) == 0    ? 3
               : strncmp(s, "weft", 4) == 0 ? 4
                                            : 0;
    return n && !(isalnum((unsigned char)s[n]) || s[n] == '_');
}

/* Whether a full expansion must be rewritten: it holds one of our
 * _Pragma operators and anything else (its statement, another pragma).
 * An expansion that is exactly one _Pragma is left to directive.c, which
 * binds it to the statement written after the invocation. */
static int needs_rewrite(char **tk, int n) {
    int found = 0, groups = 0, other = 0;
    for (int i = 0; i < n; i++) {
        if (strcmp(tk[i], "_Pragma") == 0 && i + 3 < n &&
            strcmp(tk[i + 1], "(") == 0 && strcmp(tk[i + 3], ")") == 0) {
            groups++;
            found |= ours(tk[i + 2]);
            i += 3;
        } else {
            other++;
        }
    }
    return found && (other || groups > 1);
}

struct xp {
    unsigned off;
    CXCursor def;
};

struct xps {
    struct tr_ctx *cx;
    struct xp *v;
    int n;
};

static enum CXChildVisitResult xp_visit(CXCursor c, CXCursor parent,
                                        CXClientData data) {
    struct xps *x = data;
    (void)parent;
    if (clang_getCursorKind(c) == CXCursor_MacroExpansion &&
        tr_in_main(x->cx, c)) {
        x->v = tr_xrealloc(x->v, (size_t)(x->n + 1) * sizeof *x->v);
        x->v[x->n].off = tr_cursor_off(c);
        x->v[x->n].def = clang_getCursorReferenced(c);
        x->n++;
    }
    return CXChildVisit_Continue;
}

static int by_off(const void *a, const void *b) {
    const struct xp *x = a, *y = b;
    return x->off < y->off ? -1 : x->off > y->off;
}

/* What the round looks for in the text itself. */
struct marks {
    unsigned *ops; /* first token of a `_Pragma(` operand that is not a
                      string literal (a macro spells it) */
    int nops;
    unsigned *stmts; /* first token after one of our directives */
    int nstmts;
};

static void mark(unsigned **v, int *n, unsigned off) {
    *v = tr_xrealloc(*v, (size_t)(*n + 1) * sizeof **v);
    (*v)[(*n)++] = off;
}

static int marked(const unsigned *v, int n, unsigned off) {
    for (int i = 0; i < n; i++)
        if (v[i] == off)
            return 1;
    return 0;
}

static void scan_text(const char *t, unsigned n, struct marks *mk) {
    unsigned p = 0;
    int line_start = 1;
    memset(mk, 0, sizeof *mk);
    for (;;) {
        unsigned before = p;
        struct tr_tok k = tr_lex(t, n, &p);
        if (k.kind == TR_TK_EOF)
            break;
        for (unsigned i = before; i < k.off; i++)
            if (t[i] == '\n' && (i == 0 || t[i - 1] != '\\'))
                line_start = 1;
        if (line_start && tr_tok_is(t, k, "#")) {
            /* A directive line; `#pragma omp|weft` marks what follows. */
            unsigned e = k.off;
            while (e < n && !(t[e] == '\n' && t[e - 1] != '\\'))
                e++;
            unsigned q = p;
            struct tr_tok w = tr_lex(t, e, &q);
            struct tr_tok ns = tr_lex(t, e, &q);
            if (tr_tok_is(t, w, "pragma") &&
                (tr_tok_is(t, ns, "omp") || tr_tok_is(t, ns, "weft"))) {
                q = e;
                struct tr_tok nx = tr_lex(t, n, &q);
                if (nx.kind == TR_TK_IDENT)
                    mark(&mk->stmts, &mk->nstmts, nx.off);
            }
            p = e;
            line_start = 1;
            continue;
        }
        line_start = 0;
        if (!tr_tok_is(t, k, "_Pragma"))
            continue;
        unsigned q = p;
        struct tr_tok o = tr_lex(t, n, &q);
        struct tr_tok a = tr_lex(t, n, &q);
        struct tr_tok c = tr_lex(t, n, &q);
        if (tr_tok_is(t, o, "(") && a.kind == TR_TK_IDENT)
            mark(&mk->ops, &mk->nops, a.off);
        if (tr_tok_is(t, o, "(") && a.kind == TR_TK_STR &&
            tr_tok_is(t, c, ")")) {
            char *lit = tr_strndup(t + a.off, a.len);
            struct tr_tok nx = tr_lex(t, n, &q);
            if (ours(lit) && nx.kind == TR_TK_IDENT)
                mark(&mk->stmts, &mk->nstmts, nx.off);
            free(lit);
        }
    }
}

/* ------------------------------------------------------------------ */
/* One-level expansion                                                */
/* ------------------------------------------------------------------ */

/* The definition: parameters and body token spellings. */
struct mdef {
    char *name;
    int is_func, variadic; /* variadic: the last parameter takes the rest */
    char **params;
    int nparams;
    char **body;
    int nbody;
};

static void mdef_free(struct mdef *m) {
    free(m->name);
    for (int i = 0; i < m->nparams; i++)
        free(m->params[i]);
    free(m->params);
    for (int i = 0; i < m->nbody; i++)
        free(m->body[i]);
    free(m->body);
}

static void push_str(char ***v, int *n, char *s) {
    *v = tr_xrealloc(*v, (size_t)(*n + 1) * sizeof **v);
    (*v)[(*n)++] = s;
}

static void mdef_load(struct tr_ctx *cx, CXCursor def, struct mdef *m) {
    memset(m, 0, sizeof *m);
    CXToken *tk = NULL;
    unsigned n = 0;
    clang_tokenize(cx->tu, clang_getCursorExtent(def), &tk, &n);
    char **sp = tr_xcalloc(n ? n : 1, sizeof *sp);
    for (unsigned i = 0; i < n; i++)
        sp[i] = tr_cxstr(clang_getTokenSpelling(cx->tu, tk[i]));
    unsigned i = 1;
    m->name = n ? tr_strdup(sp[0]) : tr_strdup("");
    if (n >= 2 && strcmp(sp[1], "(") == 0) {
        unsigned ne, pb;
        clang_getSpellingLocation(
            clang_getRangeEnd(clang_getTokenExtent(cx->tu, tk[0])), NULL, NULL,
            NULL, &ne);
        clang_getSpellingLocation(
            clang_getRangeStart(clang_getTokenExtent(cx->tu, tk[1])), NULL,
            NULL, NULL, &pb);
        /* Function-like only when `(` touches the name. */
        if (ne == pb) {
            m->is_func = 1;
            for (i = 2; i < n && strcmp(sp[i], ")") != 0; i++) {
                if (strcmp(sp[i], ",") == 0)
                    continue;
                if (strcmp(sp[i], "...") == 0) {
                    m->variadic = 1;
                    /* `name...` (GNU) names the variadic parameter. */
                    if (!(i > 2 && strcmp(sp[i - 1], ",") != 0))
                        push_str(&m->params, &m->nparams,
                                 tr_strdup("__VA_ARGS__"));
                    continue;
                }
                push_str(&m->params, &m->nparams, tr_strdup(sp[i]));
            }
            i++;
        }
    }
    for (; i < n; i++)
        push_str(&m->body, &m->nbody, tr_strdup(sp[i]));
    for (unsigned k = 0; k < n; k++)
        free(sp[k]);
    free(sp);
    clang_disposeTokens(cx->tu, tk, n);
}

/* One argument of the invocation: text [b, e) and its tokens. */
struct arg {
    unsigned b, e;
    struct tr_tok *t;
    int n;
    int used; /* copied once already */
};

/* Splits the arguments of the invocation whose `(` ends at p. Returns
 * the offset just past `)`. */
static unsigned split_args(const struct tr_ctx *cx, const struct mdef *m,
                           unsigned p, struct arg **out, int *nout) {
    const char *t = cx->text;
    struct arg *a = tr_xcalloc(1, sizeof *a);
    int na = 1, level = 0;
    a[0].b = p;
    for (;;) {
        struct tr_tok k = tr_lex(t, cx->size, &p);
        if (k.kind == TR_TK_EOF) {
            a[na - 1].e = p;
            break;
        }
        if (level == 0 &&
            (tr_tok_is(t, k, ")") ||
             (tr_tok_is(t, k, ",") && !(m->variadic && na >= m->nparams)))) {
            a[na - 1].e = k.off;
            if (tr_tok_is(t, k, ")"))
                break;
            a = tr_xrealloc(a, (size_t)(na + 1) * sizeof *a);
            memset(&a[na], 0, sizeof *a);
            a[na++].b = p;
            continue;
        }
        if (tr_tok_is(t, k, "("))
            level++;
        else if (tr_tok_is(t, k, ")"))
            level--;
        struct arg *c = &a[na - 1];
        c->t = tr_xrealloc(c->t, (size_t)(c->n + 1) * sizeof *c->t);
        c->t[c->n++] = k;
    }
    /* `F()` of a macro without parameters has no argument. */
    if (m->nparams == 0 && na == 1 && a[0].n == 0)
        na = 0;
    *out = a;
    *nout = na;
    return p;
}

static int param_of(const struct mdef *m, const char *s) {
    for (int i = 0; m->is_func && i < m->nparams; i++)
        if (strcmp(m->params[i], s) == 0)
            return i;
    return -1;
}

/* One piece of the expansion: a token spelling (arg < 0) or the raw text
 * of argument arg. */
struct piece {
    char *s;
    int arg;
};

struct pieces {
    struct piece *v;
    int n;
};

static void piece_add(struct pieces *p, char *s, int arg) {
    p->v = tr_xrealloc(p->v, (size_t)(p->n + 1) * sizeof *p->v);
    p->v[p->n].s = s;
    p->v[p->n].arg = arg;
    p->n++;
}

/* `#param`: the argument's tokens as a string literal, one space where
 * the user wrote white space between two of them, `"` and `\` escaped. */
static char *stringize(const struct tr_ctx *cx, const struct arg *a) {
    struct tr_buf b = {0};
    tr_buf_add(&b, "\"");
    for (int i = 0; a && i < a->n; i++) {
        if (i > 0 && a->t[i].off > a->t[i - 1].off + a->t[i - 1].len)
            tr_buf_add(&b, " ");
        const char *s = cx->text + a->t[i].off;
        for (unsigned k = 0; k < a->t[i].len; k++) {
            if (a->t[i].kind == TR_TK_STR && (s[k] == '"' || s[k] == '\\'))
                tr_buf_add(&b, "\\");
            tr_buf_addn(&b, s + k, 1);
        }
    }
    tr_buf_add(&b, "\"");
    return b.s;
}

/* Appends the raw text of an argument, blanking comments character for
 * character so that offsets map one to one; line breaks stay with keep_nl,
 * else they are blanked too. */
static void add_raw(const struct tr_ctx *cx, struct tr_buf *o, unsigned b,
                    unsigned e, int keep_nl) {
    const char *t = cx->text;
    for (unsigned i = b; i < e;) {
        if (t[i] == '"' || t[i] == '\'') {
            char q = t[i];
            unsigned j = i + 1;
            while (j < e && t[j] != q && t[j] != '\n')
                j += t[j] == '\\' && j + 1 < e ? 2 : 1;
            j = j < e ? j + 1 : e;
            tr_buf_addn(o, t + i, j - i);
            i = j;
        } else if (t[i] == '/' && i + 1 < e && t[i + 1] == '*') {
            unsigned j = i + 2;
            while (j + 1 < e && !(t[j] == '*' && t[j + 1] == '/'))
                j++;
            j = j + 2 <= e ? j + 2 : e;
            for (; i < j; i++)
                tr_buf_add(o, keep_nl && t[i] == '\n' ? "\n" : " ");
        } else if (t[i] == '/' && i + 1 < e && t[i + 1] == '/') {
            for (; i < e && t[i] != '\n'; i++)
                tr_buf_add(o, " ");
        } else if (!keep_nl && (t[i] == '\n' || t[i] == '\r' ||
                                (t[i] == '\\' && i + 1 < e &&
                                 (t[i + 1] == '\n' || t[i + 1] == '\r')))) {
            tr_buf_add(o, " ");
            i++;
        } else {
            tr_buf_addn(o, t + i, 1);
            i++;
        }
    }
}

static void add_seg(struct rep *r, unsigned noff, unsigned len, unsigned ooff,
                    int exact) {
    r->segs = tr_xrealloc(r->segs, (size_t)(r->nsegs + 1) * sizeof *r->segs);
    r->segs[r->nsegs++] = (struct seg){noff, len, ooff, exact};
}

/* The one-level expansion of the invocation [off, end) of macro m into
 * o, recording the copied arguments in r. Returns 0, or -1 after an
 * error. */
static int expand_one(struct tr_ctx *cx, const struct mdef *m, unsigned off,
                      unsigned *end, struct tr_buf *o, struct rep *r) {
    const char *t = cx->text;
    unsigned p = off;
    tr_lex(t, cx->size, &p); /* the name */
    struct arg *args = NULL;
    int nargs = 0;
    if (m->is_func) {
        tr_lex(t, cx->size, &p); /* `(`: the full expansion found it */
        p = split_args(cx, m, p, &args, &nargs);
    }
    *end = p;
    struct pieces pc = {0};
    int rc = 0;
    int placemarker = 0; /* the last operand of ## was an empty argument */
    for (int i = 0; i < m->nbody; i++) {
        const char *b = m->body[i];
        int pi;
        if (m->is_func && strcmp(b, "#") == 0 && i + 1 < m->nbody &&
            (pi = param_of(m, m->body[i + 1])) >= 0) {
            piece_add(&pc, stringize(cx, pi < nargs ? &args[pi] : NULL), -1);
            placemarker = 0;
            i++;
        } else if (strcmp(b, "##") == 0 && i + 1 < m->nbody) {
            /* The right operand: an argument's tokens, or one token. */
            i++;
            pi = param_of(m, m->body[i]);
            struct arg *ra = pi >= 0 && pi < nargs ? &args[pi] : NULL;
            int rn = pi >= 0 ? (ra ? ra->n : 0) : 1;
            for (int k = 0; k < rn; k++) {
                char *s = pi >= 0 ? tr_strndup(t + ra->t[k].off, ra->t[k].len)
                                  : tr_strdup(m->body[i]);
                if (k == 0 && !placemarker && pc.n && pc.v[pc.n - 1].arg < 0) {
                    struct tr_buf j = {0};
                    tr_buf_add(&j, pc.v[pc.n - 1].s);
                    tr_buf_add(&j, s);
                    free(pc.v[pc.n - 1].s);
                    free(s);
                    pc.v[pc.n - 1].s = j.s;
                } else {
                    piece_add(&pc, s, -1);
                }
            }
            /* GNU: `, ## __VA_ARGS__` with no variadic argument. */
            if (rn == 0 && !placemarker && pc.n && pc.v[pc.n - 1].arg < 0 &&
                m->variadic && pi == m->nparams - 1 &&
                strcmp(pc.v[pc.n - 1].s, ",") == 0) {
                free(pc.v[--pc.n].s);
            }
            placemarker = placemarker && rn == 0;
        } else if ((pi = param_of(m, b)) >= 0) {
            struct arg *a = pi < nargs ? &args[pi] : NULL;
            if (i + 1 < m->nbody && strcmp(m->body[i + 1], "##") == 0) {
                /* Left operand of ##: its last token gets pasted. */
                for (int k = 0; a && k < a->n; k++)
                    piece_add(&pc, tr_strndup(t + a->t[k].off, a->t[k].len),
                              -1);
                placemarker = !a || a->n == 0;
            } else {
                if (a)
                    piece_add(&pc, NULL, pi);
                placemarker = 0;
            }
        } else {
            if (strcmp(b, m->name) == 0) {
                /* The preprocessor leaves such a name alone; a textual
                 * rewrite would expand it again. */
                tr_error(cx, off,
                         "the macro '%s' names itself in its definition; "
                         "weft cannot expand it around a directive: write "
                         "the pragma or the loop outside the macro",
                         m->name);
                rc = -1;
            }
            piece_add(&pc, tr_strdup(b), -1);
            placemarker = 0;
        }
    }
    /* A space before and after keeps the expansion's first and last
     * tokens from merging with the text around it. */
    if (off > 0 && !isspace((unsigned char)t[off - 1]))
        tr_buf_add(o, " ");
    /* Lines: ol is the output's line, relative to the invocation's, and
     * lo an offset of the user's text on that line. An argument used for
     * the first time, outside the loop header and not above ol, goes to
     * its own line and column with its line breaks: a loop body passed to
     * the macro keeps its lines for the real compiler and the debugger
     * too. Others are blanked onto the current line (a loop header is
     * copied into the call site, which must stay on one line). */
    unsigned ol = 0, lo = off;
    int hdr = 0; /* 1: after `for`; > 1: inside its parentheses */
    for (int i = 0; i < pc.n; i++) {
        if (i)
            tr_buf_add(o, " ");
        if (pc.v[i].arg >= 0) {
            struct arg *a = &args[pc.v[i].arg];
            unsigned al = 0, ls = off, anl = 0, le = a->b;
            for (unsigned k = off; k < a->b; k++)
                if (t[k] == '\n') {
                    al++;
                    ls = k + 1;
                }
            for (unsigned k = a->b; k < a->e; k++)
                if (t[k] == '\n') {
                    anl++;
                    le = k + 1;
                }
            int keep = !a->used && al >= ol && hdr < 2;
            if (keep && al > ol) {
                lo = ls;
                for (; ol < al; ol++)
                    tr_buf_add(o, "\n");
                for (unsigned k = ls; k < a->b; k++)
                    tr_buf_add(o, t[k] == '\t' ? "\t" : " ");
            }
            add_seg(r, (unsigned)o->len, a->e - a->b, a->b, 1);
            add_raw(cx, o, a->b, a->e, keep);
            if (keep) {
                ol += anl;
                lo = anl ? le : lo;
                a->used = 1;
            }
        } else {
            const char *ps = pc.v[i].s;
            if (strcmp(ps, "for") == 0)
                hdr = 1;
            else if (hdr == 1)
                hdr = strcmp(ps, "(") == 0 ? 2 : 0;
            else if (hdr >= 2 && strcmp(ps, "(") == 0)
                hdr++;
            else if (hdr >= 2 && strcmp(ps, ")") == 0)
                hdr = hdr == 2 ? 0 : hdr - 1;
            add_seg(r, (unsigned)o->len, (unsigned)strlen(ps), lo, 0);
            tr_buf_add(o, ps);
        }
        free(pc.v[i].s);
    }
    free(pc.v);
    unsigned nl = 0, ls = off;
    for (unsigned k = off; k < *end; k++)
        if (t[k] == '\n') {
            nl++;
            ls = k + 1;
        }
    if (nl > ol) {
        for (; ol < nl; ol++)
            tr_buf_add(o, "\n");
        for (unsigned k = ls; k < *end; k++)
            tr_buf_add(o, t[k] == '\t' ? "\t" : " ");
    } else if (*end < cx->size && !isspace((unsigned char)t[*end])) {
        tr_buf_add(o, " ");
    }
    for (int i = 0; i < nargs; i++)
        free(args[i].t);
    free(args);
    return rc;
}

/* ------------------------------------------------------------------ */
/* A round                                                            */
/* ------------------------------------------------------------------ */

int tr_macro_rewrite(struct tr_ctx *cx, int round) {
    struct xps x = {cx, NULL, 0};
    clang_visitChildren(clang_getTranslationUnitCursor(cx->tu), xp_visit, &x);
    if (x.n == 0)
        return 0;
    qsort(x.v, (size_t)x.n, sizeof *x.v, by_off);
    struct marks mk;
    scan_text(cx->text, cx->size, &mk);
    struct tr_macros *ms = tr_macros_load(cx);
    struct tr_buf out = {0};
    struct round rd = {NULL, 0};
    unsigned copied = 0, done = 0;
    for (int i = 0; i < x.n; i++) {
        unsigned off = x.v[i].off;
        if (off < done)
            continue; /* inside an invocation already looked at */
        char **tk = NULL;
        int nt = 0;
        unsigned end = tr_macros_expand(ms, off, &tk, &nt);
        done = end;
        int operand = marked(mk.ops, mk.nops, off);
        /* A loop header that a macro spells right after a directive
         * (`PRAGMA(omp parallel for) FOR_RANGE(i, n)`) is expanded too:
         * the loop must be written out for the analysis. */
        int header = nt > 0 && strcmp(tk[0], "for") == 0 &&
                     marked(mk.stmts, mk.nstmts, off);
        struct rep r = {0};
        struct tr_buf piece = {0};
        if (operand) {
            /* `_Pragma(STR(omp ...))`: the operand becomes its string. */
            unsigned q = end;
            struct tr_tok c = tr_lex(cx->text, cx->size, &q);
            if (nt == 1 && ours(tk[0]) && tr_tok_is(cx->text, c, ")"))
                tr_buf_add(&piece, tk[0]);
        } else if (header || needs_rewrite(tk, nt)) {
            if (clang_Cursor_isNull(x.v[i].def)) {
                tr_error(cx, off,
                         "this macro expands to a directive and its "
                         "statement, but its definition was not recorded");
            } else if (round + 1 >= MAX_ROUNDS) {
                tr_error(cx, off,
                         "macros around this directive nest more than %d "
                         "deep (or expand into themselves); write the "
                         "pragma outside the macro",
                         MAX_ROUNDS);
            } else {
                struct mdef m;
                mdef_load(cx, x.v[i].def, &m);
                unsigned e2 = end;
                tr_buf_add(&piece, "");
                /* After an error the invocation stays as it is, and the
                 * others are still expanded, for their diagnostics. */
                if (expand_one(cx, &m, off, &e2, &piece, &r)) {
                    tr_buf_free(&piece);
                    free(r.segs);
                    r.segs = NULL;
                    r.nsegs = 0;
                } else {
                    end = e2;
                    done = end;
                }
                mdef_free(&m);
            }
        }
        if (!piece.s && nt >= 4 && strcmp(tk[nt - 4], "_Pragma") == 0 &&
            ours(tk[nt - 2])) {
            /* A directive from a macro: what follows is its statement. */
            unsigned q = end;
            struct tr_tok nx = tr_lex(cx->text, cx->size, &q);
            if (nx.kind == TR_TK_IDENT)
                mark(&mk.stmts, &mk.nstmts, nx.off);
        }
        for (int k = 0; k < nt; k++)
            free(tk[k]);
        free(tk);
        if (!piece.s) {
            free(r.segs);
            continue;
        }
        tr_buf_addn(&out, cx->text + copied, off - copied);
        r.noff = (unsigned)out.len;
        r.ooff = off;
        r.oend = end;
        for (int k = 0; k < r.nsegs; k++)
            r.segs[k].noff += r.noff;
        tr_buf_add(&out, piece.s);
        r.nend = (unsigned)out.len;
        tr_buf_free(&piece);
        copied = end;
        rd.r = tr_xrealloc(rd.r, (size_t)(rd.n + 1) * sizeof *rd.r);
        rd.r[rd.n++] = r;
    }
    tr_macros_free(ms);
    free(mk.ops);
    free(mk.stmts);
    free(x.v);
    if (rd.n == 0) {
        tr_buf_free(&out);
        return 0;
    }
    tr_buf_addn(&out, cx->text + copied, cx->size - copied);
    struct tr_mmap *mm = cx->mmap;
    if (!mm) {
        mm = cx->mmap = tr_xcalloc(1, sizeof *mm);
        mm->orig = cx->text;
        mm->orig_size = cx->size;
    } else {
        free(cx->text);
    }
    mm->rounds =
        tr_xrealloc(mm->rounds, (size_t)(mm->nrounds + 1) * sizeof *mm->rounds);
    mm->rounds[mm->nrounds++] = rd;
    cx->text = out.s;
    cx->size = (unsigned)out.len;
    return 1;
}
