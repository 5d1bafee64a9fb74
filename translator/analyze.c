/* This file handles the analyze pass: for each `parallel for` it finds the
 * enclosing function and the associated loop nest, checks the canonical
 * loop form (OpenMP 5.2 section 4.4.1), resolves the clause variables,
 * walks the body to find every variable it references and how (read,
 * written, address taken), rejects what cannot be parallelised (break,
 * return or goto out of the body, the loop variable modified), and gives
 * every variable its class (copy, by pointer, private, reduction, ...). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tr.h"

/* One local variable of the enclosing function, with the end of its
 * scope, so that clause names can be resolved at the pragma. */
struct local {
    CXCursor decl;
    char *name;
    unsigned off, scope_end;
};

/* What one walk over the enclosing function collects. */
struct fninfo {
    struct tr_ctx *cx;
    CXCursor *fors;
    int nfors;
    struct local *locals;
    int nlocals;
    struct tr_local_type *types;
    int ntypes;
    unsigned scope_end;
};

static void fn_walk(struct fninfo *fi, CXCursor c, unsigned scope_end) {
    CXCursor *kids;
    int n = tr_children(c, &kids);
    for (int i = 0; i < n; i++) {
        CXCursor k = kids[i];
        enum CXCursorKind kind = clang_getCursorKind(k);
        unsigned b, e;
        tr_cursor_range(k, &b, &e);
        if (kind == CXCursor_VarDecl || kind == CXCursor_ParmDecl) {
            fi->locals = tr_xrealloc(fi->locals, (size_t)(fi->nlocals + 1) *
                                                     sizeof *fi->locals);
            struct local *l = &fi->locals[fi->nlocals++];
            l->decl = k;
            l->name = tr_cxstr(clang_getCursorSpelling(k));
            l->off = tr_cursor_off(k);
            l->scope_end = scope_end;
        }
        if ((kind == CXCursor_StructDecl || kind == CXCursor_UnionDecl ||
             kind == CXCursor_EnumDecl || kind == CXCursor_TypedefDecl) &&
            clang_getCursorKind(c) == CXCursor_DeclStmt) {
            int inside = -1;
            for (int j = 0; j < fi->ntypes; j++)
                if (b >= fi->types[j].off && e <= fi->types[j].end)
                    inside = j;
            struct tr_buf names = {0};
            char *nm = tr_cxstr(clang_getCursorSpelling(k));
            tr_buf_printf(&names, " %s ", nm);
            free(nm);
            if (kind == CXCursor_EnumDecl) {
                CXCursor *ek;
                int ne = tr_children(k, &ek);
                for (int j = 0; j < ne; j++) {
                    char *en = tr_cxstr(clang_getCursorSpelling(ek[j]));
                    tr_buf_printf(&names, "%s ", en);
                    free(en);
                }
                free(ek);
            }
            /* `typedef struct S {..} T;` lists the struct and then the
             * typedef whose extent contains it: keep only the outer, with
             * the names of both. */
            if (fi->ntypes && fi->types[fi->ntypes - 1].off >= b &&
                fi->types[fi->ntypes - 1].end <= e) {
                tr_buf_add(&names, fi->types[fi->ntypes - 1].names);
                free(fi->types[fi->ntypes - 1].names);
                fi->ntypes--;
            }
            if (inside < 0) {
                fi->types = tr_xrealloc(fi->types, (size_t)(fi->ntypes + 1) *
                                                       sizeof *fi->types);
                fi->types[fi->ntypes].off = b;
                fi->types[fi->ntypes].end = e;
                fi->types[fi->ntypes].names = names.s;
                fi->ntypes++;
            } else {
                struct tr_buf m = {0};
                tr_buf_add(&m, fi->types[inside].names);
                tr_buf_add(&m, names.s);
                free(fi->types[inside].names);
                fi->types[inside].names = m.s;
                tr_buf_free(&names);
            }
        }
        if (kind == CXCursor_ForStmt) {
            fi->fors = tr_xrealloc(fi->fors,
                                   (size_t)(fi->nfors + 1) * sizeof *fi->fors);
            fi->fors[fi->nfors++] = k;
        }
        /* Blocks and for statements open a scope. */
        unsigned se = scope_end;
        if (kind == CXCursor_CompoundStmt || kind == CXCursor_ForStmt)
            se = e;
        if (kind != CXCursor_StructDecl && kind != CXCursor_UnionDecl &&
            kind != CXCursor_EnumDecl)
            fn_walk(fi, k, se);
    }
    free(kids);
}

/* ------------------------------------------------------------------ */
/* Loop headers                                                       */
/* ------------------------------------------------------------------ */

/* Offset just past the statement starting at the given cursor: libclang's
 * extent of an expression statement stops before its `;`. */
static unsigned stmt_end(struct tr_ctx *cx, CXCursor s) {
    unsigned b, e;
    tr_cursor_range(s, &b, &e);
    unsigned q = e;
    while (q > b && (cx->text[q - 1] == ' ' || cx->text[q - 1] == '\t' ||
                     cx->text[q - 1] == '\n' || cx->text[q - 1] == '\r'))
        q--;
    if (q > b && (cx->text[q - 1] == ';' || cx->text[q - 1] == '}'))
        return e;
    unsigned p = e;
    struct tr_tok t = tr_lex(cx->text, cx->size, &p);
    if (tr_tok_is(cx->text, t, ";"))
        return p;
    return e;
}

unsigned tr_stmt_end(struct tr_ctx *cx, CXCursor s) { return stmt_end(cx, s); }

/* libclang spells `__typeof__(T)` as `typeof(T)`, which is no keyword in
 * strict C11: later passes (H12) read types the first pass wrote. */
static char *type_str(CXType t) {
    char *s = tr_cxstr(clang_getTypeSpelling(t));
    if (!strstr(s, "typeof"))
        return s;
    struct tr_buf b = {0};
    for (const char *p = s; *p;) {
        /* H18: libclang writes `typeof (expr)` for an expression. */
        size_t kw = strncmp(p, "typeof(", 7) == 0    ? 7
                    : strncmp(p, "typeof (", 8) == 0 ? 8
                                                     : 0;
        if (kw &&
            (p == s || !(p[-1] == '_' || (p[-1] >= 'a' && p[-1] <= 'z') ||
                         (p[-1] >= 'A' && p[-1] <= 'Z') ||
                         (p[-1] >= '0' && p[-1] <= '9')))) {
            tr_buf_add(&b, "__typeof__(");
            p += kw;
        } else {
            tr_buf_addn(&b, p, 1);
            p++;
        }
    }
    free(s);
    return b.s;
}

static int is_ident_text(const char *s, const char *name) {
    /* Strips spaces and outer parentheses: `(i)` names i too. */
    size_t b = 0, n = strlen(s);
    for (;;) {
        while (b < n && (s[b] == ' ' || s[b] == '\t'))
            b++;
        while (n > b && (s[n - 1] == ' ' || s[n - 1] == '\t'))
            n--;
        if (n - b >= 2 && s[b] == '(' && s[n - 1] == ')') {
            b++;
            n--;
            continue;
        }
        break;
    }
    return n - b == strlen(name) && strncmp(s + b, name, n - b) == 0;
}

static char *trim_dup(const char *s, unsigned b, unsigned e) {
    while (b < e &&
           (s[b] == ' ' || s[b] == '\t' || s[b] == '\n' || s[b] == '\r'))
        b++;
    while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\n' ||
                     s[e - 1] == '\r'))
        e--;
    return tr_strndup(s + b, e - b);
}

/* Whether t[b..e) holds a comma outside parentheses and brackets. */
static int has_top_comma(const char *t, unsigned b, unsigned e) {
    unsigned q = b;
    int d = 0;
    for (;;) {
        struct tr_tok x = tr_lex(t, e, &q);
        if (x.kind == TR_TK_EOF)
            return 0;
        if (x.kind != TR_TK_PUNCT || x.len != 1)
            continue;
        if (t[x.off] == '(' || t[x.off] == '[' || t[x.off] == '{')
            d++;
        else if (t[x.off] == ')' || t[x.off] == ']' || t[x.off] == '}')
            d--;
        else if (t[x.off] == ',' && d == 0)
            return 1;
    }
}

/* Offset of the first token in t[b..e), for error columns. */
static unsigned first_tok(const char *t, unsigned b, unsigned e) {
    struct tr_tok k = tr_lex(t, e, &b);
    return k.kind == TR_TK_EOF ? e : k.off;
}

/* Sets the loop variable's type facts; errors for enums and the like. */
static int loop_var_type(struct tr_ctx *cx, struct tr_loop *lp, unsigned at) {
    CXType t = clang_getCursorType(lp->var_decl);
    CXType ct = clang_getCanonicalType(t);
    lp->type = type_str(t);
    switch (ct.kind) {
    case CXType_Pointer:
        lp->is_pointer = 1;
        lp->width = 64;
        lp->is_signed = 1;
        return 0;
    case CXType_Char_S:
    case CXType_SChar:
    case CXType_Short:
    case CXType_Int:
    case CXType_Long:
    case CXType_LongLong:
        lp->is_signed = 1;
        break;
    case CXType_Char_U:
    case CXType_UChar:
    case CXType_UShort:
    case CXType_UInt:
    case CXType_ULong:
    case CXType_ULongLong:
        lp->is_signed = 0;
        break;
    case CXType_Enum:
        tr_error(cx, at,
                 "loop variable '%s' has enum type '%s'; use an integer "
                 "loop variable and convert inside the body",
                 lp->var, lp->type);
        return -1;
    default:
        tr_error(cx, at,
                 "loop variable '%s' has type '%s'; a parallel loop needs "
                 "an integer or pointer loop variable",
                 lp->var, lp->type);
        return -1;
    }
    long long sz = clang_Type_getSizeOf(ct);
    if (sz != 1 && sz != 2 && sz != 4 && sz != 8) {
        tr_error(cx, at,
                 "loop variable '%s' of type '%s' is wider than 64 "
                 "bits; use a 64-bit or narrower integer",
                 lp->var, lp->type);
        return -1;
    }
    lp->width = (unsigned)sz * 8;
    return 0;
}

/* Parses the header of the ForStmt f into lp. */
static int parse_header(struct tr_ctx *cx, CXCursor f, struct tr_loop *lp) {
    const char *t = cx->text;
    unsigned b, e;
    tr_cursor_range(f, &b, &e);
    lp->stmt = f;
    lp->for_off = b;
    unsigned p = b;
    struct tr_tok kw = tr_lex(t, cx->size, &p);
    struct tr_tok op = tr_lex(t, cx->size, &p);
    if (!tr_tok_is(t, kw, "for") || !tr_tok_is(t, op, "(")) {
        tr_error(cx, b,
                 "the loop header of a parallel loop must be written "
                 "out, not produced by a macro");
        return -1;
    }
    unsigned semi[2], close = 0;
    int ns = 0, depth = 0;
    for (;;) {
        struct tr_tok k = tr_lex(t, cx->size, &p);
        if (k.kind == TR_TK_EOF)
            return -1;
        if (k.kind != TR_TK_PUNCT || k.len != 1)
            continue;
        char ch = t[k.off];
        if (ch == '(' || ch == '[' || ch == '{')
            depth++;
        else if ((ch == ')' || ch == ']' || ch == '}') && depth)
            depth--;
        else if (ch == ')') {
            close = k.off;
            break;
        } else if (ch == ';' && depth == 0 && ns < 2)
            semi[ns++] = k.off;
    }
    if (ns != 2) {
        tr_error(cx, b,
                 "parallel loop header must have the form 'for (init; "
                 "test; increment)'");
        return -1;
    }
    unsigned ib = op.off + 1;
    /* The body is the ForStmt's last child. */
    CXCursor *kids;
    int nk = tr_children(f, &kids);
    if (nk == 0) {
        free(kids);
        return -1;
    }
    CXCursor body = kids[nk - 1];
    CXCursor init = kids[0];
    unsigned i0b, i0e;
    tr_cursor_range(init, &i0b, &i0e);
    int have_init = i0b >= ib && i0b < semi[0];
    free(kids);
    unsigned bb, be;
    tr_cursor_range(body, &bb, &be);
    if (bb <= close) {
        tr_error(cx, b, "the parallel loop has no body");
        return -1;
    }
    lp->body_off = bb;
    lp->body_end = stmt_end(cx, body);
    lp->end = lp->body_end;

    /* init: `T v = lb` or `v = lb` */
    if (!have_init) {
        tr_error(cx, ib,
                 "parallel loop needs an initialisation 'v = lb' or "
                 "'T v = lb'; found none");
        return -1;
    }
    enum CXCursorKind ik = clang_getCursorKind(init);
    unsigned eq = semi[0];
    {
        unsigned q = ib;
        int d = 0;
        for (;;) {
            struct tr_tok k = tr_lex(t, semi[0], &q);
            if (k.kind == TR_TK_EOF)
                break;
            if (k.kind == TR_TK_PUNCT && k.len == 1) {
                char ch = t[k.off];
                if (ch == '(' || ch == '[')
                    d++;
                else if (ch == ')' || ch == ']')
                    d--;
                else if (ch == '=' && d == 0) {
                    eq = k.off;
                    break;
                } else if (ch == ',' && d == 0) {
                    eq = semi[0];
                    break;
                }
            }
        }
    }
    CXCursor var = clang_getNullCursor();
    if (ik == CXCursor_DeclStmt) {
        CXCursor *dk;
        int nd = tr_children(init, &dk);
        if (nd == 1 && clang_getCursorKind(dk[0]) == CXCursor_VarDecl) {
            var = dk[0];
            lp->declared_in_init = 1;
        }
        free(dk);
    } else if (ik == CXCursor_BinaryOperator) {
        CXCursor *dk;
        int nd = tr_children(init, &dk);
        if (nd == 2) {
            CXCursor l = dk[0];
            while (clang_getCursorKind(l) == CXCursor_ParenExpr) {
                CXCursor *pk;
                int np = tr_children(l, &pk);
                l = np ? pk[0] : clang_getNullCursor();
                free(pk);
            }
            if (clang_getCursorKind(l) == CXCursor_DeclRefExpr)
                var = clang_getCursorReferenced(l);
        }
        free(dk);
    }
    if (clang_Cursor_isNull(var) || eq >= semi[0] ||
        (clang_getCursorKind(var) != CXCursor_VarDecl &&
         clang_getCursorKind(var) != CXCursor_ParmDecl)) {
        char *s = trim_dup(t, ib, semi[0]);
        tr_error(cx, first_tok(t, ib, semi[0]),
                 "parallel loop initialisation '%s' is not in "
                 "canonical form; write 'v = lb' or 'T v = lb' for "
                 "one loop variable",
                 s);
        free(s);
        return -1;
    }
    lp->var_decl = var;
    lp->var = tr_cxstr(clang_getCursorSpelling(var));
    lp->lb = trim_dup(t, eq + 1, semi[0]);
    if (loop_var_type(cx, lp, ib))
        return -1;

    /* test: `v OP ub` or `ub OP v` */
    {
        unsigned q = semi[0] + 1, opb = 0, ope = 0;
        int d = 0, nops = 0;
        enum tr_cmp cmp = TR_LT;
        for (;;) {
            struct tr_tok k = tr_lex(t, semi[1], &q);
            if (k.kind == TR_TK_EOF)
                break;
            if (k.kind != TR_TK_PUNCT)
                continue;
            if (k.len == 1 && (t[k.off] == '(' || t[k.off] == '['))
                d++;
            else if (k.len == 1 && (t[k.off] == ')' || t[k.off] == ']'))
                d--;
            else if (d == 0) {
                static const char *const ops[] = {"<", "<=", ">", ">=", "!="};
                for (int i = 0; i < 5; i++)
                    if (tr_tok_is(t, k, ops[i])) {
                        cmp = (enum tr_cmp)i;
                        opb = k.off;
                        ope = k.off + k.len;
                        nops++;
                    }
            }
        }
        char *lhs = nops == 1 ? trim_dup(t, semi[0] + 1, opb) : NULL;
        char *rhs = nops == 1 ? trim_dup(t, ope, semi[1]) : NULL;
        if (lhs && is_ident_text(lhs, lp->var)) {
            lp->ub = rhs;
            lp->cmp = cmp;
            free(lhs);
        } else if (rhs && is_ident_text(rhs, lp->var)) {
            static const enum tr_cmp flip[] = {TR_GT, TR_GE, TR_LT, TR_LE,
                                               TR_NE};
            lp->ub = lhs;
            lp->cmp = flip[cmp];
            free(rhs);
        } else {
            char *s = trim_dup(t, semi[0] + 1, semi[1]);
            tr_error(cx, first_tok(t, semi[0] + 1, semi[1]),
                     "parallel loop test '%s' is not in canonical form; "
                     "compare the loop variable '%s' with <, <=, >, >= or != "
                     "to a bound",
                     s, lp->var);
            free(s);
            free(lhs);
            free(rhs);
            return -1;
        }
    }

    /* increment: a top-level comma (`i += s, n++`) would hide a second
     * expression that the serial loop evaluates every iteration but a
     * step evaluated once cannot; OpenMP does not allow it. */
    if (has_top_comma(t, semi[1] + 1, close)) {
        char *s = trim_dup(t, semi[1] + 1, close);
        tr_error(cx, first_tok(t, semi[1] + 1, close),
                 "parallel loop increment '%s' is not in canonical form: it "
                 "holds a comma expression; keep only the loop variable's "
                 "step and move the rest into the loop body",
                 s);
        free(s);
        return -1;
    }
    {
        unsigned q = semi[1] + 1;
        struct tr_tok k[6];
        int nt = 0;
        for (;;) {
            struct tr_tok x = tr_lex(t, close, &q);
            if (x.kind == TR_TK_EOF)
                break;
            if (nt < 6)
                k[nt] = x;
            nt++;
        }
        char *v = lp->var;
#define IS(i, s) (nt > (i) && tr_tok_is(t, k[i], s))
        char *step = NULL;
        if (nt == 2 && ((IS(0, "++") && IS(1, v)) || (IS(0, v) && IS(1, "++"))))
            step = tr_strdup("1");
        if (nt == 3 && IS(0, v) && (IS(1, "+=") || IS(1, "-=")) &&
            k[2].kind == TR_TK_NUM)
            lp->step_is_lit = 1;
        else if (nt == 2 &&
                 ((IS(0, "--") && IS(1, v)) || (IS(0, v) && IS(1, "--"))))
            step = tr_strdup("-1");
        if (step)
            lp->step_is_lit = 1;
        else if (nt >= 3 && IS(0, v) && (IS(1, "+=") || IS(1, "-="))) {
            char *x = trim_dup(t, k[1].off + 2, close);
            struct tr_buf sb = {0};
            tr_buf_printf(&sb, "%s(int64_t)(%s)", IS(1, "-=") ? "-" : "", x);
            step = sb.s;
            free(x);
        } else if (nt >= 5 && IS(0, v) && IS(1, "=") && IS(2, v) &&
                   (IS(3, "+") || IS(3, "-"))) {
            char *x = trim_dup(t, k[3].off + 1, close);
            struct tr_buf sb = {0};
            tr_buf_printf(&sb, "%s(int64_t)(%s)", IS(3, "-") ? "-" : "", x);
            step = sb.s;
            free(x);
        } else if (nt >= 5 && IS(0, v) && IS(1, "=")) {
            /* v = k + v: the last two tokens are `+ v`. */
            unsigned q2 = k[1].off + 1, lastb = 0, plus = 0;
            int d = 0, ok = 0;
            struct tr_tok prev = {TR_TK_EOF, 0, 0};
            for (;;) {
                struct tr_tok x = tr_lex(t, close, &q2);
                if (x.kind == TR_TK_EOF)
                    break;
                if (x.kind == TR_TK_PUNCT && x.len == 1 &&
                    (t[x.off] == '(' || t[x.off] == '['))
                    d++;
                if (x.kind == TR_TK_PUNCT && x.len == 1 &&
                    (t[x.off] == ')' || t[x.off] == ']'))
                    d--;
                ok = d == 0 && tr_tok_is(t, x, v) && tr_tok_is(t, prev, "+");
                if (ok)
                    plus = prev.off;
                lastb = x.off;
                prev = x;
            }
            (void)lastb;
            if (ok) {
                char *x = trim_dup(t, k[1].off + 1, plus);
                struct tr_buf sb = {0};
                tr_buf_printf(&sb, "(int64_t)(%s)", x);
                step = sb.s;
                free(x);
            }
        }
#undef IS
        if (!step) {
            char *s = trim_dup(t, semi[1] + 1, close);
            tr_error(cx, first_tok(t, semi[1] + 1, close),
                     "parallel loop increment '%s' is not in canonical form; "
                     "write %s++, %s--, %s += step, %s -= step or %s = %s + "
                     "step",
                     s, v, v, v, v, v, v);
            free(s);
            return -1;
        }
        lp->step = step;
    }
    return 0;
}

/* Appends the identifiers of t[b..e) to ids, each as " name ". */
static void add_idents(struct tr_buf *ids, const char *t, unsigned b,
                       unsigned e) {
    for (;;) {
        struct tr_tok k = tr_lex(t, e, &b);
        if (k.kind == TR_TK_EOF)
            return;
        if (k.kind == TR_TK_IDENT) {
            tr_buf_addn(ids, t + k.off, k.len);
            tr_buf_add(ids, " ");
        }
    }
}

/* Identifiers of a text, for the rectangular-nest check. */
static int mentions(const char *s, const char *name) {
    unsigned p = 0, n = (unsigned)strlen(s);
    for (;;) {
        struct tr_tok k = tr_lex(s, n, &p);
        if (k.kind == TR_TK_EOF)
            return 0;
        if (k.kind == TR_TK_IDENT && tr_tok_is(s, k, name))
            return 1;
    }
}

/* ------------------------------------------------------------------ */
/* Body walk                                                          */
/* ------------------------------------------------------------------ */

struct walk {
    struct tr_ctx *cx;
    struct tr_construct *c;
    unsigned body_off, body_end;
    CXCursor stack[256];
    int depth;
    int breakable; /* loops and switches entered inside the body */
    int loops;     /* loops entered inside the body (for continue) */
    int bad;
};

/* Whether c comes from a macro expansion. libclang 14 reports a token of
 * a macro's body at the expansion's start for both its spelling and its
 * expansion location, so a cursor located exactly where a macro expansion
 * starts counts as expanded too; macro arguments have distinct spelling
 * and expansion locations. */
static int in_macro(struct tr_ctx *cx, CXCursor c) {
    CXSourceLocation l = clang_getCursorLocation(c);
    CXFile f1, f2;
    unsigned o1, o2;
    clang_getSpellingLocation(l, &f1, NULL, NULL, &o1);
    clang_getExpansionLocation(l, &f2, NULL, NULL, &o2);
    if (o1 != o2 || !clang_File_isEqual(f1, f2))
        return 1;
    for (int i = 0; i < cx->nmexp; i++)
        if (cx->mexp[i] == o2)
            return 1;
    return 0;
}

static struct tr_var *var_for(struct tr_construct *c, CXCursor decl) {
    for (int i = 0; i < c->nvars; i++)
        if (clang_equalCursors(c->vars[i].decl, decl))
            return &c->vars[i];
    return NULL;
}

static struct tr_var *add_tvar(struct tr_construct *c, CXCursor decl) {
    struct tr_var *v = var_for(c, decl);
    if (v)
        return v;
    c->vars = tr_xrealloc(c->vars, (size_t)(c->nvars + 1) * sizeof *c->vars);
    v = &c->vars[c->nvars++];
    memset(v, 0, sizeof *v);
    v->decl = decl;
    v->name = tr_cxstr(clang_getCursorSpelling(decl));
    CXType t = clang_getCursorType(decl);
    CXType ct = clang_getCanonicalType(t);
    v->type = type_str(t);
    v->canon = type_str(ct);
    v->is_array = ct.kind == CXType_ConstantArray ||
                  ct.kind == CXType_IncompleteArray ||
                  ct.kind == CXType_VariableArray ||
                  ct.kind == CXType_DependentSizedArray;
    v->is_vla = ct.kind == CXType_VariableArray;
    v->is_record = ct.kind == CXType_Record;
    /* A parameter declared as an array (`double c[static 4]`,
     * `double m[][n]`) is a pointer; its written type is not a valid
     * type name elsewhere. */
    if (clang_getCursorKind(decl) == CXCursor_ParmDecl && v->is_array) {
        char *es = tr_cxstr(clang_getTypeSpelling(
            clang_getArrayElementType(t.kind == CXType_Invalid ? ct : t)));
        free(v->type);
        struct tr_buf b = {0};
        tr_buf_printf(&b, "__typeof__(%s) *", es);
        v->type = b.s;
        free(es);
        v->is_array = v->is_vla = 0;
    }
    v->is_volatile =
        clang_isVolatileQualifiedType(t) || clang_isVolatileQualifiedType(ct);
    CXCursor parent = clang_getCursorSemanticParent(decl);
    enum CXCursorKind pk = clang_getCursorKind(parent);
    v->is_local = pk == CXCursor_FunctionDecl;
    enum CX_StorageClass sc = clang_Cursor_getStorageClass(decl);
    v->is_static = v->is_local && (sc == CX_SC_Static || sc == CX_SC_Extern);
    v->cap = -1;
    return v;
}

/* Finds what the expression at stack depth d (a DeclRefExpr) is an
 * operand of, through parentheses. Sets written / address taken. */
static void classify_use(struct walk *w, struct tr_var *v, CXCursor ref) {
    struct tr_ctx *cx = w->cx;
    CXCursor child = ref;
    int d = w->depth - 1;
    while (d >= 0 && clang_getCursorKind(w->stack[d]) == CXCursor_ParenExpr) {
        child = w->stack[d];
        d--;
    }
    if (d < 0)
        return;
    CXCursor p = w->stack[d];
    enum CXCursorKind pk = clang_getCursorKind(p);
    if (pk != CXCursor_BinaryOperator &&
        pk != CXCursor_CompoundAssignOperator && pk != CXCursor_UnaryOperator)
        return;
    if (in_macro(cx, p)) {
        /* Operators inside macro expansions cannot be read from the text:
         * assume the worst (by pointer is always correct). */
        v->written = 1;
        return;
    }
    unsigned pb, pe, cb, ce;
    tr_cursor_range(p, &pb, &pe);
    tr_cursor_range(child, &cb, &ce);
    if (pk == CXCursor_CompoundAssignOperator) {
        if (cb == pb)
            v->written = 1;
        return;
    }
    if (pk == CXCursor_BinaryOperator) {
        if (cb != pb)
            return;
        unsigned q = ce;
        struct tr_tok k = tr_lex(cx->text, cx->size, &q);
        if (tr_tok_is(cx->text, k, "="))
            v->written = 1;
        return;
    }
    /* Unary: prefix when the operator precedes the operand. */
    unsigned q = cb < pb + 1 ? ce : pb;
    struct tr_tok k = tr_lex(cx->text, cx->size, &q);
    if (tr_tok_is(cx->text, k, "++") || tr_tok_is(cx->text, k, "--"))
        v->written = 1;
    else if (tr_tok_is(cx->text, k, "&") && cb > pb)
        v->addr_taken = 1;
}

static int is_loop_var(struct tr_construct *c, CXCursor decl) {
    for (int i = 0; i < c->nloops; i++)
        if (clang_equalCursors(c->loops[i].var_decl, decl))
            return 1;
    return 0;
}

static void body_ref(struct walk *w, CXCursor ref) {
    struct tr_ctx *cx = w->cx;
    struct tr_construct *c = w->c;
    CXCursor decl = clang_getCursorReferenced(ref);
    enum CXCursorKind dk = clang_getCursorKind(decl);
    if (dk == CXCursor_FunctionDecl) {
        if (clang_equalCursors(clang_getCanonicalCursor(decl),
                               clang_getCanonicalCursor(c->func)))
            c->recursive = 1;
        return;
    }
    if (dk != CXCursor_VarDecl && dk != CXCursor_ParmDecl)
        return;
    unsigned doff = tr_cursor_off(decl);
    CXFile df = NULL;
    clang_getExpansionLocation(clang_getCursorLocation(decl), &df, NULL, NULL,
                               NULL);
    int decl_in_main = df && clang_File_isEqual(df, cx->file);
    if (decl_in_main && doff >= w->body_off && doff < w->body_end)
        return; /* declared inside the body: private by construction */
    if (is_loop_var(c, decl)) {
        struct tr_var tmp = {0};
        classify_use(w, &tmp, ref);
        if (tmp.written) {
            char *name = tr_cxstr(clang_getCursorSpelling(decl));
            tr_error(cx, tr_cursor_off(ref),
                     "loop variable '%s' is modified in the body of the "
                     "parallel loop; the loop variable must change only in "
                     "the loop header",
                     name);
            free(name);
            w->bad = 1;
        }
        return;
    }
    struct tr_var *v = add_tvar(c, decl);
    v->referenced = 1;
    classify_use(w, v, ref);
    /* Where the name is spelled: rewritable when it is a token of the
     * body in the main file (directly or as a macro argument). */
    CXFile sf = NULL;
    unsigned so = 0;
    clang_getSpellingLocation(clang_getCursorLocation(ref), &sf, NULL, NULL,
                              &so);
    size_t nl = strlen(v->name);
    if (sf && clang_File_isEqual(sf, cx->file) && so >= w->body_off &&
        so + nl <= w->body_end && strncmp(cx->text + so, v->name, nl) == 0) {
        for (int i = 0; i < v->nrefs; i++)
            if (v->refs[i] == so)
                return;
        v->refs =
            tr_xrealloc(v->refs, (size_t)(v->nrefs + 1) * sizeof *v->refs);
        v->refs[v->nrefs++] = so;
    } else {
        v->macro_ref = 1;
    }
}

static void walk_body(struct walk *w, CXCursor c) {
    struct tr_ctx *cx = w->cx;
    enum CXCursorKind k = clang_getCursorKind(c);
    unsigned off = tr_cursor_off(c);
    int brk = 0, lp = 0;
    switch (k) {
    case CXCursor_DeclRefExpr:
        body_ref(w, c);
        break;
    case CXCursor_ForStmt:
    case CXCursor_WhileStmt:
    case CXCursor_DoStmt:
        brk = lp = 1;
        break;
    case CXCursor_SwitchStmt:
        brk = 1;
        break;
    case CXCursor_BreakStmt:
        if (!w->breakable) {
            tr_error(cx, off,
                     "'break' leaves the parallel loop; a parallel "
                     "loop must run all its iterations (use a flag "
                     "and 'continue' instead)");
            w->bad = 1;
        }
        break;
    case CXCursor_ReturnStmt:
        tr_error(cx, off,
                 "'return' inside the body of a parallel loop; "
                 "move the loop into a function whose result does "
                 "not depend on leaving early");
        w->bad = 1;
        break;
    case CXCursor_IndirectGotoStmt:
        tr_error(cx, off,
                 "computed 'goto' inside the body of a parallel "
                 "loop is not supported; use ordinary control "
                 "flow");
        w->bad = 1;
        break;
    case CXCursor_GotoStmt: {
        CXCursor *kids;
        int n = tr_children(c, &kids);
        for (int i = 0; i < n; i++) {
            if (clang_getCursorKind(kids[i]) != CXCursor_LabelRef)
                continue;
            CXCursor lab = clang_getCursorReferenced(kids[i]);
            unsigned lo = tr_cursor_off(lab);
            if (lo < w->body_off || lo >= w->body_end) {
                char *name = tr_cxstr(clang_getCursorSpelling(kids[i]));
                tr_error(cx, off,
                         "'goto %s' jumps out of the body of a parallel "
                         "loop; jumps must stay inside the body",
                         name);
                free(name);
                w->bad = 1;
            }
        }
        free(kids);
        break;
    }
    default:
        break;
    }
    w->breakable += brk;
    w->loops += lp;
    if (w->depth < 256) {
        w->stack[w->depth++] = c;
        CXCursor *kids;
        int n = tr_children(c, &kids);
        for (int i = 0; i < n; i++)
            walk_body(w, kids[i]);
        free(kids);
        w->depth--;
    }
    w->breakable -= brk;
    w->loops -= lp;
}

/* ------------------------------------------------------------------ */
/* Clause variables and classes                                       */
/* ------------------------------------------------------------------ */

struct globals {
    CXCursor *v;
    int n;
};

static enum CXChildVisitResult glob_visit(CXCursor c, CXCursor parent,
                                          CXClientData data) {
    struct globals *g = data;
    (void)parent;
    if (clang_getCursorKind(c) == CXCursor_VarDecl) {
        g->v = tr_xrealloc(g->v, (size_t)(g->n + 1) * sizeof *g->v);
        g->v[g->n++] = c;
    }
    return CXChildVisit_Continue;
}

/* Resolves name as seen at main-file offset at: the innermost local in
 * scope, else the last file-scope variable declared before. */
static int lookup(struct fninfo *fi, struct globals *g, const char *name,
                  unsigned at, CXCursor *out) {
    int best = -1;
    for (int i = 0; i < fi->nlocals; i++) {
        struct local *l = &fi->locals[i];
        if (strcmp(l->name, name) == 0 && l->off < at && l->scope_end > at &&
            (best < 0 || l->off > fi->locals[best].off))
            best = i;
    }
    if (best >= 0) {
        *out = fi->locals[best].decl;
        return 1;
    }
    int found = 0;
    for (int i = 0; i < g->n; i++) {
        char *s = tr_cxstr(clang_getCursorSpelling(g->v[i]));
        if (strcmp(s, name) == 0) {
            *out = g->v[i];
            found = 1;
        }
        free(s);
    }
    return found;
}

static int is_arith(enum CXTypeKind k, int *is_int, int *is_complex) {
    *is_int = (k >= CXType_Bool && k <= CXType_Int128 && k != CXType_WChar) ||
              (k >= CXType_Char_S && k <= CXType_Int128);
    *is_complex = k == CXType_Complex;
    return *is_int || (k >= CXType_Float && k <= CXType_LongDouble) ||
           k == CXType_Float128 || k == CXType_Half || k == CXType_Float16 ||
           k == CXType_Complex;
}

static int check_reduction(struct tr_ctx *cx, struct tr_clause_var *cv) {
    CXType t = clang_getCanonicalType(clang_getCursorType(cv->decl));
    CXType et = t;
    if (cv->sec_lo) {
        if (t.kind == CXType_Pointer)
            et = clang_getCanonicalType(clang_getPointeeType(t));
        else if (t.kind == CXType_ConstantArray ||
                 t.kind == CXType_IncompleteArray ||
                 t.kind == CXType_VariableArray)
            et = clang_getCanonicalType(clang_getArrayElementType(t));
        else {
            tr_error(cx, cv->off,
                     "array section on '%s', which is neither an array nor "
                     "a pointer; reduce the scalar without [lower:length]",
                     cv->name);
            return -1;
        }
    }
    /* A built-in id (`min`, `+`) that a `declare reduction` also declares
     * stays built-in on the arithmetic types, which OpenMP does not let a
     * declaration redefine. */
    int bi, bc;
    if (cv->udr_id && is_arith(et.kind, &bi, &bc)) {
        static const char *const builtin[] = {"+", "*", "-",  "&",   "|",
                                              "^", "&&", "||", "min", "max"};
        for (unsigned i = 0; i < sizeof builtin / sizeof builtin[0]; i++)
            if (strcmp(cv->udr_id, builtin[i]) == 0) {
                free(cv->udr_id);
                cv->udr_id = NULL;
                break;
            }
    }
    /* H27: a user-defined reduction takes any type its declaration
     * lists, matched by the type as written (typedef names included). */
    if (cv->udr_id) {
        CXType wt = clang_getCursorType(cv->decl);
        if (cv->sec_lo) {
            if (wt.kind == CXType_Pointer)
                wt = clang_getPointeeType(wt);
            else if (wt.kind == CXType_ConstantArray ||
                     wt.kind == CXType_IncompleteArray ||
                     wt.kind == CXType_VariableArray)
                wt = clang_getArrayElementType(wt);
            else
                wt = et;
        }
        if (clang_isConstQualifiedType(clang_getCursorType(cv->decl)) &&
            !cv->sec_lo) {
            tr_error(cx, cv->off,
                     "reduction variable '%s' is const; reduce into a "
                     "modifiable variable",
                     cv->name);
            return -1;
        }
        return tr_udr_resolve(cx, cv, wt);
    }
    int is_int, is_cx;
    char *ts = tr_cxstr(clang_getTypeSpelling(clang_getCursorType(cv->decl)));
    int rc = 0;
    if (!is_arith(et.kind, &is_int, &is_cx) || et.kind == CXType_Int128 ||
        et.kind == CXType_UInt128) {
        tr_error(cx, cv->off,
                 "reduction variable '%s' has type '%s'; reductions need an "
                 "arithmetic type (or an array section of one)",
                 cv->name, ts);
        rc = -1;
    } else if (clang_isConstQualifiedType(clang_getCursorType(cv->decl)) &&
               !cv->sec_lo) {
        tr_error(cx, cv->off,
                 "reduction variable '%s' is const; reduce "
                 "into a modifiable variable",
                 cv->name);
        rc = -1;
    } else if (!is_int && (cv->op == TR_RED_AND || cv->op == TR_RED_OR ||
                           cv->op == TR_RED_XOR)) {
        tr_error(cx, cv->off,
                 "bitwise reduction on '%s' of type '%s'; &, | and ^ need "
                 "an integer type",
                 cv->name, ts);
        rc = -1;
    } else if (is_cx && (cv->op == TR_RED_MIN || cv->op == TR_RED_MAX)) {
        tr_error(cx, cv->off,
                 "min/max reduction on complex '%s'; complex numbers have "
                 "no order",
                 cv->name);
        rc = -1;
    }
    free(ts);
    return rc;
}

/* H19: the user's function that the generated function fn (named
 * __weft_<what>_<id> by an earlier pass) comes from, or fn itself. */
char *tr_user_func(struct tr_ctx *cx, const char *fn) {
    size_t n = strlen(fn), k = n;
    while (k > 0 && fn[k - 1] >= '0' && fn[k - 1] <= '9')
        k--;
    if (strncmp(fn, "__weft_", 7) == 0 && k < n && k > 7 && fn[k - 1] == '_' &&
        cx->user_funcs) {
        int id = atoi(fn + k);
        if (id < *cx->nuser_funcs && (*cx->user_funcs)[id])
            return tr_strdup((*cx->user_funcs)[id]);
    }
    return tr_strdup(fn);
}

/* ------------------------------------------------------------------ */
/* H12: parallel regions                                              */
/* ------------------------------------------------------------------ */

/* Walks a region's body: every variable it names, and what leaves it. */
static int region_walk(struct tr_ctx *cx, struct tr_construct *c) {
    if (!c->has_stmt)
        return -1;
    struct walk w = {0};
    w.cx = cx;
    w.c = c;
    w.body_off = c->body_off;
    w.body_end = c->body_end;
    walk_body(&w, c->stmt);
    return w.bad ? -1 : 0;
}

/* A variable of the region (declared outside its body) named name at
 * offset at, or NULL. */
static struct tr_var *region_var(struct tr_ctx *cx, struct tr_construct *c,
                                 struct fninfo *fi, struct globals *g,
                                 const char *name, unsigned at, int add) {
    CXCursor decl;
    if (!lookup(fi, g, name, at, &decl))
        return NULL;
    unsigned doff = tr_cursor_off(decl);
    CXFile df = NULL;
    clang_getExpansionLocation(clang_getCursorLocation(decl), &df, NULL, NULL,
                               NULL);
    if (df && clang_File_isEqual(df, cx->file) && doff >= c->body_off &&
        doff < c->body_end)
        return NULL; /* declared inside the region: copied with it */
    /* H30: c's own loop variable (a loop's body is a "region" since H26)
     * is the chunk's private iteration variable, never a capture, even
     * when a nested construct names it (`parallel shared(i)`). */
    if (is_loop_var(c, decl))
        return NULL;
    struct tr_var *v = var_for(c, decl);
    if (!v && add) {
        v = add_tvar(c, decl);
        v->referenced = 1;
    }
    return v;
}

/* H31: v is threadprivate (predetermined, so default(none) does not ask
 * for it): named by a threadprivate directive of the file, or declared
 * thread-local (a directive an earlier pass lowered, or C11's own). */
static int is_threadprivate(struct tr_ctx *cx, const struct tr_var *v) {
    if (v->is_local && !v->is_static)
        return 0;
    for (int i = 0; i < cx->ncons; i++) {
        const struct tr_directive *d = &cx->cons[i].dir;
        if (d->kind != TR_K_THREADPRIVATE || !d->arg)
            continue;
        unsigned p = 0, n = (unsigned)strlen(d->arg);
        for (;;) {
            struct tr_tok t = tr_lex(d->arg, n, &p);
            if (t.kind == TR_TK_EOF)
                break;
            if (t.kind == TR_TK_IDENT && tr_tok_is(d->arg, t, v->name))
                return 1;
        }
    }
    CXToken *toks = NULL;
    unsigned nt = 0;
    int tl = 0;
    clang_tokenize(cx->tu, clang_getCursorExtent(v->decl), &toks, &nt);
    for (unsigned i = 0; i < nt && !tl; i++) {
        char *s = tr_cxstr(clang_getTokenSpelling(cx->tu, toks[i]));
        tl = strcmp(s, "_Thread_local") == 0 || strcmp(s, "__thread") == 0 ||
             strcmp(s, "thread_local") == 0;
        free(s);
    }
    if (toks)
        clang_disposeTokens(cx->tu, toks, nt);
    return tl;
}

static int inside(const struct tr_construct *c, const struct tr_construct *o) {
    return o != c && o->dir.off > c->replace_off && o->dir.off < c->replace_end;
}

/* Where the names in o's clauses start: critical's name, flush's list and
 * threadprivate's list are no variables of the construct, so those (and a
 * directive without clauses) yield the directive's end: nothing to read. */
static unsigned clause_words(const struct tr_construct *o) {
    unsigned p = o->dir.clause_off;
    if (o->dir.kind == TR_K_CRITICAL || o->dir.kind == TR_K_FLUSH ||
        o->dir.kind == TR_K_THREADPRIVATE || p < o->dir.off)
        p = o->dir.end;
    return p;
}

/* What the constructs nested in region c name: loop variables of inner
 * `for` loops (predetermined private) and variables an inner clause
 * privatises become region-private; names in their clauses' expressions
 * must reach the region function. */
static int region_inner(struct tr_ctx *cx, struct tr_construct *c,
                        struct fninfo *fi, struct globals *g) {
    for (int i = 0; i < cx->ncons; i++) {
        struct tr_construct *o = &cx->cons[i];
        if (!inside(c, o) || o->id < 0)
            continue;
        if (o->dir.kind == TR_K_FOR || o->dir.kind == TR_K_TASKLOOP ||
            o->dir.kind == TR_K_PARALLEL_FOR ||
            o->dir.kind == TR_K_PARALLEL_FOR_COPYIN) {
            unsigned p = o->dir.end;
            for (int j = 0; j < o->dir.collapse; j++) {
                struct tr_tok t;
                do
                    t = tr_lex(cx->text, c->replace_end, &p);
                while (t.kind != TR_TK_EOF && !tr_tok_is(cx->text, t, "for"));
                unsigned q = p;
                struct tr_tok lp = tr_lex(cx->text, c->replace_end, &q);
                struct tr_tok id = tr_lex(cx->text, c->replace_end, &q);
                struct tr_tok eq = tr_lex(cx->text, c->replace_end, &q);
                if (t.kind == TR_TK_EOF || !tr_tok_is(cx->text, lp, "(") ||
                    id.kind != TR_TK_IDENT || !tr_tok_is(cx->text, eq, "="))
                    continue;
                char *name = tr_strndup(cx->text + id.off, id.len);
                struct tr_var *v =
                    region_var(cx, c, fi, g, name, o->dir.off, 0);
                if (v && !v->clause)
                    v->region_priv = 1;
                free(name);
            }
        }
        for (int j = 0; j < o->dir.nvars; j++) {
            struct tr_clause_var *cv = &o->dir.vars[j];
            if (cv->dsa != TR_DSA_PRIVATE && cv->dsa != TR_DSA_FIRSTPRIVATE)
                continue;
            /* H18: a task's private copy is made next to the task, and
             * the variable stays shared in the region (task_copies). */
            if (o->dir.kind == TR_K_TASK || o->dir.kind == TR_K_TASKLOOP)
                continue;
            struct tr_var *v =
                region_var(cx, c, fi, g, cv->name, o->dir.off, 0);
            if (v && !v->clause)
                v->region_priv = cv->dsa == TR_DSA_FIRSTPRIVATE ? 2 : 1;
        }

        /* Every name in the clauses must reach the region function (the
         * directive's own words and a critical's name are no variables). */
        unsigned p = clause_words(o);
        for (;;) {
            struct tr_tok t = tr_lex(cx->text, o->dir.end, &p);
            if (t.kind == TR_TK_EOF)
                break;
            if (t.kind != TR_TK_IDENT)
                continue;
            char *name = tr_strndup(cx->text + t.off, t.len);
            region_var(cx, c, fi, g, name, o->dir.off, 1);
            free(name);
        }
    }
    /* A lastprivate value goes back to the region's variable, which the
     * region function must reach by pointer (region_edits). */
    int bad = 0;
    for (int i = 0; i < cx->ncons; i++) {
        struct tr_construct *o = &cx->cons[i];
        if (!inside(c, o) || o->id < 0 ||
            (o->dir.kind != TR_K_FOR && o->dir.kind != TR_K_SECTIONS))
            continue;
        for (int j = 0; j < o->dir.nvars; j++) {
            struct tr_clause_var *cv = &o->dir.vars[j];
            if (cv->dsa != TR_DSA_LASTPRIVATE)
                continue;
            struct tr_var *v =
                region_var(cx, c, fi, g, cv->name, o->dir.off, 1);
            if (!v || v->clause)
                continue;
            if (v->region_priv) {
                tr_error(cx, cv->off,
                         "lastprivate of '%s', which the enclosing parallel "
                         "region shares but which is a loop variable or "
                         "private in another construct of the region; this "
                         "is not supported yet: declare the loop variable "
                         "in the loop and copy it to '%s' in the body",
                         cv->name, cv->name);
                bad = 1;
                continue;
            }
            v->written = 1;
        }
    }
    return bad ? -1 : 0;
}

static void add_xedit(struct tr_construct *c, unsigned off, unsigned len,
                      char *text) {
    c->xed = tr_xrealloc(c->xed, (size_t)(c->nxed + 1) * sizeof *c->xed);
    c->xed[c->nxed++] = (struct tr_xedit){off, len, text};
}

/* Whether cv is a firstprivate item merged into a lastprivate one of the
 * same name (directive.c leaves it with no data-sharing class). */
static int is_merged_first(const struct tr_construct *o,
                           const struct tr_clause_var *cv) {
    for (int k = 0; k < o->dir.nvars; k++)
        if (o->dir.vars[k].dsa == TR_DSA_LASTPRIVATE &&
            o->dir.vars[k].also_first &&
            strcmp(o->dir.vars[k].name, cv->name) == 0)
            return 1;
    return 0;
}

/* H18: the clause of a nested task or taskloop o that makes the variable
 * name private or firstprivate, or NULL. */
static const struct tr_clause_var *task_priv(const struct tr_construct *o,
                                             const char *name) {
    if (o->dir.kind != TR_K_TASK && o->dir.kind != TR_K_TASKLOOP)
        return NULL;
    for (int k = 0; k < o->dir.nvars; k++)
        if ((o->dir.vars[k].dsa == TR_DSA_PRIVATE ||
             o->dir.vars[k].dsa == TR_DSA_FIRSTPRIVATE) &&
            strcmp(o->dir.vars[k].name, name) == 0)
            return &o->dir.vars[k];
    return NULL;
}

/* H18: a task or taskloop nested in c that privatises a variable c reaches
 * by pointer (`task firstprivate(x)`, x shared by the region) gets the
 * copy it names in a block around it, `{ T x; memcpy(&x, __weft_p_x); ...
 * }`, made when the task is created; the task's own text keeps the plain
 * name. Returns how many (name, range) pairs it recorded in *w (ranges
 * inside which that name is the copy, not the region's pointer). */
struct tcopy {
    const char *name;
    unsigned b, e; /* the construct, pragma through statement */
    unsigned pe;   /* end of its pragma */
};

static int task_copies(struct tr_ctx *cx, struct tr_construct *c,
                       struct tcopy **w) {
    int n = 0;
    *w = NULL;
    for (int i = 0; i < cx->ncons; i++) {
        struct tr_construct *o = &cx->cons[i];
        if (!inside(c, o) || o->id < 0)
            continue;
        for (int k = 0; k < c->nvars; k++) {
            struct tr_var *v = &c->vars[k];
            const struct tr_clause_var *cv = task_priv(o, v->name);
            if (v->cls != TR_V_PTR || !cv)
                continue;
            int outer = 0; /* a task around o already copies it */
            for (int j = 0; j < cx->ncons; j++) {
                struct tr_construct *o2 = &cx->cons[j];
                if (o2 != o && inside(c, o2) && o2->id >= 0 &&
                    o->dir.off > o2->dir.off && o->dir.off < o2->replace_end &&
                    task_priv(o2, v->name))
                    outer = 1;
            }
            if (outer)
                continue;
            struct tr_buf b = {0};
            tr_buf_printf(&b, "{ __typeof__(%s) %s; ", v->type, v->name);
            if (cv->dsa == TR_DSA_FIRSTPRIVATE)
                tr_buf_printf(&b,
                              "__builtin_memcpy((void *)&%s, (const void *)"
                              "__weft_p_%s, sizeof %s);",
                              v->name, v->name, v->name);
            tr_buf_add_line(cx, &b, o->dir.off, 1);
            add_xedit(c, o->dir.off, 0, b.s);
            add_xedit(c, o->replace_end, 0, tr_strdup(" }"));
            int m = 0;
            for (int r = 0; r < v->nrefs; r++)
                if (v->refs[r] < o->dir.off || v->refs[r] >= o->replace_end)
                    v->refs[m++] = v->refs[r];
            v->nrefs = m;
            *w = tr_xrealloc(*w, (size_t)(n + 1) * sizeof **w);
            (*w)[n++] = (struct tcopy){v->name, o->dir.off, o->replace_end,
                                       o->dir.end};
        }
    }
    return n;
}

/* Rewrites the names of by-pointer region variables in the pragma text of
 * nested constructs: the region function reaches them as __weft_p_<name>. */
static int region_edits(struct tr_ctx *cx, struct tr_construct *c) {
    int bad = 0;
    struct tcopy *tcw;
    int ntc = task_copies(cx, c, &tcw);
    for (int i = 0; i < cx->ncons; i++) {
        struct tr_construct *o = &cx->cons[i];
        if (!inside(c, o) || o->id < 0)
            continue;
        unsigned p = clause_words(o);
        for (;;) {
            struct tr_tok t = tr_lex(cx->text, o->dir.end, &p);
            if (t.kind == TR_TK_EOF)
                break;
            if (t.kind != TR_TK_IDENT)
                continue;
            struct tr_var *v = NULL;
            for (int k = 0; k < c->nvars; k++)
                if (strlen(c->vars[k].name) == t.len &&
                    strncmp(c->vars[k].name, cx->text + t.off, t.len) == 0)
                    v = &c->vars[k];
            if (!v || v->cls != TR_V_PTR)
                continue;
            struct tr_clause_var *cv = NULL;
            for (int k = 0; k < o->dir.nvars; k++)
                if (o->dir.vars[k].off == t.off)
                    cv = &o->dir.vars[k];
            /* Inside a task that copies v (task_copies), the name is the
             * copy, except in the task's own pragma, whose expressions
             * (depend items, if, final) belong to the creating context. */
            int copied = 0;
            for (int k = 0; k < ntc; k++)
                if (strcmp(tcw[k].name, v->name) == 0 && t.off >= tcw[k].b &&
                    t.off < tcw[k].e &&
                    (t.off >= tcw[k].pe ||
                     (cv && (cv->dsa == TR_DSA_PRIVATE ||
                             cv->dsa == TR_DSA_FIRSTPRIVATE))))
                    copied = 1;
            if (copied)
                continue;
            struct tr_buf b = {0};
            if (!cv) {
                tr_buf_printf(&b, "(*__weft_p_%s)", v->name);
            } else if (cv->dsa == TR_DSA_REDUCTION && !cv->sec_lo &&
                       !v->is_array) {
                tr_buf_printf(&b, "__weft_p_%s[0:1]", v->name);
            } else if (cv->dsa == TR_DSA_SHARED) {
                tr_buf_printf(&b, "__weft_p_%s", v->name);
            } else if ((o->dir.kind == TR_K_FOR ||
                        o->dir.kind == TR_K_SECTIONS) &&
                       (cv->dsa == TR_DSA_LASTPRIVATE ||
                        (cv->dsa == TR_DSA_NONE && is_merged_first(o, cv)))) {
                /* The inner construct's private copy is written back
                 * through the region's pointer (outline.c), so the value
                 * reaches the variable the region shares. */
                tr_buf_printf(&b, "__weft_p_%s[0:1]", v->name);
            } else {
                tr_error(cx, t.off,
                         "'%s' is shared in the enclosing construct "
                         "and named in '%s' here; this combination is not "
                         "supported yet: make it private in the region or "
                         "use a local variable",
                         v->name, tr_kind_name(o->dir.kind));
                bad = 1;
                continue;
            }
            add_xedit(c, t.off, t.len, b.s);
        }
    }
    free(tcw);
    return bad ? -1 : 0;
}

static int analyze_one(struct tr_ctx *cx, struct tr_construct *c,
                       struct globals *g) {
    struct tr_directive *d = &c->dir;
    struct fninfo fi = {0};
    fi.cx = cx;
    unsigned fb, fe;
    tr_cursor_range(c->func, &fb, &fe);
    fn_walk(&fi, c->func, fe);
    int rc = -1;
    unsigned body_b = 0, body_e = 0; /* text the chunk or region copies */
    if (d->kind == TR_K_PARALLEL || d->kind == TR_K_TASK) {
        /* H12: a region's body is the statement after the pragma. */
        if (region_walk(cx, c))
            goto out;
        body_b = c->body_off;
        body_e = c->body_end;
        goto clauses;
    }

    /* The loop: the first for statement after the pragma. */
    int best = -1;
    unsigned best_off = 0;
    for (int i = 0; i < fi.nfors; i++) {
        unsigned o = tr_cursor_off(fi.fors[i]);
        unsigned b, e;
        tr_cursor_range(fi.fors[i], &b, &e);
        if (b >= d->off && (best < 0 || b < best_off)) {
            best = i;
            best_off = b;
        }
        (void)o;
    }
    unsigned p = d->end;
    struct tr_tok next = tr_lex(cx->text, cx->size, &p);
    /* Loop hints between the directive and its loop (`#pragma GCC ivdep`,
     * `#pragma unroll`) move with the loop into the chunk function. */
    while (tr_tok_is(cx->text, next, "#")) {
        unsigned q = p, e = next.off;
        struct tr_tok w = tr_lex(cx->text, cx->size, &q);
        if (!tr_tok_is(cx->text, w, "pragma"))
            break;
        while (e < cx->size &&
               !(cx->text[e] == '\n' && cx->text[e - 1] != '\\'))
            e++;
        struct tr_buf h = {0};
        if (c->hints)
            tr_buf_add(&h, c->hints);
        tr_buf_add(&h, "\n");
        tr_buf_addn(&h, cx->text + next.off, e - next.off);
        free(c->hints);
        c->hints = h.s;
        p = e;
        next = tr_lex(cx->text, cx->size, &p);
    }
    const char *sp = d->is_weft ? "weft" : "omp";
    if (best < 0 || best_off != next.off || best_off < d->end) {
        if (best >= 0 && best_off < d->end)
            tr_error(cx, d->off,
                     "a macro that expands to both the pragma and its loop "
                     "is not supported yet; keep the 'for' outside the "
                     "macro");
        else
            tr_error(cx, d->off,
                     "'#pragma %s %s' must be followed by a for loop", sp,
                     tr_kind_name(d->kind));
        goto out;
    }
    CXCursor f = fi.fors[best];
    for (int j = 0; j < d->collapse; j++) {
        struct tr_loop *lp = &c->loops[c->nloops];
        if (parse_header(cx, f, lp))
            goto out;
        c->nloops++;
        if (j + 1 == d->collapse)
            break;
        /* The next loop must be the whole body (perhaps inside braces). */
        CXCursor *kids;
        int nk = tr_children(f, &kids);
        CXCursor body = kids[nk - 1];
        free(kids);
        while (clang_getCursorKind(body) == CXCursor_CompoundStmt) {
            nk = tr_children(body, &kids);
            if (nk != 1) {
                free(kids);
                break;
            }
            body = kids[0];
            free(kids);
        }
        if (clang_getCursorKind(body) != CXCursor_ForStmt) {
            tr_error(cx, lp->body_off,
                     "collapse(%d) needs %d perfectly nested loops; the body "
                     "of this loop must be just the next for loop",
                     d->collapse, d->collapse);
            goto out;
        }
        f = body;
    }
    c->replace_off = d->off;
    c->replace_end = c->loops[0].end;
    /* Rectangular nests only: inner bounds must not use outer variables. */
    for (int j = 1; j < c->nloops; j++)
        for (int i = 0; i < j; i++) {
            struct tr_loop *in = &c->loops[j];
            const char *ov = c->loops[i].var;
            if (mentions(in->lb, ov) || mentions(in->ub, ov) ||
                mentions(in->step, ov)) {
                tr_error(cx, in->for_off,
                         "collapse(%d) needs a rectangular loop nest; the "
                         "bounds of this loop use the outer loop variable "
                         "'%s'",
                         d->collapse, ov);
                goto out;
            }
            if (strcmp(in->var, ov) == 0) {
                tr_error(cx, in->for_off,
                         "collapsed loops must use "
                         "different loop variables");
                goto out;
            }
        }

    /* The body. */
    struct tr_loop *inner = &c->loops[c->nloops - 1];
    struct walk w = {0};
    w.cx = cx;
    w.c = c;
    w.body_off = inner->body_off;
    w.body_end = inner->body_end;
    {
        /* Walk the innermost ForStmt's body child only. */
        CXCursor *kids;
        int nk = tr_children(inner->stmt, &kids);
        w.stack[w.depth++] = inner->stmt;
        walk_body(&w, kids[nk - 1]);
        free(kids);
    }
    if (w.bad)
        goto out;
    body_b = inner->body_off;
    body_e = inner->body_end;

clauses:;
    /* Clause variables. */
    int bad = 0;
    for (int i = 0; i < d->nvars; i++) {
        struct tr_clause_var *cv = &d->vars[i];
        if (cv->dsa == TR_DSA_NONE || cv->dsa == TR_DSA_COPYPRIVATE)
            continue;
        int is_lv = -1;
        for (int j = 0; j < c->nloops; j++)
            if (strcmp(cv->name, c->loops[j].var) == 0)
                is_lv = j;
        if (is_lv >= 0) {
            if (cv->dsa == TR_DSA_REDUCTION || cv->dsa == TR_DSA_FIRSTPRIVATE ||
                cv->dsa == TR_DSA_SHARED) {
                tr_error(cx, cv->off,
                         "loop variable '%s' cannot be %s; it is private "
                         "to each iteration (lastprivate is allowed)",
                         cv->name,
                         cv->dsa == TR_DSA_REDUCTION ? "a reduction variable"
                         : cv->dsa == TR_DSA_SHARED  ? "shared"
                                                     : "firstprivate");
                bad = 1;
            } else if (cv->dsa == TR_DSA_LASTPRIVATE) {
                if (c->loops[is_lv].declared_in_init) {
                    tr_error(cx, cv->off,
                             "lastprivate of loop variable '%s', which is "
                             "declared in the loop; declare it before the "
                             "loop to see its final value",
                             cv->name);
                    bad = 1;
                } else {
                    c->lastpriv_loopvar = 1;
                    struct tr_var *v = add_tvar(c, c->loops[is_lv].var_decl);
                    v->clause = cv;
                    v->cls = TR_V_LASTPRIVATE;
                }
            }
            cv->resolved = 1;
            continue;
        }
        if (!lookup(&fi, g, cv->name, d->off, &cv->decl)) {
            tr_error(cx, cv->off,
                     "'%s' in '%s' clause is not a variable visible here; "
                     "name a variable declared before the pragma",
                     cv->name,
                     cv->dsa == TR_DSA_REDUCTION      ? "reduction"
                     : cv->dsa == TR_DSA_PRIVATE      ? "private"
                     : cv->dsa == TR_DSA_FIRSTPRIVATE ? "firstprivate"
                     : cv->dsa == TR_DSA_LASTPRIVATE  ? "lastprivate"
                                                      : "shared");
            bad = 1;
            continue;
        }
        cv->resolved = 1;
        if (cv->dsa == TR_DSA_REDUCTION && check_reduction(cx, cv))
            bad = 1;
        struct tr_var *v = add_tvar(c, cv->decl);
        v->clause = cv;
        /* H19: a worksharing loop's reduction and lastprivate items must
         * be shared by the team it binds to; a local of the function
         * (here: one declared in a region, private in the region, or of a
         * function whose team is the caller's) is private to each thread,
         * and gcc and clang refuse it. The region pass hands shared
         * variables on as __weft_p_x[0:1]. */
        if (d->kind == TR_K_FOR &&
            (cv->dsa == TR_DSA_REDUCTION || cv->dsa == TR_DSA_LASTPRIVATE) &&
            v->is_local && !v->is_static &&
            strncmp(cv->name, "__weft_p_", 9) != 0) {
            tr_error(cx, cv->off,
                     "%s variable '%s' is private to each thread here (a "
                     "local variable of this function, or private in the "
                     "enclosing parallel region); the team's threads must "
                     "share it: declare it before the parallel region "
                     "(and do not privatise it there) or make it static",
                     cv->dsa == TR_DSA_REDUCTION ? "reduction" : "lastprivate",
                     cv->name);
            bad = 1;
        }
    }
    if (bad)
        goto out;
    /* H12: what the constructs nested in a region name. H26: a loop's
     * body is outlined like a region's, so the constructs nested in it
     * (a parallel region or loop, a task) are handled the same way. */
    if (region_inner(cx, c, &fi, g))
        goto out;

    /* default(none): every variable the body names must be listed. */
    if (d->default_none) {
        for (int i = 0; i < c->nvars; i++) {
            struct tr_var *v = &c->vars[i];
            /* H19: a region-private variable is an inner loop's variable
             * or private in an inner construct: predetermined there. */
            if (!v->clause && v->referenced && !v->region_priv &&
                !is_threadprivate(cx, v)) {
                tr_error(cx, v->nrefs ? v->refs[0] : d->off,
                         "variable '%s' is not listed in a data-sharing "
                         "clause and the loop has default(none); add it to "
                         "shared(...), firstprivate(...) or another clause",
                         v->name);
                bad = 1;
            }
        }
        if (bad)
            goto out;
    }

    /* Classes. */
    for (int i = 0; i < c->nvars; i++) {
        struct tr_var *v = &c->vars[i];
        enum tr_dsa k = v->clause ? v->clause->dsa : TR_DSA_SHARED;
        if (v->cls == TR_V_LASTPRIVATE)
            continue;
        if (v->region_priv && !v->clause)
            k = v->region_priv == 2 ? TR_DSA_FIRSTPRIVATE : TR_DSA_PRIVATE;
        /* H30: each thread has its own copy of a threadprivate static
         * local, but the outlined function cannot name a block-scope
         * variable, and its address (the encountering thread's copy) is
         * not the other threads' copy: refuse rather than share it. */
        if (v->is_local && v->is_static && is_threadprivate(cx, v)) {
            tr_error(cx, v->nrefs ? v->refs[0] : d->off,
                     "threadprivate variable '%s' is declared in a function; "
                     "a parallel construct cannot use it yet: declare it "
                     "at file scope (static, with its threadprivate "
                     "directive there)",
                     v->name);
            bad = 1;
            continue;
        }
        switch (k) {
        case TR_DSA_PRIVATE:
            v->cls = TR_V_PRIVATE;
            break;
        case TR_DSA_FIRSTPRIVATE:
            v->cls = TR_V_FIRSTPRIVATE;
            break;
        case TR_DSA_LASTPRIVATE:
            v->cls = TR_V_LASTPRIVATE;
            break;
        case TR_DSA_REDUCTION:
            v->cls = TR_V_REDUCTION;
            c->has_reduction = 1;
            break;
        default:
            if ((d->kind == TR_K_TASK || d->kind == TR_K_TASKLOOP) &&
                v->is_local && !v->is_static && !v->clause &&
                strcmp(c->func_name, "main") != 0) {
                /* H12: a task's locals are firstprivate by default (they
                 * are private to the implicit task that creates it). */
                v->cls = TR_V_FIRSTPRIVATE;
                break;
            }
            if (!v->is_local)
                v->cls = TR_V_GLOBAL;
            else if (v->is_static || v->is_array || v->is_record ||
                     v->is_volatile || v->written || v->addr_taken ||
                     d->kind == TR_K_TASK)
                /* H18: a task may run long after it is created (after
                 * its dependences), so a shared variable it only reads
                 * is read through its address, never copied at creation. */
                v->cls = TR_V_PTR;
            else
                v->cls = TR_V_COPY;
            break;
        }
        if ((v->cls == TR_V_PRIVATE || v->cls == TR_V_FIRSTPRIVATE ||
             v->cls == TR_V_LASTPRIVATE || v->cls == TR_V_COPY ||
             v->cls == TR_V_PTR) &&
            (strstr(v->type, "(unnamed") || strstr(v->type, "(anonymous"))) {
            tr_error(cx, v->nrefs ? v->refs[0] : d->off,
                     "variable '%s' has an unnamed struct, union or enum "
                     "type; give the type a tag or a typedef name so the "
                     "parallel loop can name it",
                     v->name);
            bad = 1;
        }
    }
    if (bad)
        goto out;
    if (region_edits(cx, c))
        goto out;

    /* Local type declarations before the pragma that the chunk needs: a
     * name they declare appears in the body, in a captured type, in a
     * loop variable's type or in another needed declaration. */
    {
        struct tr_buf ids = {0};
        tr_buf_add(&ids, " ");
        add_idents(&ids, cx->text, body_b, body_e);
        for (int i = 0; i < c->nvars; i++)
            add_idents(&ids, c->vars[i].type, 0,
                       (unsigned)strlen(c->vars[i].type));
        for (int j = 0; j < c->nloops; j++)
            add_idents(&ids, c->loops[j].type, 0,
                       (unsigned)strlen(c->loops[j].type));
        int *need = tr_xcalloc((size_t)fi.ntypes + 1, sizeof *need);
        for (int i = fi.ntypes - 1; i >= 0; i--) {
            if (fi.types[i].end > d->off)
                continue;
            unsigned q = 0, n = (unsigned)strlen(fi.types[i].names);
            for (;;) {
                struct tr_tok k = tr_lex(fi.types[i].names, n, &q);
                if (k.kind == TR_TK_EOF)
                    break;
                char key[256];
                snprintf(key, sizeof key, " %.*s ", (int)k.len,
                         fi.types[i].names + k.off);
                if (strstr(ids.s, key))
                    need[i] = 1;
            }
            if (need[i])
                add_idents(&ids, cx->text, fi.types[i].off, fi.types[i].end);
        }
        for (int i = 0; i < fi.ntypes; i++) {
            if (!need[i])
                continue;
            c->types = tr_xrealloc(c->types,
                                   (size_t)(c->ntypes + 1) * sizeof *c->types);
            c->types[c->ntypes] = fi.types[i];
            c->types[c->ntypes++].names = NULL;
        }
        free(need);
        tr_buf_free(&ids);
    }

    /* VLA sizes: locals named in captured types or in the local type
     * declarations copied into the chunk function are captured first, by
     * value, so those types can be spelled there. */
    int nv = c->nvars;
    for (int i = 0; i < nv + c->ntypes; i++) {
        char *text;
        if (i < nv) {
            struct tr_var *v = &c->vars[i];
            if (v->cls == TR_V_GLOBAL || v->cls == TR_V_REDUCTION)
                continue;
            text = tr_strdup(v->type);
        } else {
            text = tr_text(cx, c->types[i - nv].off, c->types[i - nv].end);
        }
        unsigned q = 0, n = (unsigned)strlen(text);
        for (;;) {
            struct tr_tok k = tr_lex(text, n, &q);
            if (k.kind == TR_TK_EOF)
                break;
            if (k.kind != TR_TK_IDENT)
                continue;
            char *id = tr_strndup(text + k.off, k.len);
            CXCursor dc;
            int loc = 0;
            for (int j = 0; j < fi.nlocals; j++)
                if (strcmp(fi.locals[j].name, id) == 0)
                    loc = 1;
            if (loc && lookup(&fi, g, id, d->off, &dc) && !is_loop_var(c, dc)) {
                struct tr_var *sv = add_tvar(c, dc);
                sv->is_vla_size = 1;
                if (!sv->clause && !sv->referenced)
                    sv->cls = TR_V_COPY;
            }
            free(id);
        }
        free(text);
    }
    rc = 0;
out:
    for (int i = 0; i < fi.nlocals; i++)
        free(fi.locals[i].name);
    free(fi.locals);
    free(fi.fors);
    for (int i = 0; i < fi.ntypes; i++)
        free(fi.types[i].names);
    free(fi.types);
    return rc;
}

struct funcs {
    struct tr_ctx *cx;
    CXCursor *v;
    int n;
};

static enum CXChildVisitResult func_visit(CXCursor c, CXCursor parent,
                                          CXClientData data) {
    struct funcs *fs = data;
    struct tr_ctx *cx = fs->cx;
    (void)parent;
    if (clang_getCursorKind(c) == CXCursor_MacroExpansion &&
        tr_in_main(cx, c)) {
        cx->mexp =
            tr_xrealloc(cx->mexp, (size_t)(cx->nmexp + 1) * sizeof *cx->mexp);
        cx->mexp[cx->nmexp++] = tr_cursor_off(c);
    }
    if (clang_getCursorKind(c) == CXCursor_MacroDefinition &&
        tr_in_main(cx, c)) {
        /* The whole `#define` line, from its start to its newline. */
        unsigned b, e;
        tr_cursor_range(c, &b, &e);
        while (b > 0 && cx->text[b - 1] != '\n')
            b--;
        while (e < cx->size &&
               !(cx->text[e] == '\n' && cx->text[e - 1] != '\\'))
            e++;
        cx->macros = tr_xrealloc(cx->macros, (size_t)(cx->nmacros + 1) *
                                                 sizeof *cx->macros);
        cx->macros[cx->nmacros].off = b;
        cx->macros[cx->nmacros].end = e;
        cx->nmacros++;
    }
    if (clang_getCursorKind(c) == CXCursor_FunctionDecl &&
        clang_isCursorDefinition(c) && tr_in_main(fs->cx, c)) {
        fs->v = tr_xrealloc(fs->v, (size_t)(fs->n + 1) * sizeof *fs->v);
        fs->v[fs->n++] = c;
    }
    return CXChildVisit_Continue;
}

int tr_analyze(struct tr_ctx *cx) {
    struct funcs fs = {cx, NULL, 0};
    CXCursor tu = clang_getTranslationUnitCursor(cx->tu);
    clang_visitChildren(tu, func_visit, &fs);
    struct globals g = {0};
    clang_visitChildren(tu, glob_visit, &g);

    /* main(): WEFT_main_enter goes just after its opening brace. */
    for (int i = 0; i < fs.n; i++) {
        char *name = tr_cxstr(clang_getCursorSpelling(fs.v[i]));
        if (strcmp(name, "main") == 0) {
            CXCursor *kids;
            int n = tr_children(fs.v[i], &kids);
            if (n &&
                clang_getCursorKind(kids[n - 1]) == CXCursor_CompoundStmt) {
                unsigned b, e;
                tr_cursor_range(kids[n - 1], &b, &e);
                if (b < cx->size && cx->text[b] == '{') {
                    cx->has_main = 1;
                    cx->main_body_off = b + 1;
                }
            }
            free(kids);
        }
        free(name);
    }

    int rc = 0;
    /* H12: every construct's function and range first, so that each pass
     * lowers the outermost constructs only and leaves the nested ones (as
     * pragma text in the outlined functions) to the next pass. */
    int *deferred = tr_xcalloc((size_t)cx->ncons + 1, sizeof *deferred);
    for (int i = 0; i < cx->ncons; i++) {
        struct tr_construct *c = &cx->cons[i];
        if (c->id < 0) {
            rc = -1;
            continue;
        }
        int found = 0;
        for (int j = 0; j < fs.n; j++) {
            unsigned b, e;
            tr_cursor_range(fs.v[j], &b, &e);
            if (c->dir.off > b && c->dir.off < e) {
                c->func = fs.v[j];
                c->func_line_off = b;
                found = 1;
            }
        }
        if (!found && (c->dir.kind == TR_K_THREADPRIVATE ||
                       c->dir.kind == TR_K_DECLARE_SIMD)) {
            c->replace_off = c->dir.off;
            c->replace_end = c->dir.end;
            continue;
        }
        if (!found) {
            if (c->dir.kind == TR_K_PARALLEL_FOR)
                tr_error(cx, c->dir.off,
                         "'#pragma %s parallel for' outside a function body; "
                         "put the loop inside a function",
                         c->dir.is_weft ? "weft" : "omp");
            else
                tr_error(cx, c->dir.off,
                         "'#pragma %s %s' outside a function body; put it "
                         "inside a function",
                         c->dir.is_weft ? "weft" : "omp",
                         tr_kind_name(c->dir.kind));
            c->id = -1;
            rc = -1;
            continue;
        }
        c->func_name = tr_cxstr(clang_getCursorSpelling(c->func));
        c->user_func = tr_user_func(cx, c->func_name);
        /* H19: copyin needs the region's start, which `parallel for`
         * lowering has not: sync.c splits it into parallel + for. */
        if (c->dir.kind == TR_K_PARALLEL_FOR && (c->dir.seen & TR_CL_COPYIN) &&
            !c->dir.cluster && !c->dir.nmaps)
            c->dir.kind = TR_K_PARALLEL_FOR_COPYIN;
        if (tr_check_clauses(cx, c) || tr_assoc_stmt(cx, c)) {
            c->id = -1;
            rc = -1;
        }
    }
    for (int i = 0; i < cx->ncons; i++) {
        struct tr_construct *c = &cx->cons[i];
        for (int j = 0; j < i; j++) {
            struct tr_construct *e = &cx->cons[j];
            if (!deferred[j] && e->id >= 0 && c->dir.off > e->replace_off &&
                c->dir.off < e->replace_end)
                deferred[i] = 1;
        }
    }
    /* H26: cancel placement, on the user's text (pass 0), where every
     * construct around it is still a construct; later passes find it in
     * an outlined function and only remove it (sync.c). */
    for (int i = 0; cx->pass == 0 && i < cx->ncons; i++) {
        struct tr_construct *c = &cx->cons[i];
        if (c->id >= 0 && (c->dir.kind == TR_K_CANCEL ||
                           c->dir.kind == TR_K_CANCELLATION_POINT) &&
            tr_check_cancel(cx, c))
            rc = -1;
    }
    for (int i = 0; i < cx->ncons; i++) {
        struct tr_construct *c = &cx->cons[i];
        if (c->id < 0 || deferred[i])
            continue;
        if (tr_check_nesting(cx, c))
            rc = -1;
        if (!tr_kind_outlined(c->dir.kind))
            continue;
        if (analyze_one(cx, c, &g))
            rc = -1;
        else if ((c->dir.cluster || c->dir.nmaps) && tr_cluster_analyze(cx, c))
            rc = -1;
        if (c->recursive) {
            /* The declaration part of the definition, up to its body. */
            CXCursor *kids;
            int n = tr_children(c->func, &kids);
            unsigned bb, be;
            tr_cursor_range(kids[n - 1], &bb, &be);
            free(kids);
            while (bb > c->func_line_off &&
                   (cx->text[bb - 1] == ' ' || cx->text[bb - 1] == '\n' ||
                    cx->text[bb - 1] == '\t' || cx->text[bb - 1] == '\r'))
                bb--;
            c->proto = tr_text(cx, c->func_line_off, bb);
        }
    }
    /* Lowered constructs first, in source order; the deferred ones after
     * them (still read by the region outliner), outside cx->ncons. */
    if (rc == 0 && !cx->ndiags && cx->ncons > 0) {
        struct tr_construct *tmp =
            tr_xcalloc((size_t)cx->ncons + 1, sizeof *tmp);
        int k = 0, nd = 0;
        for (int i = 0; i < cx->ncons; i++)
            if (!deferred[i])
                tmp[k++] = cx->cons[i];
        for (int i = 0; i < cx->ncons; i++)
            if (deferred[i]) {
                tmp[k++] = cx->cons[i];
                nd++;
            }
        memcpy(cx->cons, tmp, (size_t)cx->ncons * sizeof *tmp);
        free(tmp);
        cx->ncons -= nd;
        cx->ndeferred = nd;
    }
    free(deferred);
    free(fs.v);
    free(g.v);
    return rc || cx->ndiags ? -1 : 0;
}
