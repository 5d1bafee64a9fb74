/* This file handles weft's cluster loops on the translator side (issue 6):
 * it parses `map(kind: section, ...)`, refuses what cannot be right on
 * another machine (unmapped pointers and arrays, mutable globals, calls
 * through function pointers, from/tofrom sections that are not affine in
 * the loop variable, writes to `to`-only arrays, ...), and writes the
 * lowering: the weft_map array and the WEFT_parallel_for_cluster call at the
 * call site, and once per file the table of cluster bodies (key
 * "file:line:col", chunk function, reduction helpers, capture flags) with the
 * constructor that registers it. The chunk function itself is the one
 * outline.c writes for `parallel for`: it reads every variable through the
 * capture block, which a worker rebuilds from the capture flags. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tr.h"
#include "weft/abi.h"

/* ------------------------------------------------------------------ */
/* Small text helpers                                                 */
/* ------------------------------------------------------------------ */

static int is_space(char ch) {
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\\';
}

/* s[b..e) without surrounding white space; continuation lines joined. */
static char *trim(const char *s, unsigned b, unsigned e) {
    while (b < e && is_space(s[b]))
        b++;
    while (e > b && is_space(s[e - 1]))
        e--;
    char *r = tr_strndup(s + b, e - b);
    for (char *p = r; *p; p++)
        if (*p == '\\' || *p == '\n' || *p == '\r')
            *p = ' ';
    return r;
}

/* Offset of the bracket closing the one just before p, or e. */
static unsigned closing(const char *s, unsigned p, unsigned e) {
    int depth = 1;
    for (;;) {
        struct tr_tok t = tr_lex(s, e, &p);
        if (t.kind == TR_TK_EOF)
            return e;
        if (t.kind != TR_TK_PUNCT || t.len != 1)
            continue;
        char ch = s[t.off];
        if (ch == '(' || ch == '[' || ch == '{')
            depth++;
        else if ((ch == ')' || ch == ']' || ch == '}') && --depth == 0)
            return t.off;
    }
}

/* Offset of the first `ch` outside brackets in s[b..e), or e. */
static unsigned top_level(const char *s, unsigned b, unsigned e, char ch) {
    int depth = 0;
    for (;;) {
        struct tr_tok t = tr_lex(s, e, &b);
        if (t.kind == TR_TK_EOF)
            return e;
        if (t.kind != TR_TK_PUNCT || t.len != 1)
            continue;
        char c = s[t.off];
        if (depth == 0 && c == ch)
            return t.off;
        if (c == '(' || c == '[' || c == '{')
            depth++;
        else if (c == ')' || c == ']' || c == '}')
            depth--;
    }
}

/* Whether the C text s names the identifier id. */
static int mentions(const char *s, const char *id) {
    unsigned p = 0, n = (unsigned)strlen(s);
    for (;;) {
        struct tr_tok t = tr_lex(s, n, &p);
        if (t.kind == TR_TK_EOF)
            return 0;
        if (t.kind == TR_TK_IDENT && tr_tok_is(s, t, id))
            return 1;
    }
}

/* s with every token `id` replaced by `with` (comments dropped). */
static char *substitute(const char *s, const char *id, const char *with) {
    struct tr_buf b = {0};
    unsigned p = 0, n = (unsigned)strlen(s), last = 0;
    tr_buf_add(&b, "");
    for (;;) {
        struct tr_tok t = tr_lex(s, n, &p);
        if (t.kind == TR_TK_EOF)
            break;
        if (t.kind == TR_TK_IDENT && tr_tok_is(s, t, id)) {
            tr_buf_addn(&b, s + last, t.off - last);
            tr_buf_add(&b, with);
            last = t.off + t.len;
        }
    }
    tr_buf_add(&b, s + last);
    return b.s;
}

/* ------------------------------------------------------------------ */
/* map(kind: list)                                                    */
/* ------------------------------------------------------------------ */

int tr_cluster_parse_map(struct tr_ctx *cx, struct tr_directive *dir,
                         const char *s, unsigned b, unsigned e,
                         unsigned (*off_of)(const void *src, unsigned i),
                         const void *src) {
    unsigned colon = top_level(s, b, e, ':');
    unsigned p = b;
    struct tr_tok k = tr_lex(s, colon, &p);
    struct tr_tok k2 = tr_lex(s, colon, &p);
    unsigned kind = 0;
    if (colon < e && k.kind == TR_TK_IDENT && k2.kind == TR_TK_EOF) {
        if (tr_tok_is(s, k, "to"))
            kind = WEFT_MAP_TO;
        else if (tr_tok_is(s, k, "from"))
            kind = WEFT_MAP_FROM;
        else if (tr_tok_is(s, k, "tofrom"))
            kind = WEFT_MAP_TOFROM;
    }
    if (!kind) {
        char *w = colon < e ? trim(s, b, colon) : tr_strdup("");
        tr_error(cx, off_of(src, k.kind == TR_TK_EOF ? b : k.off),
                 "unknown map kind '%s'; write map(to: x[0:n]), "
                 "map(from: y[i]) or map(tofrom: z[i])",
                 w);
        free(w);
        return -1;
    }
    p = colon + 1;
    for (;;) {
        struct tr_tok t = tr_lex(s, e, &p);
        if (t.kind != TR_TK_IDENT) {
            tr_error(cx, off_of(src, t.kind == TR_TK_EOF ? e : t.off),
                     "expected an array or pointer name in 'map' clause; "
                     "write map(to: x[0:n], ...)");
            return -1;
        }
        struct tr_map m = {0};
        m.kind = kind;
        m.name = tr_strndup(s + t.off, t.len);
        m.off = m.sec_off = off_of(src, t.off);
        m.var = -1;
        unsigned q = p;
        struct tr_tok nx = tr_lex(s, e, &q);
        if (tr_tok_is(s, nx, "[")) {
            unsigned close = closing(s, q, e);
            if (close >= e) {
                tr_error(cx, off_of(src, nx.off),
                         "missing ']' in the section of '%s'", m.name);
                free(m.name);
                return -1;
            }
            m.sec_off = off_of(src, nx.off);
            unsigned c2 = top_level(s, q, close, ':');
            m.start = trim(s, q, c2 < close ? c2 : close);
            if (c2 < close)
                m.len = trim(s, c2 + 1, close);
            if (!*m.start) {
                free(m.start);
                m.start = tr_strdup("0");
            }
            if (m.len && !*m.len) {
                tr_error(cx, m.sec_off,
                         "section of '%s' needs a length; write "
                         "%s[lower:length]",
                         m.name, m.name);
                free(m.name);
                free(m.start);
                free(m.len);
                return -1;
            }
            q = close + 1;
            nx = tr_lex(s, e, &q);
        }
        dir->maps = tr_xrealloc(dir->maps,
                                (size_t)(dir->nmaps + 1) * sizeof *dir->maps);
        dir->maps[dir->nmaps++] = m;
        if (nx.kind == TR_TK_EOF)
            return 0;
        if (!tr_tok_is(s, nx, ",")) {
            tr_error(cx, off_of(src, nx.off),
                     "expected ',' or ')' in 'map' clause");
            return -1;
        }
        p = q;
    }
}

/* ------------------------------------------------------------------ */
/* Affine sections                                                    */
/* ------------------------------------------------------------------ */

/* A syntactic check that an expression is affine in one variable: the
 * variable appears only in + and -, and multiplied by (or multiplying) an
 * expression free of it; never divided, in a call, in a subscript, or with
 * any other operator. Each parse function returns the degree (0: free of
 * the variable, 1: affine) or -1 with why set. Binary operators other
 * than + - * / % all bind looser than additive ones in C, so they form the
 * lowest level, where the variable may not appear at all. */
struct aff {
    const char *s;
    struct tr_tok *t;
    int n, i;
    const char *var;
    const char *why;
};

static int aff_bin(struct aff *a, int lvl);

static int tok_is(struct aff *a, int i, const char *x) {
    return i < a->n && tr_tok_is(a->s, a->t[i], x);
}

/* Index of the token closing the bracket at i, or n. */
static int aff_close(struct aff *a, int i) {
    int depth = 0;
    for (int j = i; j < a->n; j++) {
        if (tok_is(a, j, "(") || tok_is(a, j, "[") || tok_is(a, j, "{"))
            depth++;
        else if ((tok_is(a, j, ")") || tok_is(a, j, "]") ||
                  tok_is(a, j, "}")) &&
                 --depth == 0)
            return j;
    }
    return a->n;
}

static int aff_mentions(struct aff *a, int b, int e) {
    for (int j = b; j < e && j < a->n; j++)
        if (a->t[j].kind == TR_TK_IDENT && tok_is(a, j, a->var))
            return 1;
    return 0;
}

static int aff_unary(struct aff *a) {
    if (a->i >= a->n) {
        a->why = "the expression is incomplete";
        return -1;
    }
    struct tr_tok t = a->t[a->i];
    if (tok_is(a, a->i, "+") || tok_is(a, a->i, "-")) {
        a->i++;
        return aff_unary(a);
    }
    int d;
    if (tok_is(a, a->i, "(")) {
        int j = aff_close(a, a->i);
        if (j >= a->n) {
            a->why = "a parenthesis is not closed";
            return -1;
        }
        /* `(type) operand`: a cast when only names and `*` are inside
         * and an operand follows. */
        int cast = j + 1 < a->n &&
                   (a->t[j + 1].kind == TR_TK_IDENT ||
                    a->t[j + 1].kind == TR_TK_NUM || tok_is(a, j + 1, "("));
        for (int x = a->i + 1; cast && x < j; x++)
            if (a->t[x].kind != TR_TK_IDENT && !tok_is(a, x, "*"))
                cast = 0;
        if (cast) {
            if (aff_mentions(a, a->i, j)) {
                a->why = "the loop variable is used in a cast's type";
                return -1;
            }
            a->i = j + 1;
            return aff_unary(a);
        }
        a->i++;
        d = aff_bin(a, 0);
        if (d < 0)
            return -1;
        if (a->i != j) {
            a->why = "it cannot be read as one expression";
            return -1;
        }
        a->i = j + 1;
    } else if (tok_is(a, a->i, "sizeof")) {
        a->i++;
        if (tok_is(a, a->i, "(")) {
            a->i = aff_close(a, a->i) + 1;
            return 0;
        }
        return aff_unary(a) < 0 ? -1 : 0;
    } else if (t.kind == TR_TK_IDENT) {
        d = tok_is(a, a->i, a->var);
        a->i++;
    } else if (t.kind == TR_TK_NUM || t.kind == TR_TK_STR) {
        a->i++;
        d = 0;
    } else {
        a->why = "it contains an unexpected token";
        return -1;
    }
    /* Postfix: subscripts, calls, members. */
    for (;;) {
        if (tok_is(a, a->i, "[") || tok_is(a, a->i, "(")) {
            int call = tok_is(a, a->i, "(");
            int j = aff_close(a, a->i);
            if (d || aff_mentions(a, a->i, j)) {
                a->why = call ? "the loop variable is used in a function call"
                              : "the loop variable is used in a subscript";
                return -1;
            }
            a->i = j + 1;
        } else if (tok_is(a, a->i, ".") || tok_is(a, a->i, "->")) {
            if (d) {
                a->why = "the loop variable is not an integer here";
                return -1;
            }
            a->i += 2;
        } else if (tok_is(a, a->i, "++") || tok_is(a, a->i, "--")) {
            a->why = "the section modifies a variable";
            return -1;
        } else {
            return d;
        }
    }
}

static int op_level(struct aff *a) {
    static const char *const other[] = {"<<", ">>", "<", ">", "<=", ">=",
                                        "==", "!=", "&", "^", "|",  "&&",
                                        "||", "?",  ":", NULL};
    if (tok_is(a, a->i, "+") || tok_is(a, a->i, "-"))
        return 1;
    if (tok_is(a, a->i, "*") || tok_is(a, a->i, "/") || tok_is(a, a->i, "%"))
        return 2;
    for (int k = 0; other[k]; k++)
        if (tok_is(a, a->i, other[k]))
            return 0;
    return -1;
}

static int aff_bin(struct aff *a, int lvl) {
    if (lvl == 3)
        return aff_unary(a);
    int d = aff_bin(a, lvl + 1);
    while (d >= 0 && a->i < a->n && op_level(a) == lvl) {
        int div = tok_is(a, a->i, "/") || tok_is(a, a->i, "%");
        int mul = tok_is(a, a->i, "*");
        a->i++;
        int r = aff_bin(a, lvl + 1);
        if (r < 0)
            return -1;
        if (lvl == 1) {
            d = d || r;
        } else if (mul) {
            if (d && r) {
                a->why = "the loop variable is multiplied by itself";
                return -1;
            }
            d = d || r;
        } else if (div || lvl == 0) {
            if (d || r) {
                a->why = div ? "the loop variable is divided"
                             : "the loop variable is used with an operator "
                               "other than + - *";
                return -1;
            }
        }
    }
    return d;
}

/* Returns 1 when expr is affine in var and uses it, 0 when it does not
 * use it, -1 when it is not affine (*why says how). */
static int affine(const char *expr, const char *var, const char **why) {
    struct aff a = {expr, NULL, 0, 0, var, NULL};
    unsigned p = 0, n = (unsigned)strlen(expr);
    for (;;) {
        struct tr_tok t = tr_lex(expr, n, &p);
        if (t.kind == TR_TK_EOF)
            break;
        a.t = tr_xrealloc(a.t, (size_t)(a.n + 1) * sizeof *a.t);
        a.t[a.n++] = t;
    }
    int d = aff_bin(&a, 0);
    if (d >= 0 && a.i != a.n) {
        a.why = "it cannot be read as one expression";
        d = -1;
    }
    free(a.t);
    *why = a.why;
    return d;
}

/* ------------------------------------------------------------------ */
/* Checks                                                             */
/* ------------------------------------------------------------------ */

static int is_array_kind(enum CXTypeKind k) {
    return k == CXType_ConstantArray || k == CXType_IncompleteArray ||
           k == CXType_VariableArray || k == CXType_DependentSizedArray;
}

/* A variable's type as the chunk function sees it: parameters declared
 * as arrays are pointers. */
struct vty {
    CXType t;    /* canonical declared type */
    CXType elem; /* pointee or element type (canonical) */
    int is_ptr, is_arr;
    long long size; /* bytes, < 0 when not a constant */
};

static struct vty var_type(CXCursor decl) {
    struct vty r;
    r.t = clang_getCanonicalType(clang_getCursorType(decl));
    r.is_ptr = r.t.kind == CXType_Pointer;
    r.is_arr = is_array_kind(r.t.kind);
    r.size = clang_Type_getSizeOf(r.t);
    if (clang_getCursorKind(decl) == CXCursor_ParmDecl && r.is_arr) {
        r.is_arr = 0;
        r.is_ptr = 1;
        r.size = (long long)sizeof(void *);
    }
    r.elem = clang_getCanonicalType(r.is_arr   ? clang_getArrayElementType(r.t)
                                    : r.is_ptr ? clang_getPointeeType(r.t)
                                               : r.t);
    return r;
}

/* Whether a file-lifetime variable of type t is the same on every process
 * of the binary: const all the way down (arrays' elements, pointees). */
static int deep_const(CXType t) {
    /* The element of a canonical array type drops its qualifiers: walk
     * the written type, and read kinds from the canonical one. */
    while (is_array_kind(clang_getCanonicalType(t).kind))
        t = clang_getArrayElementType(t);
    if (!clang_isConstQualifiedType(t) &&
        !clang_isConstQualifiedType(clang_getCanonicalType(t)))
        return 0;
    t = clang_getCanonicalType(t);
    if (t.kind == CXType_Pointer) {
        CXType pt = clang_getCanonicalType(clang_getPointeeType(t));
        return pt.kind == CXType_FunctionProto ||
               pt.kind == CXType_FunctionNoProto || deep_const(pt);
    }
    return 1;
}

static enum CXVisitorResult field_visit(CXCursor c, CXClientData data);

/* Whether a struct or array type holds a pointer anywhere. */
static int holds_pointer(CXType t) {
    t = clang_getCanonicalType(t);
    while (is_array_kind(t.kind))
        t = clang_getCanonicalType(clang_getArrayElementType(t));
    if (t.kind == CXType_Pointer || t.kind == CXType_BlockPointer)
        return 1;
    if (t.kind != CXType_Record)
        return 0;
    int found = 0;
    clang_Type_visitFields(t, field_visit, &found);
    return found;
}

static enum CXVisitorResult field_visit(CXCursor c, CXClientData data) {
    int *found = data;
    if (holds_pointer(clang_getCursorType(c))) {
        *found = 1;
        return CXVisit_Break;
    }
    return CXVisit_Continue;
}

static const char *kind_name(unsigned k) {
    return k == WEFT_MAP_TO ? "to" : k == WEFT_MAP_FROM ? "from" : "tofrom";
}

/* Where to point at a variable: its first reference in the body, or the
 * pragma when the body names it only through macros. */
static unsigned ref_off(const struct tr_construct *c, const struct tr_var *v) {
    return v->nrefs ? v->refs[0] : c->dir.off;
}

/* Body walk: calls through pointers, writes into `to`-only arrays. */
struct cwalk {
    struct tr_ctx *cx;
    struct tr_construct *c;
    CXCursor stack[256];
    int depth;
    int bad;
};

/* c without implicit casts and parentheses. */
static CXCursor strip(CXCursor c) {
    for (;;) {
        enum CXCursorKind k = clang_getCursorKind(c);
        if (k != CXCursor_UnexposedExpr && k != CXCursor_ParenExpr)
            return c;
        CXCursor *kids;
        int n = tr_children(c, &kids);
        if (n != 1) {
            free(kids);
            return c;
        }
        c = kids[0];
        free(kids);
    }
}

static CXCursor first_child(CXCursor c) {
    CXCursor *kids;
    int n = tr_children(c, &kids);
    CXCursor r = n ? kids[0] : clang_getNullCursor();
    free(kids);
    return r;
}

/* The map of the variable that declaration decl names, or NULL. */
static struct tr_map *map_of(struct tr_construct *c, CXCursor decl) {
    for (int i = 0; i < c->dir.nmaps; i++) {
        struct tr_map *m = &c->dir.maps[i];
        if (m->var >= 0 && clang_equalCursors(c->vars[m->var].decl, decl))
            return m;
    }
    return NULL;
}

/* Whether the expression at stack top (an element access) is written:
 * the left side of an assignment, or the operand of ++ / --. */
static int is_written(struct cwalk *w, CXCursor e) {
    struct tr_ctx *cx = w->cx;
    CXCursor child = e;
    int d = w->depth - 1;
    while (d >= 0 && clang_getCursorKind(w->stack[d]) == CXCursor_ParenExpr)
        child = w->stack[d--];
    if (d < 0)
        return 0;
    CXCursor p = w->stack[d];
    enum CXCursorKind pk = clang_getCursorKind(p);
    unsigned pb, pe, cb, ce;
    tr_cursor_range(p, &pb, &pe);
    tr_cursor_range(child, &cb, &ce);
    if (pk == CXCursor_CompoundAssignOperator)
        return cb == pb;
    unsigned q = ce;
    struct tr_tok after = tr_lex(cx->text, cx->size, &q);
    if (pk == CXCursor_BinaryOperator)
        return cb == pb && tr_tok_is(cx->text, after, "=");
    if (pk == CXCursor_UnaryOperator) {
        q = pb;
        struct tr_tok before = tr_lex(cx->text, cx->size, &q);
        if (cb > pb)
            return tr_tok_is(cx->text, before, "++") ||
                   tr_tok_is(cx->text, before, "--");
        return tr_tok_is(cx->text, after, "++") ||
               tr_tok_is(cx->text, after, "--");
    }
    return 0;
}

static void cwalk_node(struct cwalk *w, CXCursor c) {
    struct tr_ctx *cx = w->cx;
    enum CXCursorKind k = clang_getCursorKind(c);
    if (k == CXCursor_CallExpr) {
        CXCursor callee = strip(first_child(c));
        enum CXCursorKind ck = clang_getCursorKind(callee);
        CXCursor ref = clang_getCursorReferenced(callee);
        if (!clang_Cursor_isNull(callee) &&
            !(ck == CXCursor_DeclRefExpr &&
              clang_getCursorKind(ref) == CXCursor_FunctionDecl)) {
            char *name = ck == CXCursor_DeclRefExpr
                             ? tr_cxstr(clang_getCursorSpelling(callee))
                             : tr_strdup("an expression");
            tr_error(cx, tr_cursor_off(callee),
                     "the body of a cluster loop calls a function through "
                     "'%s'; a function address means nothing on another "
                     "machine: call the function by its name",
                     name);
            free(name);
            w->bad = 1;
        }
    }
    if (k == CXCursor_ArraySubscriptExpr ||
        (k == CXCursor_UnaryOperator && tr_cursor_off(c) < cx->size &&
         cx->text[tr_cursor_off(c)] == '*')) {
        CXCursor base = strip(first_child(c));
        if (clang_getCursorKind(base) == CXCursor_DeclRefExpr) {
            struct tr_map *m = map_of(w->c, clang_getCursorReferenced(base));
            if (m && m->kind == WEFT_MAP_TO && is_written(w, c)) {
                tr_error(cx, tr_cursor_off(c),
                         "the body writes '%s', which is mapped 'to' only; "
                         "writes on a worker would not come back: map it "
                         "with map(tofrom: %s[...]) sliced by the loop "
                         "variable",
                         m->name, m->name);
                w->bad = 1;
            }
        }
    }
    if (w->depth < 256) {
        w->stack[w->depth++] = c;
        CXCursor *kids;
        int n = tr_children(c, &kids);
        for (int i = 0; i < n; i++)
            cwalk_node(w, kids[i]);
        free(kids);
        w->depth--;
    }
}

static int check_map(struct tr_ctx *cx, struct tr_construct *c,
                     struct tr_map *m) {
    const char *iv = c->loops[0].var;
    if (strcmp(m->name, iv) == 0) {
        tr_error(cx, m->off,
                 "the loop variable '%s' cannot be mapped; map the arrays "
                 "the loop reads and writes",
                 iv);
        return -1;
    }
    for (int i = 0; i < c->nvars; i++)
        if (strcmp(c->vars[i].name, m->name) == 0 && c->vars[i].referenced)
            m->var = i;
    if (m->var < 0) {
        tr_error(cx, m->off,
                 "'%s' in 'map' clause is not a variable the loop body "
                 "uses; remove it from the map",
                 m->name);
        return -1;
    }
    struct tr_var *v = &c->vars[m->var];
    for (struct tr_map *o = c->dir.maps; o < m; o++)
        if (o->var == m->var) {
            tr_error(cx, m->off,
                     "'%s' appears in more than one map; map each array "
                     "once (map(tofrom: ...) for one that is read and "
                     "written)",
                     m->name);
            return -1;
        }
    struct vty vt = var_type(v->decl);
    int is_ptr = vt.is_ptr, is_arr = vt.is_arr;
    if (is_ptr) {
        CXType pt = vt.elem;
        if (pt.kind == CXType_Void || pt.kind == CXType_FunctionProto ||
            pt.kind == CXType_FunctionNoProto) {
            tr_error(cx, m->off,
                     "map of '%s', a pointer to %s; map a pointer to the "
                     "element type of the data",
                     m->name, pt.kind == CXType_Void ? "void" : "function");
            return -1;
        }
    }
    if (!is_ptr && !is_arr) {
        tr_error(cx, m->off,
                 "map of '%s', which is neither an array nor a pointer; "
                 "scalars are copied to the workers without a map: remove "
                 "it from map(...)",
                 m->name);
        return -1;
    }
    if (!v->is_local || v->is_static) {
        tr_error(cx, m->off,
                 "map of '%s', which is not an automatic variable of the "
                 "function; map a local array or pointer (for instance "
                 "'double *p = %s;' before the loop)",
                 m->name, m->name);
        return -1;
    }
    if (!m->start) {
        if (is_ptr || vt.t.kind != CXType_ConstantArray) {
            tr_error(cx, m->off,
                     "map of '%s' needs a section; write %s[0:n] for "
                     "map(to: ...) or %s[i] for map(from: ...)",
                     m->name, m->name, m->name);
            return -1;
        }
        if (m->kind != WEFT_MAP_TO)
            goto no_loop_var;
        return 0;
    }
    if (m->kind == WEFT_MAP_TO) {
        if (mentions(m->start, iv) || (m->len && mentions(m->len, iv))) {
            tr_error(cx, m->sec_off,
                     "'to' section of '%s' depends on the loop variable "
                     "'%s'; a 'to' section is sent whole: name the whole "
                     "range the loop reads, like %s[0:n]",
                     m->name, iv, m->name);
            return -1;
        }
        return 0;
    }
    if (m->len && mentions(m->len, iv)) {
        tr_error(cx, m->sec_off,
                 "the length of the '%s' section of '%s' depends on the "
                 "loop variable '%s'; every iteration's slice must have the "
                 "same length",
                 kind_name(m->kind), m->name, iv);
        return -1;
    }
    const char *why = NULL;
    int a = affine(m->start, iv, &why);
    if (a < 0) {
        tr_error(cx, m->sec_off,
                 "the '%s' section '%s[%s]' is not affine in the loop "
                 "variable '%s' (%s); write its start as a*%s + b with a "
                 "and b free of '%s'",
                 kind_name(m->kind), m->name, m->start, iv, why, iv, iv);
        return -1;
    }
    if (a == 0) {
    no_loop_var:
        tr_error(cx, m->sec_off,
                 "the '%s' section of '%s' does not use the loop variable "
                 "'%s'; each iteration must name the slice it writes, like "
                 "%s[%s] or %s[%s*w:w]",
                 kind_name(m->kind), m->name, iv, m->name, iv, m->name, iv);
        return -1;
    }
    return 0;
}

int tr_cluster_analyze(struct tr_ctx *cx, struct tr_construct *c) {
    struct tr_directive *d = &c->dir;
    const char *iv = c->loops[0].var;
    if (!d->cluster) {
        tr_error(cx, d->maps[0].off,
                 "'map' clause without 'cluster'; write '#pragma weft "
                 "parallel for cluster map(...)' to run the loop on the "
                 "workers too, or remove the map");
        return -1;
    }
    if (c->nloops > 1) {
        tr_error(cx, d->off,
                 "collapse(%d) is not supported on cluster loops; write the "
                 "nest as one loop over i*m + j, or remove 'cluster'",
                 c->nloops);
        return -1;
    }
    if (d->seen & TR_CL_ORDERED) {
        tr_error(cx, d->off,
                 "'ordered' is not supported on cluster loops: iterations on "
                 "other machines cannot wait for each other; remove "
                 "'cluster' or 'ordered'");
        return -1;
    }
    if (c->loops[0].is_pointer) {
        tr_error(cx, c->loops[0].for_off,
                 "a cluster loop needs an integer loop variable; '%s' is a "
                 "pointer (loop over an index instead)",
                 iv);
        return -1;
    }
    int bad = 0;
    for (int i = 0; i < d->nvars; i++)
        if (d->vars[i].dsa == TR_DSA_LASTPRIVATE) {
            tr_error(cx, d->vars[i].off,
                     "lastprivate is not supported on cluster loops: the "
                     "last iteration may run on another machine; compute "
                     "'%s' after the loop instead",
                     d->vars[i].name);
            bad = 1;
        }
    for (int i = 0; i < d->nmaps; i++)
        if (check_map(cx, c, &d->maps[i]))
            bad = 1;
    if (bad)
        return -1;
    for (int i = 0; i < c->nvars; i++) {
        struct tr_var *v = &c->vars[i];
        if (!v->referenced || v->cls == TR_V_REDUCTION ||
            v->cls == TR_V_PRIVATE)
            continue;
        int mapped = 0;
        for (int j = 0; j < d->nmaps; j++)
            if (d->maps[j].var == i)
                mapped = 1;
        if (mapped)
            continue;
        struct vty vt = var_type(v->decl);
        if (!v->is_local || v->is_static) {
            if (deep_const(clang_getCursorType(v->decl)))
                continue;
            tr_error(cx, ref_off(c, v),
                     "the body of a cluster loop uses '%s', a %s variable "
                     "that is not const; each worker has its own copy: copy "
                     "its value into a local variable before the loop, or "
                     "map an array through a local pointer",
                     v->name, v->is_local ? "static" : "global");
            bad = 1;
            continue;
        }
        if (vt.is_ptr) {
            CXType pt = vt.elem;
            if (pt.kind == CXType_FunctionProto ||
                pt.kind == CXType_FunctionNoProto) {
                tr_error(cx, ref_off(c, v),
                         "the body of a cluster loop uses the function "
                         "pointer '%s'; a function address means nothing "
                         "on another machine: call the function by its "
                         "name",
                         v->name);
            } else {
                tr_error(cx, ref_off(c, v),
                         "the body of a cluster loop uses the pointer '%s' "
                         "without a map; add map(to: %s[0:n]) for what it "
                         "reads or map(from: %s[%s]) for what it writes",
                         v->name, v->name, v->name, iv);
            }
            bad = 1;
            continue;
        }
        if (vt.is_arr && !(v->cls == TR_V_FIRSTPRIVATE &&
                           vt.t.kind == CXType_ConstantArray)) {
            tr_error(cx, ref_off(c, v),
                     "the body of a cluster loop uses the array '%s' "
                     "without a map; add map(to: %s) for what it reads or "
                     "map(from: %s[%s]) for what it writes",
                     v->name, v->name, v->name, iv);
            bad = 1;
            continue;
        }
        if (v->cls == TR_V_PTR && v->written) {
            tr_error(cx, ref_off(c, v),
                     "the body of a cluster loop writes the shared variable "
                     "'%s'; writes on a worker do not come back: use "
                     "reduction(...) or a map(from: ...) array indexed by "
                     "the loop variable",
                     v->name);
            bad = 1;
            continue;
        }
        if (holds_pointer(vt.t)) {
            tr_error(cx, ref_off(c, v),
                     "the body of a cluster loop uses '%s', whose type holds "
                     "pointers, which mean nothing on another machine; copy "
                     "the fields it needs into local variables and map the "
                     "arrays",
                     v->name);
            bad = 1;
            continue;
        }
        if (vt.size < 0) {
            tr_error(cx, ref_off(c, v),
                     "the body of a cluster loop uses '%s', whose size is not "
                     "known when compiling; map it or copy it into a "
                     "fixed-size variable",
                     v->name);
            bad = 1;
        }
    }
    if (bad)
        return -1;
    struct cwalk w = {0};
    w.cx = cx;
    w.c = c;
    CXCursor *kids;
    int nk = tr_children(c->loops[0].stmt, &kids);
    w.stack[w.depth++] = c->loops[0].stmt;
    if (nk)
        cwalk_node(&w, kids[nk - 1]);
    free(kids);
    return w.bad ? -1 : 0;
}

/* ------------------------------------------------------------------ */
/* Lowering                                                           */
/* ------------------------------------------------------------------ */

/* A name for this file's table that no other translated file shares. */
static unsigned file_hash(const struct tr_ctx *cx) {
    unsigned h = 2166136261u;
    for (const char *p = cx->display; *p; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    return h;
}

void tr_cluster_prologue(struct tr_ctx *cx, struct tr_buf *pro) {
    int k = 0;
    for (int i = 0; i < cx->ncons; i++)
        if (cx->cons[i].dir.cluster)
            cx->cons[i].cl_index = k++;
    if (k)
        tr_buf_printf(pro,
                      "static const struct weft_cluster_body "
                      "__weft_clb_%08x[%d];\n",
                      file_hash(cx), k);
}

/* Size and flags of capture slot i, as a weft_capture initialiser. */
static void cap_entry(struct tr_construct *c, int i, const char *text,
                      struct tr_buf *out, struct tr_buf *site) {
    for (int j = 0; j < c->nvars; j++) {
        struct tr_var *v = &c->vars[j];
        int sec = v->cls == TR_V_REDUCTION && v->clause && v->clause->sec_lo;
        if (v->cap < 0)
            continue;
        if (sec && i == v->cap - 2) {
            tr_buf_add(out, "{sizeof(ptrdiff_t), WEFT_CAP_VALUE}");
            return;
        }
        if (sec && i == v->cap - 1) {
            tr_buf_add(out, "{sizeof(size_t), WEFT_CAP_VALUE}");
            return;
        }
        if (i != v->cap)
            continue;
        struct vty vt = var_type(v->decl);
        if (sec) {
            /* The section's first element: only fini, on this machine,
             * writes through it; the worker gets a harmless copy. */
            tr_buf_printf(out, "{%lld, WEFT_CAP_VALUE}",
                          clang_Type_getSizeOf(vt.elem));
            return;
        }
        for (int m = 0; m < c->dir.nmaps; m++)
            if (c->dir.maps[m].var == j) {
                long long sz = vt.size;
                tr_buf_printf(out, "{%lld, %s}", sz < 0 ? 0 : sz,
                              vt.is_ptr ? "WEFT_CAP_MAPPED_PTR"
                                        : "WEFT_CAP_MAPPED_ARRAY");
                return;
            }
        long long sz = vt.size;
        tr_buf_printf(out, "{%lld, WEFT_CAP_VALUE}", sz);
        /* The size comes from libclang; the real compiler confirms it. */
        tr_buf_printf(site, "(void)sizeof(char[sizeof %s == %lld ? 1 : -1]); ",
                      v->name, sz);
        return;
    }
    if (strstr(text, "__weft_lb_"))
        tr_buf_printf(out, "{%u, WEFT_CAP_VALUE}", c->loops[0].width / 8);
    else if (strstr(text, "__weft_st_"))
        tr_buf_add(out, "{sizeof(int64_t), WEFT_CAP_VALUE}");
    else if (strstr(text, "__weft_n_"))
        tr_buf_add(out, "{sizeof(uint64_t), WEFT_CAP_VALUE}");
    else if (strstr(text, "__weft_roff_")) {
        int nsec = 0;
        for (int j = 0; j < c->nvars; j++)
            if (c->vars[j].cls == TR_V_REDUCTION && c->vars[j].clause &&
                c->vars[j].clause->sec_lo)
                nsec++;
        tr_buf_printf(out, "{%d * sizeof(size_t), WEFT_CAP_VALUE}", nsec + 1);
    } else {
        /* A slot this pass does not know: the loop cannot be described to
         * a worker, so it would be wrong to let it go remote. */
        fprintf(stderr,
                "weft-translate: internal error: cluster loop capture slot "
                "'%s' has no known layout\n",
                text);
        tr_buf_add(out, "{0, 0}");
    }
}

void tr_cluster_site(struct tr_ctx *cx, struct tr_construct *c,
                     struct tr_buf *site, int ncap, char *const *caps) {
    int N = c->id;
    struct tr_directive *d = &c->dir;
    struct tr_buf tab = {0};
    for (int i = 0; i < ncap; i++) {
        if (i)
            tr_buf_add(&tab, ", ");
        cap_entry(c, i, caps[i], &tab, site);
    }
    free(c->cl_caps);
    c->cl_caps = tab.s;
    c->cl_ncap = ncap;
    const char *iv = c->loops[0].var;
    struct tr_buf ms = {0};
    for (int j = 0; j < d->nmaps; j++) {
        struct tr_map *m = &d->maps[j];
        struct tr_var *v = &c->vars[m->var];
        if (j)
            tr_buf_add(&ms, ", ");
        const char *len = m->len ? m->len : "1";
        if (m->kind == WEFT_MAP_TO) {
            if (m->start)
                tr_buf_printf(&ms,
                              "{WEFT_MAP_TO, %d, sizeof((%s)[0]), 0, "
                              "(int64_t)(%s), (uint64_t)(%s)}",
                              v->cap, v->name, m->start, len);
            else
                tr_buf_printf(&ms,
                              "{WEFT_MAP_TO, %d, sizeof((%s)[0]), 0, 0, "
                              "sizeof(%s) / sizeof((%s)[0])}",
                              v->cap, v->name, v->name, v->name);
            continue;
        }
        /* start(v) = a_v*v + b_v, read at v = 0 and v = 1; then in logical
         * k, v = lb + k*step: a = a_v*step, b = a_v*lb + b_v (modulo
         * 2^64, like the loop's own arithmetic). */
        char *s0 = substitute(m->start, iv, "(0)");
        char *s1 = substitute(m->start, iv, "(1)");
        tr_buf_printf(site,
                      "int64_t __weft_mb_%d_%d = (int64_t)(%s); "
                      "int64_t __weft_ma_%d_%d = (int64_t)(%s) - "
                      "__weft_mb_%d_%d; ",
                      N, j, s0, N, j, s1, N, j);
        free(s0);
        free(s1);
        tr_buf_printf(&ms,
                      "{%s, %d, sizeof((%s)[0]), (int64_t)((uint64_t)"
                      "__weft_ma_%d_%d * (uint64_t)__weft_st_%d_0), "
                      "(int64_t)((uint64_t)__weft_ma_%d_%d * (uint64_t)"
                      "(int64_t)__weft_lb_%d_0 + (uint64_t)__weft_mb_%d_%d), "
                      "(uint64_t)(%s)}",
                      m->kind == WEFT_MAP_FROM ? "WEFT_MAP_FROM"
                                               : "WEFT_MAP_TOFROM",
                      v->cap, v->name, N, j, N, N, j, N, N, j, len);
    }
    if (d->nmaps)
        tr_buf_printf(site, "struct weft_map __weft_maps_%d[] = { %s }; ", N,
                      ms.s);
    char maps[32] = "0";
    if (d->nmaps)
        snprintf(maps, sizeof maps, "__weft_maps_%d", N);
    tr_buf_printf(site,
                  "struct weft_cluster_loop __weft_cl_%d = { __weft_lp_%d, "
                  "&__weft_clb_%08x[%d], %s, %du }; "
                  "WEFT_parallel_for_cluster(&__weft_cl_%d); ",
                  N, N, file_hash(cx), c->cl_index, maps, d->nmaps, N);
    tr_buf_free(&ms);
}

int tr_cluster_epilogue(struct tr_ctx *cx, struct tr_buf *out) {
    int k = 0;
    for (int i = 0; i < cx->ncons; i++)
        if (cx->cons[i].dir.cluster)
            k++;
    if (!k)
        return 0;
    unsigned h = file_hash(cx);
    tr_buf_add(out, "\n/* weft: this file's cluster loop bodies, registered "
                    "at start-up (a worker finds them by key). */\n");
    for (int i = 0; i < cx->ncons; i++) {
        struct tr_construct *c = &cx->cons[i];
        if (!c->dir.cluster)
            continue;
        tr_buf_printf(out,
                      "static const struct weft_capture __weft_caps_%d[] = "
                      "{ %s };\n",
                      c->id, c->cl_caps ? c->cl_caps : "");
        /* A reduction's __weft_crd_<id> (functions or the built-in
         * table) is emitted with its helpers by outline.c. */
    }
    tr_buf_printf(out,
                  "static const struct weft_cluster_body "
                  "__weft_clb_%08x[%d] = {\n",
                  h, k);
    for (int i = 0; i < cx->ncons; i++) {
        struct tr_construct *c = &cx->cons[i];
        if (!c->dir.cluster)
            continue;
        tr_buf_add(out, "    { \"");
        tr_buf_add_cstr(out, cx->display);
        tr_buf_printf(out, ":%u:%u\", __weft_body_%d, ", c->dir.line,
                      c->dir.col, c->id);
        if (c->has_reduction)
            tr_buf_printf(out, "&__weft_crd_%d, ", c->id);
        else
            tr_buf_add(out, "0, ");
        tr_buf_printf(out, "%du, __weft_caps_%d },\n", c->cl_ncap, c->id);
    }
    tr_buf_printf(out,
                  "};\n__attribute__((constructor)) static void "
                  "__weft_clreg_%08x(void)\n{\n    WEFT_cluster_register("
                  "__weft_clb_%08x, %d);\n}\n",
                  h, h, k);
    return 1;
}

void tr_cluster_free(struct tr_construct *c) {
    for (int i = 0; i < c->dir.nmaps; i++) {
        free(c->dir.maps[i].name);
        free(c->dir.maps[i].start);
        free(c->dir.maps[i].len);
    }
    free(c->dir.maps);
    free(c->cl_caps);
}
