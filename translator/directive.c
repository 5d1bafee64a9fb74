/* This file handles the find-directives pass: it finds every
 * `#pragma omp|weft ...` line of the main file (outside #if-skipped
 * regions), every `_Pragma("omp ...")` written in the file or brought in by
 * a macro expansion, and parses the clauses of `parallel for` into struct
 * tr_directive. Any other OpenMP directive, unknown or malformed clause, or
 * weft extension not implemented yet is an error at its file:line:col. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tr.h"
#include "weft/abi.h"

/* Source of one directive's text: either a slice of the main file (clause
 * offsets map to it directly) or a string rebuilt from a _Pragma literal
 * (clause errors then point at the directive). */
struct dsrc {
    const char *s;
    unsigned n;
    unsigned base; /* main-file offset of s[0], when mapped */
    int mapped;
    unsigned dir_off;
};

static unsigned map_off(const struct dsrc *d, unsigned i) {
    return d->mapped ? d->base + i : d->dir_off;
}

/* map_off for cluster.c, which sees the source only as `const void *`. */
static unsigned dsrc_off(const void *d, unsigned i) { return map_off(d, i); }

static const char *const clause_names =
    "schedule, reduction, private, firstprivate, lastprivate, shared, "
    "default, collapse, num_threads, if, nowait, proc_bind";

static char *tok_str(const struct dsrc *d, struct tr_tok t) {
    return tr_strndup(d->s + t.off, t.len);
}

/* Trims white space (and backslash-newlines) from both ends of s[b..e). */
static char *trimmed(const struct dsrc *d, unsigned b, unsigned e) {
    while (b < e && (d->s[b] == ' ' || d->s[b] == '\t' || d->s[b] == '\n' ||
                     d->s[b] == '\r' || d->s[b] == '\\'))
        b++;
    while (e > b &&
           (d->s[e - 1] == ' ' || d->s[e - 1] == '\t' || d->s[e - 1] == '\n' ||
            d->s[e - 1] == '\r' || d->s[e - 1] == '\\'))
        e--;
    /* Joined continuation lines become one line of generated code. */
    char *r = tr_strndup(d->s + b, e - b);
    for (char *p = r; *p; p++)
        if (*p == '\\' && (p[1] == '\n' || p[1] == '\r'))
            p[0] = ' ';
    for (char *p = r; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    return r;
}

/* Finds the `)` closing the `(` just before *pos; returns its offset or
 * d->n when unbalanced. Commas at depth 0 are reported through cb. */
static unsigned match_paren(const struct dsrc *d, unsigned pos) {
    int depth = 1;
    unsigned p = pos;
    for (;;) {
        struct tr_tok t = tr_lex(d->s, d->n, &p);
        if (t.kind == TR_TK_EOF)
            return d->n;
        if (t.kind == TR_TK_PUNCT && t.len == 1) {
            char ch = d->s[t.off];
            if (ch == '(' || ch == '[' || ch == '{')
                depth++;
            else if (ch == ')' || ch == ']' || ch == '}')
                if (--depth == 0)
                    return t.off;
        }
    }
}

/* The argument list of the clause `name` whose name ends at *p: when a `(`
 * follows, sets [*ab, *ae) to the text inside the parentheses, moves *p
 * past the `)` and returns 1; returns 0 when the clause has no arguments,
 * and -1 (after the error) when the `)` is missing. */
static int clause_args(struct tr_ctx *cx, const struct dsrc *d,
                       const char *name, unsigned *p, unsigned *ab,
                       unsigned *ae) {
    unsigned q = *p;
    struct tr_tok o = tr_lex(d->s, d->n, &q);
    if (!tr_tok_is(d->s, o, "("))
        return 0;
    *ab = q;
    *ae = match_paren(d, q);
    if (*ae >= d->n) {
        tr_error(cx, map_off(d, o.off),
                 "missing ')' after the arguments of '%s'", name);
        return -1;
    }
    *p = *ae + 1;
    return 1;
}

/* Offset of the first top-level `ch` in s[b..e), or e. */
static unsigned find_top(const struct dsrc *d, unsigned b, unsigned e,
                         char ch) {
    int depth = 0;
    unsigned p = b;
    for (;;) {
        struct tr_tok t = tr_lex(d->s, e, &p);
        if (t.kind == TR_TK_EOF)
            return e;
        if (t.kind != TR_TK_PUNCT || t.len != 1)
            continue;
        char c = d->s[t.off];
        if (depth == 0 && c == ch)
            return t.off;
        if (c == '(' || c == '[' || c == '{')
            depth++;
        else if (c == ')' || c == ']' || c == '}')
            depth--;
    }
}

static void add_var(struct tr_directive *dir, struct tr_clause_var v) {
    dir->vars =
        tr_xrealloc(dir->vars, (size_t)(dir->nvars + 1) * sizeof *dir->vars);
    dir->vars[dir->nvars++] = v;
}

static const char *dsa_name(enum tr_dsa k) {
    switch (k) {
    case TR_DSA_SHARED:
        return "shared";
    case TR_DSA_PRIVATE:
        return "private";
    case TR_DSA_FIRSTPRIVATE:
        return "firstprivate";
    case TR_DSA_LASTPRIVATE:
        return "lastprivate";
    case TR_DSA_REDUCTION:
        return "reduction";
    case TR_DSA_COPYIN:
        return "copyin";
    case TR_DSA_COPYPRIVATE:
        return "copyprivate";
    default:
        return "?";
    }
}

/* Parses a list `a, b[lo:len], c` in s[b..e) for clause kind k. */
static int parse_list(struct tr_ctx *cx, const struct dsrc *d,
                      struct tr_directive *dir, unsigned b, unsigned e,
                      enum tr_dsa k, enum tr_red_op op, const char *cl) {
    unsigned p = b;
    int n = 0;
    for (;;) {
        struct tr_tok t = tr_lex(d->s, e, &p);
        if (t.kind != TR_TK_IDENT) {
            tr_error(cx, map_off(d, t.kind == TR_TK_EOF ? e : t.off),
                     "expected a variable name in '%s' clause; write "
                     "%s(name, ...)",
                     cl, cl);
            return -1;
        }
        struct tr_clause_var v = {0};
        v.name = tok_str(d, t);
        v.off = map_off(d, t.off);
        v.dsa = k;
        v.op = op;
        unsigned q = p;
        struct tr_tok nx = tr_lex(d->s, e, &q);
        if (tr_tok_is(d->s, nx, "[")) {
            /* The region pass (analyze.c, region_edits) writes
             * lastprivate(__weft_p_x[0:1]) (and firstprivate of the same
             * item) for a variable that the region shares: the item is
             * the one object the pointer points to. */
            int via_ptr =
                (k == TR_DSA_LASTPRIVATE || k == TR_DSA_FIRSTPRIVATE) &&
                strncmp(v.name, "__weft_p_", 9) == 0;
            if (k != TR_DSA_REDUCTION && !via_ptr) {
                tr_error(cx, map_off(d, nx.off),
                         "array sections are supported only in "
                         "'reduction'; name the whole variable in '%s'",
                         cl);
                free(v.name);
                return -1;
            }
            unsigned close = match_paren(d, q);
            unsigned colon = find_top(d, q, close, ':');
            if (close >= e || colon >= close) {
                tr_error(cx, map_off(d, nx.off),
                         "malformed array section; write %s[lower:length]",
                         v.name);
                free(v.name);
                return -1;
            }
            char *lo = trimmed(d, q, colon);
            char *len = trimmed(d, colon + 1, close);
            if (!*len) {
                tr_error(cx, map_off(d, nx.off),
                         "array section of '%s' needs a length; write "
                         "%s[lower:length]",
                         v.name, v.name);
                free(lo);
                free(len);
                free(v.name);
                return -1;
            }
            if (!*lo) {
                free(lo);
                lo = tr_strdup("0");
            }
            v.sec_lo = lo;
            v.sec_len = len;
            q = close + 1;
            nx = tr_lex(d->s, e, &q);
        }
        add_var(dir, v);
        n++;
        if (nx.kind == TR_TK_EOF)
            break;
        if (!tr_tok_is(d->s, nx, ",")) {
            tr_error(cx, map_off(d, nx.off),
                     "expected ',' or ')' in '%s' clause", cl);
            return -1;
        }
        p = q;
    }
    return n;
}

static int parse_reduction(struct tr_ctx *cx, const struct dsrc *d,
                           struct tr_directive *dir, unsigned b, unsigned e) {
    unsigned colon = find_top(d, b, e, ':');
    if (colon >= e) {
        tr_error(cx, map_off(d, b),
                 "expected 'operator:' in 'reduction' clause; write "
                 "reduction(+: sum)");
        return -1;
    }
    unsigned p = b;
    struct tr_tok t = tr_lex(d->s, colon, &p);
    struct tr_tok t2 = tr_lex(d->s, colon, &p);
    /* A modifier (`default,`, `inscan,`, `task,`) comes before the op. */
    if (t.kind == TR_TK_IDENT && tr_tok_is(d->s, t2, ",")) {
        if (!tr_tok_is(d->s, t, "default")) {
            char *m = tok_str(d, t);
            tr_error(cx, map_off(d, t.off),
                     "reduction modifier '%s' is not supported yet; remove "
                     "it",
                     m);
            free(m);
            return -1;
        }
        t = tr_lex(d->s, colon, &p);
        t2 = tr_lex(d->s, colon, &p);
    }
    static const struct {
        const char *s;
        enum tr_red_op op;
    } ops[] = {{"+", TR_RED_ADD},   {"*", TR_RED_MUL},  {"-", TR_RED_SUB},
               {"&", TR_RED_AND},   {"|", TR_RED_OR},   {"^", TR_RED_XOR},
               {"&&", TR_RED_LAND}, {"||", TR_RED_LOR}, {"min", TR_RED_MIN},
               {"max", TR_RED_MAX}};
    int found = -1;
    for (unsigned i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (tr_tok_is(d->s, t, ops[i].s))
            found = (int)i;
    /* H27: an identifier that a visible `declare reduction` declares;
     * analyze.c picks the declaration for each variable's type. */
    if (found < 0 && t.kind == TR_TK_IDENT && t2.kind == TR_TK_EOF) {
        char *id = tok_str(d, t);
        if (tr_udr_known(cx, id, map_off(d, t.off))) {
            int first = dir->nvars;
            int n = parse_list(cx, d, dir, colon + 1, e, TR_DSA_REDUCTION,
                               TR_RED_ADD, "reduction");
            for (int i = first; i < dir->nvars; i++)
                dir->vars[i].udr_id = tr_strdup(id);
            free(id);
            return n;
        }
        free(id);
    }
    if (found < 0 || t2.kind != TR_TK_EOF) {
        char *bad = trimmed(d, b, colon);
        tr_error(cx, map_off(d, t.kind == TR_TK_EOF ? b : t.off),
                 "unknown reduction operator '%s'; expected one of + * - & "
                 "| ^ && || min max, or an identifier that a visible "
                 "'declare reduction' declares",
                 bad);
        free(bad);
        return -1;
    }
    /* A built-in id that a visible `declare reduction` also declares
     * (`min` for a struct type): analyze.c keeps the built-in operator for
     * arithmetic types and looks the declaration up for the others. */
    char *bid = tok_str(d, t);
    int udr = tr_udr_known(cx, bid, map_off(d, t.off));
    int first = dir->nvars;
    int n = parse_list(cx, d, dir, colon + 1, e, TR_DSA_REDUCTION,
                       ops[found].op, "reduction");
    for (int i = first; udr && i < dir->nvars; i++)
        dir->vars[i].udr_id = tr_strdup(bid);
    free(bid);
    return n;
}

static int parse_schedule(struct tr_ctx *cx, const struct dsrc *d,
                          struct tr_directive *dir, unsigned b, unsigned e) {
    unsigned colon = find_top(d, b, e, ':');
    unsigned p = b;
    if (colon < e) {
        for (;;) {
            struct tr_tok m = tr_lex(d->s, colon, &p);
            if (m.kind == TR_TK_EOF)
                break;
            if (tr_tok_is(d->s, m, ","))
                continue;
            if (tr_tok_is(d->s, m, "monotonic")) {
                dir->sched_mods |= WEFT_SCHED_MOD_MONOTONIC;
            } else if (tr_tok_is(d->s, m, "nonmonotonic")) {
                dir->sched_mods |= WEFT_SCHED_MOD_NONMONOTONIC;
            } else if (!tr_tok_is(d->s, m, "simd")) {
                char *s = tok_str(d, m);
                tr_error(cx, map_off(d, m.off),
                         "unknown schedule modifier '%s'; expected "
                         "monotonic, nonmonotonic or simd",
                         s);
                free(s);
                return -1;
            }
        }
        if ((dir->sched_mods & WEFT_SCHED_MOD_MONOTONIC) &&
            (dir->sched_mods & WEFT_SCHED_MOD_NONMONOTONIC)) {
            tr_error(cx, map_off(d, b),
                     "'monotonic' and 'nonmonotonic' exclude each other; "
                     "keep one");
            return -1;
        }
        p = colon + 1;
    }
    struct tr_tok k = tr_lex(d->s, e, &p);
    static const struct {
        const char *s;
        int v;
    } kinds[] = {{"static", WEFT_SCHED_STATIC},
                 {"dynamic", WEFT_SCHED_DYNAMIC},
                 {"guided", WEFT_SCHED_GUIDED},
                 {"auto", WEFT_SCHED_AUTO},
                 {"runtime", WEFT_SCHED_RUNTIME}};
    dir->sched = -1;
    for (unsigned i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (tr_tok_is(d->s, k, kinds[i].s))
            dir->sched = kinds[i].v;
    if (dir->sched < 0) {
        char *s = k.kind == TR_TK_EOF ? tr_strdup("") : tok_str(d, k);
        tr_error(cx, map_off(d, k.kind == TR_TK_EOF ? b : k.off),
                 "unknown schedule kind '%s'; expected static, dynamic, "
                 "guided, auto or runtime",
                 s);
        free(s);
        return -1;
    }
    unsigned q = p;
    struct tr_tok c = tr_lex(d->s, e, &q);
    if (c.kind == TR_TK_EOF)
        return 0;
    if (!tr_tok_is(d->s, c, ",")) {
        tr_error(cx, map_off(d, c.off),
                 "expected ',' or ')' after the schedule kind; write "
                 "schedule(kind, chunk)");
        return -1;
    }
    if (dir->sched == WEFT_SCHED_RUNTIME || dir->sched == WEFT_SCHED_AUTO) {
        tr_error(cx, map_off(d, c.off),
                 "schedule(%s) takes no chunk size; remove it",
                 dir->sched == WEFT_SCHED_AUTO ? "auto" : "runtime");
        return -1;
    }
    dir->chunk = trimmed(d, c.off + 1, e);
    if (!*dir->chunk) {
        tr_error(cx, map_off(d, c.off),
                 "expected a chunk size after ','; write schedule(kind, "
                 "chunk)");
        return -1;
    }
    return 0;
}

/* H18: whether s[b..e) is an lvalue of the forms a depend item takes: a
 * name or a parenthesised lvalue followed by subscripts, `.member` and
 * `->member`, or `*` applied to such a postfix expression (whose
 * parentheses may then hold any pointer expression). */
static int lvalue_text(const struct dsrc *d, unsigned b, unsigned e,
                       int strict) {
    unsigned p = b;
    struct tr_tok t = tr_lex(d->s, e, &p);
    if (tr_tok_is(d->s, t, "*"))
        return lvalue_text(d, p, e, 0);
    if (tr_tok_is(d->s, t, "(")) {
        unsigned close = match_paren(d, p);
        if (close >= e || (strict && !lvalue_text(d, p, close, 1)))
            return 0;
        p = close + 1;
    } else if (t.kind != TR_TK_IDENT) {
        return 0;
    }
    for (;;) {
        struct tr_tok k = tr_lex(d->s, e, &p);
        if (k.kind == TR_TK_EOF)
            return 1;
        if (tr_tok_is(d->s, k, "[")) {
            unsigned close = match_paren(d, p);
            if (close >= e)
                return 0;
            p = close + 1;
        } else if (tr_tok_is(d->s, k, ".") || tr_tok_is(d->s, k, "->")) {
            if (tr_lex(d->s, e, &p).kind != TR_TK_IDENT)
                return 0;
        } else {
            return 0;
        }
    }
}

/* H18: `depend([modifier,] kind: item, ...)`. Each item becomes the address
 * of its storage: `&(x)`, `&(a[i])`, and for an array section `a[lo:len]`
 * the address of its first element. The runtime orders sibling tasks by
 * address equality, which is exact for OpenMP programs: list items of
 * sibling tasks must name identical or disjoint storage, and identical or
 * disjoint sections differ in their first address unless they are equal.
 * mutexinoutset and inoutset are ordered like inout: that serialises the
 * tasks of one set in creation order, one of the executions OpenMP
 * allows (it never forbids running them one after another). */
static int parse_depend(struct tr_ctx *cx, const struct dsrc *d,
                        struct tr_directive *dir, unsigned b, unsigned e) {
    unsigned colon = find_top(d, b, e, ':');
    unsigned p = b;
    struct tr_tok k = tr_lex(d->s, e, &p);
    if (tr_tok_is(d->s, k, "source") || tr_tok_is(d->s, k, "sink")) {
        tr_error(cx, map_off(d, k.off),
                 "depend(%s) belongs to doacross loops ('#pragma omp "
                 "ordered depend'), which weft does not support yet",
                 tr_tok_is(d->s, k, "sink") ? "sink: ..." : "source");
        return -1;
    }
    if (colon >= e) {
        tr_error(cx, map_off(d, b),
                 "expected 'kind:' in 'depend' clause; write depend(in: x), "
                 "depend(out: x) or depend(inout: x)");
        return -1;
    }
    struct tr_tok k2 = tr_lex(d->s, colon, &p);
    if (tr_tok_is(d->s, k, "iterator") || tr_tok_is(d->s, k2, ",")) {
        tr_error(cx, map_off(d, k.off),
                 "depend modifiers (iterator) are not supported yet; write "
                 "one depend item per address");
        return -1;
    }
    static const struct {
        const char *s;
        unsigned kind;
    } kinds[] = {{"in", WEFT_DEP_IN},
                 {"out", WEFT_DEP_OUT},
                 {"inout", WEFT_DEP_INOUT},
                 {"mutexinoutset", WEFT_DEP_INOUT},
                 {"inoutset", WEFT_DEP_INOUT}};
    unsigned kind = 0;
    for (unsigned i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (tr_tok_is(d->s, k, kinds[i].s))
            kind = kinds[i].kind;
    if (!kind || k2.kind != TR_TK_EOF) {
        char *w = trimmed(d, b, colon);
        tr_error(cx, map_off(d, k.kind == TR_TK_EOF ? b : k.off),
                 "%s dependence type '%s'; expected in, out, inout, "
                 "mutexinoutset or inoutset",
                 tr_tok_is(d->s, k, "depobj") ? "unsupported" : "unknown", w);
        free(w);
        return -1;
    }
    unsigned ib = colon + 1;
    for (;;) {
        unsigned ie = find_top(d, ib, e, ',');
        unsigned q = ib;
        struct tr_tok first = tr_lex(d->s, ie, &q);
        if (first.kind == TR_TK_EOF) {
            tr_error(cx, map_off(d, ib < e ? ib : e),
                     "expected a variable, array element or array section "
                     "in 'depend' clause");
            return -1;
        }
        /* Array sections: every subscript `[lo:len]` of the item (one per
         * dimension: `C[i:bs][j:bs]`) becomes `[lo]` (`[0]` when lo is
         * omitted), and the item's address is that of its first element. */
        unsigned first_sec = ie, q2 = first.off, copied = first.off;
        size_t last_at = 0; /* where the last `[lo]` starts in sec */
        struct tr_buf sec = {0};
        for (;;) {
            struct tr_tok t = tr_lex(d->s, ie, &q2);
            if (t.kind == TR_TK_EOF)
                break;
            if (!tr_tok_is(d->s, t, "(") && !tr_tok_is(d->s, t, "["))
                continue;
            unsigned close = match_paren(d, q2);
            if (close >= ie)
                break;
            unsigned sc = tr_tok_is(d->s, t, "[") ? find_top(d, q2, close, ':')
                                                  : close;
            if (sc < close) {
                char *lo = trimmed(d, q2, sc);
                tr_buf_addn(&sec, d->s + copied, t.off - copied);
                last_at = sec.len;
                tr_buf_printf(&sec, "[%s]", *lo ? lo : "0");
                free(lo);
                copied = close + 1;
                if (first_sec == ie)
                    first_sec = t.off;
            }
            q2 = close + 1;
        }
        struct tr_buf a = {0};
        char *item = trimmed(d, first.off, ie);
        if (first_sec < ie) {
            char *rest = trimmed(d, copied, ie);
            int trailing = !*rest;
            tr_buf_add(&sec, rest);
            free(rest);
            if (!lvalue_text(d, first.off, first_sec, 1)) {
                tr_error(cx, map_off(d, first.off),
                         "'%s' in 'depend' clause is not an array section "
                         "of a variable; name an lvalue like a[lo:len]",
                         item);
                tr_buf_free(&sec);
                free(item);
                return -1;
            }
            /* A trailing section keeps the shape `&(base)[lo]`. */
            if (trailing)
                tr_buf_printf(&a, "&(%.*s)%s", (int)last_at, sec.s,
                              sec.s + last_at);
            else
                tr_buf_printf(&a, "&(%s)", sec.s);
            tr_buf_free(&sec);
        } else {
            tr_buf_free(&sec);
            if (!lvalue_text(d, first.off, ie, 1)) {
                tr_error(cx, map_off(d, first.off),
                         "'%s' in 'depend' clause is not an lvalue; name a "
                         "variable, an array element or an array section",
                         item);
                free(item);
                return -1;
            }
            tr_buf_printf(&a, "&(%s)", item);
        }
        free(item);
        dir->deps = tr_xrealloc(dir->deps,
                                (size_t)(dir->ndeps + 1) * sizeof *dir->deps);
        dir->deps[dir->ndeps].kind = kind;
        dir->deps[dir->ndeps].addr = a.s;
        dir->deps[dir->ndeps].off = map_off(d, first.off);
        dir->ndeps++;
        if (ie >= e)
            break;
        ib = ie + 1;
    }
    return 0;
}

/* H18: the expression of final(e), priority(e), grainsize(e) or
 * num_tasks(e) into *slot. */
static int parse_expr_clause(struct tr_ctx *cx, const struct dsrc *d,
                             const char *name, char **slot, unsigned b,
                             unsigned e) {
    unsigned colon = find_top(d, b, e, ':');
    if (colon < e) {
        char *m = trimmed(d, b, colon);
        tr_error(cx, map_off(d, b),
                 "'%s' modifier of '%s' is not supported yet; write %s(expr)",
                 m, name, name);
        free(m);
        return -1;
    }
    *slot = trimmed(d, b, e);
    if (!**slot) {
        tr_error(cx, map_off(d, b), "expected an expression in %s(...)",
                 name);
        return -1;
    }
    return 0;
}

/* H25: whether s[b..e) is the word w (white space around it allowed). */
static int is_word(const struct dsrc *d, unsigned b, unsigned e,
                   const char *w) {
    char *a = trimmed(d, b, e);
    int r = strcmp(a, w) == 0;
    free(a);
    return r;
}

/* H25: the clauses that only tune vectorisation (and linear, which
 * `for simd` refuses). */
static int is_simd_hint(const char *name) {
    return strcmp(name, "safelen") == 0 || strcmp(name, "simdlen") == 0 ||
           strcmp(name, "aligned") == 0 || strcmp(name, "nontemporal") == 0 ||
           strcmp(name, "order") == 0 || strcmp(name, "linear") == 0;
}

/* H25: checks one simd clause whose meaning for a loop run in order is
 * nothing (a hint) or what the plain loop does, and which is dropped:
 * its arguments, where OpenMP constrains them in a way the text shows.
 * A constant that a macro or an expression spells is not evaluated. */
static int check_simd_hint(struct tr_ctx *cx, const struct dsrc *d,
                           const char *name, unsigned at, int has_args,
                           unsigned ab, unsigned ae) {
    int flag = strcmp(name, "inbranch") == 0 ||
               strcmp(name, "notinbranch") == 0;
    if (flag) {
        if (has_args) {
            tr_error(cx, at, "'%s' takes no arguments; write just %s", name,
                     name);
            return -1;
        }
        return 0;
    }
    if (!has_args) {
        tr_error(cx, at, "expected '(' after '%s'; write %s(...)", name, name);
        return -1;
    }
    char *a = trimmed(d, ab, ae);
    int bad = 0;
    if (!*a) {
        tr_error(cx, map_off(d, ab), "expected an argument in %s(...)", name);
        bad = 1;
    } else if (strcmp(name, "safelen") == 0 || strcmp(name, "simdlen") == 0 ||
               strcmp(name, "collapse") == 0) {
        if ((*a >= '0' && *a <= '9') || *a == '-' || *a == '+') {
            char *endp;
            long v = strtol(a, &endp, 0);
            while (*endp == 'u' || *endp == 'U' || *endp == 'l' ||
                   *endp == 'L')
                endp++;
            long max = strcmp(name, "collapse") == 0 ? 8 : 1L << 30;
            if (*endp || v < 1 || v > max) {
                tr_error(cx, map_off(d, ab),
                         "%s needs a positive integer constant%s, found '%s'",
                         name, *name == 'c' ? " from 1 to 8" : "", a);
                bad = 1;
            }
        }
    } else if (strcmp(name, "order") == 0) {
        unsigned c = find_top(d, ab, ae, ':');
        if (!is_word(d, c < ae ? c + 1 : ab, ae, "concurrent")) {
            tr_error(cx, map_off(d, ab),
                     "unknown order '%s'; expected order(concurrent)", a);
            bad = 1;
        }
    } else if (strcmp(name, "if") == 0) {
        unsigned c = find_top(d, ab, ae, ':');
        if (c < ae && !is_word(d, ab, c, "simd")) {
            char *m = trimmed(d, ab, c);
            tr_error(cx, map_off(d, ab),
                     "if-clause modifier '%s' does not apply to 'simd'; "
                     "write if(simd: expr) or if(expr)",
                     m);
            free(m);
            bad = 1;
        }
    }
    free(a);
    return bad ? -1 : 0;
}

/* H25: the clauses of `simd` and `declare simd`, checked and dropped (the
 * loop runs in order, which is a conforming simd loop: private copies
 * may be the variables themselves, a reduction is the plain loop). The
 * lists are not parsed into dir->vars, so that an enclosing region does
 * not privatise what the simd loop names; a region may rewrite names in
 * them (`(*__weft_p_x)`), which the next pass accepts here. */
static int parse_simd_clauses(struct tr_ctx *cx, const struct dsrc *d,
                              struct tr_directive *dir, unsigned p) {
    static const char *const loop_cl[] = {
        "safelen",     "simdlen", "aligned",   "nontemporal", "linear",
        "private",     "lastprivate", "reduction", "collapse", "order",
        "if",          NULL};
    static const char *const decl_cl[] = {"simdlen", "linear",  "aligned",
                                          "uniform", "inbranch",
                                          "notinbranch", NULL};
    const char *const *allowed =
        dir->kind == TR_K_SIMD ? loop_cl : decl_cl;
    const char *sp = dir->is_weft ? "weft" : "omp";
    int bad = 0;
    dir->collapse = 1;
    for (;;) {
        struct tr_tok t = tr_lex(d->s, d->n, &p);
        if (t.kind == TR_TK_EOF)
            break;
        if (tr_tok_is(d->s, t, ","))
            continue;
        char *name = tok_str(d, t);
        unsigned at = map_off(d, t.off);
        int known = 0;
        for (int i = 0; t.kind == TR_TK_IDENT && allowed[i]; i++)
            if (strcmp(name, allowed[i]) == 0)
                known = 1;
        if (!known) {
            tr_error(cx, at, "unknown clause '%s' on '#pragma %s %s'", name,
                     sp, tr_kind_name(dir->kind));
            free(name);
            return -1;
        }
        unsigned ab = 0, ae = 0;
        int has_args = clause_args(cx, d, name, &p, &ab, &ae);
        if (has_args < 0) {
            free(name);
            return -1;
        }
        if (check_simd_hint(cx, d, name, at, has_args, ab, ae))
            bad = 1;
        free(name);
    }
    return bad ? -1 : 0;
}

/* Parses the clauses in s[p..n) of one `parallel for`. */
static int parse_clauses(struct tr_ctx *cx, const struct dsrc *d,
                         struct tr_directive *dir, unsigned p) {
    const char *sp = dir->is_weft ? "weft" : "omp";
    int seen_sched = 0, seen_collapse = 0, seen_default = 0, seen_nt = 0,
        seen_if = 0, seen_pb = 0, seen_order = 0;
    unsigned order_repro = 0; /* H30: where order(reproducible: ...) is */
    int bad = 0;
    dir->collapse = 1;
    for (;;) {
        struct tr_tok t = tr_lex(d->s, d->n, &p);
        if (t.kind == TR_TK_EOF)
            break;
        if (tr_tok_is(d->s, t, ","))
            continue;
        char *name = tok_str(d, t);
        unsigned at = map_off(d, t.off);
        if (t.kind != TR_TK_IDENT) {
            if (dir->kind == TR_K_PARALLEL_FOR)
                tr_error(cx, at,
                         "expected a clause on '#pragma %s parallel for', "
                         "found '%s'; expected one of %s",
                         sp, name, clause_names);
            else
                tr_error(cx, at, "expected a clause on '#pragma %s %s', found "
                         "'%s'", sp, tr_kind_name(dir->kind), name);
            free(name);
            return -1;
        }
        /* Arguments, when the clause has them. */
        unsigned ab = 0, ae = 0;
        int has_args = clause_args(cx, d, name, &p, &ab, &ae);
        if (has_args < 0) {
            free(name);
            return -1;
        }
        static const char *const with_args[] = {
            "schedule",    "reduction",   "private",   "firstprivate",
            "lastprivate", "shared",      "default",   "collapse",
            "num_threads", "if",          "proc_bind", "map",
            "copyin",      "copyprivate", "filter",    "depend",
            "final",       "priority",    "grainsize", "num_tasks",
            "in_reduction", "detach",     "affinity",  NULL};
        dir->seen |= tr_clause_bit(name);
        int wants = 0, known = 0;
        for (int i = 0; with_args[i]; i++)
            if (strcmp(name, with_args[i]) == 0)
                wants = known = 1;
        if (strcmp(name, "nowait") == 0 || strcmp(name, "cluster") == 0 ||
            strcmp(name, "untied") == 0 || strcmp(name, "mergeable") == 0 ||
            strcmp(name, "nogroup") == 0 ||
            (strcmp(name, "ordered") == 0 && !has_args))
            known = 1;
        if (known && wants && !has_args) {
            tr_error(cx, at, "expected '(' after '%s'; write %s(...)", name,
                     name);
            bad = 1;
            free(name);
            continue;
        }
        if (known && !wants && has_args) {
            tr_error(cx, at, "'%s' takes no arguments; write just %s", name,
                     name);
            bad = 1;
            free(name);
            continue;
        }
        if (dir->simd && is_simd_hint(name)) {
            if (strcmp(name, "linear") == 0) {
                tr_error(cx, at,
                         "'linear' clause on '#pragma %s %s simd' is not "
                         "supported yet; remove it and compute the variable "
                         "from the loop variable in the body",
                         sp, tr_kind_name(dir->kind));
                bad = 1;
            } else if (check_simd_hint(cx, d, name, at, has_args, ab, ae)) {
                bad = 1;
            }
        } else if (strcmp(name, "schedule") == 0) {
            if (seen_sched++)
                goto dup;
            if (parse_schedule(cx, d, dir, ab, ae))
                bad = 1;
        } else if (strcmp(name, "reduction") == 0) {
            if (parse_reduction(cx, d, dir, ab, ae) < 0)
                bad = 1;
        } else if (strcmp(name, "private") == 0) {
            if (parse_list(cx, d, dir, ab, ae, TR_DSA_PRIVATE, 0, name) < 0)
                bad = 1;
        } else if (strcmp(name, "firstprivate") == 0) {
            if (parse_list(cx, d, dir, ab, ae, TR_DSA_FIRSTPRIVATE, 0, name) <
                0)
                bad = 1;
        } else if (strcmp(name, "lastprivate") == 0) {
            unsigned c = find_top(d, ab, ae, ':');
            if (c < ae) {
                tr_error(cx, map_off(d, ab),
                         "lastprivate modifiers are not supported yet; "
                         "write lastprivate(list)");
                bad = 1;
            } else if (parse_list(cx, d, dir, ab, ae, TR_DSA_LASTPRIVATE, 0,
                                  name) < 0) {
                bad = 1;
            }
        } else if (strcmp(name, "shared") == 0) {
            if (parse_list(cx, d, dir, ab, ae, TR_DSA_SHARED, 0, name) < 0)
                bad = 1;
        } else if (strcmp(name, "default") == 0) {
            if (seen_default++)
                goto dup;
            char *a = trimmed(d, ab, ae);
            if (strcmp(a, "none") == 0) {
                dir->default_none = 1;
            } else if (strcmp(a, "shared") != 0) {
                tr_error(cx, map_off(d, ab),
                         "unknown default kind '%s'; expected default(shared) "
                         "or default(none)",
                         a);
                bad = 1;
            }
            free(a);
        } else if (strcmp(name, "collapse") == 0) {
            if (seen_collapse++)
                goto dup;
            char *a = trimmed(d, ab, ae);
            char *endp;
            long v = strtol(a, &endp, 0);
            if (!*a || *endp || v < 1 || v > 8) {
                tr_error(cx, map_off(d, ab),
                         "collapse needs an integer constant from 1 to 8, "
                         "found '%s'",
                         a);
                bad = 1;
            } else {
                dir->collapse = (int)v;
            }
            free(a);
        } else if (strcmp(name, "num_threads") == 0) {
            if (seen_nt++)
                goto dup;
            dir->num_threads = trimmed(d, ab, ae);
            if (!*dir->num_threads) {
                tr_error(cx, map_off(d, ab),
                         "expected an expression in num_threads(...)");
                bad = 1;
            } else if (find_top(d, ab, ae, ',') < ae) {
                /* H30: OpenMP 6.0's list (one count per nesting level);
                 * as a C comma expression it would silently give the
                 * last count to this level. */
                tr_error(cx, map_off(d, find_top(d, ab, ae, ',')),
                         "a list in num_threads(...) (one count per nesting "
                         "level, OpenMP 6.0) is not supported yet; give one "
                         "count and call omp_set_num_threads() in the region "
                         "for the next level");
                bad = 1;
            } else if (find_top(d, ab, ae, ':') < ae &&
                       find_top(d, ab, ae, '?') >= ae) {
                /* H31: OpenMP 6.0's `strict:` modifier, which would reach
                 * the compiler as an undeclared name. */
                char *m = trimmed(d, ab, find_top(d, ab, ae, ':'));
                tr_error(cx, map_off(d, ab),
                         "num_threads modifier '%s' (OpenMP 6.0) is not "
                         "supported yet; write num_threads(n)",
                         m);
                free(m);
                bad = 1;
            }
        } else if (strcmp(name, "if") == 0 && dir->simd &&
                   find_top(d, ab, ae, ':') < ae &&
                   is_word(d, ab, find_top(d, ab, ae, ':'), "simd")) {
            /* H25: if(simd: e) only says whether to vectorise. */
            if (!seen_if)
                dir->seen &= ~TR_CL_IF;
        } else if (strcmp(name, "if") == 0) {
            if (seen_if++)
                goto dup;
            unsigned c = find_top(d, ab, ae, ':');
            unsigned eb = ab;
            if (c < ae) {
                char *m = trimmed(d, ab, c);
                /* H18: task and taskloop name themselves. */
                const char *own = dir->kind == TR_K_TASK       ? "task"
                                  : dir->kind == TR_K_TASKLOOP ? "taskloop"
                                  : dir->kind == TR_K_CANCEL   ? "cancel"
                                                               : "parallel";
                if (strcmp(m, own) != 0) {
                    tr_error(cx, map_off(d, ab),
                             "if-clause modifier '%s' does not apply to "
                             "'%s'; write if(%s: expr) or if(expr)",
                             m, *own == 'p' ? "parallel for" : own, own);
                    bad = 1;
                }
                free(m);
                eb = c + 1;
            }
            dir->if_expr = trimmed(d, eb, ae);
            if (!*dir->if_expr) {
                tr_error(cx, map_off(d, ab),
                         "expected an expression in "
                         "if(...)");
                bad = 1;
            }
        } else if (strcmp(name, "nowait") == 0) {
            dir->nowait = 1;
        } else if (strcmp(name, "proc_bind") == 0) {
            if (seen_pb++)
                goto dup;
            char *a = trimmed(d, ab, ae);
            static const struct {
                const char *s;
                int v;
            } pb[] = {
                {"master", WEFT_BIND_PRIMARY}, {"primary", WEFT_BIND_PRIMARY},
                {"close", WEFT_BIND_CLOSE},    {"spread", WEFT_BIND_SPREAD},
                {"true", WEFT_BIND_TRUE},      {"false", WEFT_BIND_FALSE}};
            for (unsigned i = 0; i < sizeof pb / sizeof pb[0]; i++)
                if (strcmp(a, pb[i].s) == 0)
                    dir->proc_bind = pb[i].v;
            if (!dir->proc_bind) {
                tr_error(cx, map_off(d, ab),
                         "unknown proc_bind kind '%s'; expected primary, "
                         "master, close, spread, true or false",
                         a);
                bad = 1;
            }
            free(a);
        } else if (strcmp(name, "cluster") == 0 || strcmp(name, "map") == 0) {
            /* weft's cluster loops: parsed in cluster.c. */
            if (!dir->is_weft) {
                tr_error(cx, at,
                         "'%s' clause is not allowed on '#pragma omp "
                         "parallel for'; cluster loops are spelled '#pragma "
                         "weft parallel for cluster'",
                         name);
                bad = 1;
            } else if (strcmp(name, "cluster") == 0) {
                if (dir->cluster++)
                    goto dup;
            } else if (tr_cluster_parse_map(cx, dir, d->s, ab, ae, dsrc_off,
                                            d)) {
                bad = 1;
            }
        } else if (strcmp(name, "copyin") == 0) {
            if (parse_list(cx, d, dir, ab, ae, TR_DSA_COPYIN, 0, name) < 0)
                bad = 1;
        } else if (strcmp(name, "copyprivate") == 0) {
            if (parse_list(cx, d, dir, ab, ae, TR_DSA_COPYPRIVATE, 0, name) < 0)
                bad = 1;
        } else if (strcmp(name, "filter") == 0) {
            free(dir->filter);
            dir->filter = trimmed(d, ab, ae);
        } else if (strcmp(name, "ordered") == 0 && !has_args) {
            dir->ordered = 1;
        } else if (strcmp(name, "depend") == 0) {
            if (parse_depend(cx, d, dir, ab, ae))
                bad = 1;
        } else if (strcmp(name, "final") == 0 ||
                   strcmp(name, "priority") == 0 ||
                   strcmp(name, "grainsize") == 0 ||
                   strcmp(name, "num_tasks") == 0) {
            char **slot = name[0] == 'f'   ? &dir->final_expr
                          : name[0] == 'p' ? &dir->priority
                          : name[0] == 'g' ? &dir->grainsize
                                           : &dir->num_tasks;
            if (*slot)
                goto dup;
            if (parse_expr_clause(cx, d, name, slot, ab, ae))
                bad = 1;
        } else if (strcmp(name, "hint") == 0 && has_args &&
                   dir->kind == TR_K_CRITICAL) {
            /* hint(omp_sync_hint_...): a performance hint, which weft's
             * locks have no use for (as on atomic). */
        } else if (strcmp(name, "untied") == 0) {
            dir->untied = 1;
        } else if (strcmp(name, "mergeable") == 0) {
            dir->mergeable = 1;
        } else if (strcmp(name, "nogroup") == 0) {
            dir->nogroup = 1;
        } else if (strcmp(name, "in_reduction") == 0 ||
                   strcmp(name, "detach") == 0 ||
                   strcmp(name, "affinity") == 0) {
            tr_error(cx, at,
                     "'%s' clause is not supported yet; remove it (weft "
                     "lowers task clauses if, final, untied, mergeable, "
                     "priority, depend and the data-sharing clauses)",
                     name);
            bad = 1;
        } else if (strcmp(name, "order") == 0 &&
                   (dir->kind == TR_K_FOR || dir->kind == TR_K_PARALLEL_FOR ||
                    dir->kind == TR_K_PARALLEL_FOR_COPYIN)) {
            /* H30: order([reproducible: | unconstrained:] concurrent) lets
             * the iterations run in any order; weft's loops already may,
             * so the clause is checked and dropped. reproducible asks for
             * a schedule that maps iterations to threads the same way
             * every time: the default (static) one, checked below. */
            if (seen_order++)
                goto dup;
            if (check_simd_hint(cx, d, name, at, has_args, ab, ae)) {
                bad = 1;
            } else {
                unsigned c = find_top(d, ab, ae, ':');
                if (c < ae && is_word(d, ab, c, "reproducible")) {
                    order_repro = at;
                } else if (c < ae && !is_word(d, ab, c, "unconstrained")) {
                    char *m = trimmed(d, ab, c);
                    tr_error(cx, map_off(d, ab),
                             "unknown order modifier '%s'; expected "
                             "reproducible or unconstrained",
                             m);
                    free(m);
                    bad = 1;
                }
            }
        } else if (strcmp(name, "ordered") == 0 ||
                   strcmp(name, "linear") == 0 ||
                   strcmp(name, "allocate") == 0 ||
                   strcmp(name, "order") == 0) {
            tr_error(cx, at, "'%s' clause is not supported yet; remove it",
                     name);
            bad = 1;
        } else if (dir->kind == TR_K_PARALLEL_FOR) {
            tr_error(cx, at,
                     "unknown clause '%s' on '#pragma %s parallel for'; "
                     "expected one of %s",
                     name, sp, clause_names);
            bad = 1;
        } else {
            /* H20: name the construct actually written. */
            tr_error(cx, at, "unknown clause '%s' on '#pragma %s %s'", name,
                     sp, tr_kind_name(dir->kind));
            bad = 1;
        }
        free(name);
        continue;
    dup:
        tr_error(cx, at, "more than one '%s' clause; keep one", name);
        bad = 1;
        free(name);
    }
    if (!bad && order_repro && dir->sched != 0 &&
        (dir->sched & WEFT_SCHED_KIND_MASK) != WEFT_SCHED_STATIC) {
        tr_error(cx, order_repro,
                 "order(reproducible: concurrent) needs a reproducible "
                 "schedule: use schedule(static) or no schedule clause");
        bad = 1;
    }
    if (bad)
        return -1;
    /* A variable may appear in one data-sharing clause only, except that
     * firstprivate and lastprivate may name the same variable. */
    for (int i = 0; i < dir->nvars; i++) {
        for (int j = 0; j < i; j++) {
            struct tr_clause_var *a = &dir->vars[j], *b = &dir->vars[i];
            if (strcmp(a->name, b->name) != 0 || !a->dsa)
                continue;
            if ((a->dsa == TR_DSA_FIRSTPRIVATE &&
                 b->dsa == TR_DSA_LASTPRIVATE) ||
                (a->dsa == TR_DSA_LASTPRIVATE &&
                 b->dsa == TR_DSA_FIRSTPRIVATE)) {
                a->dsa = TR_DSA_LASTPRIVATE;
                a->also_first = 1;
                b->dsa = TR_DSA_NONE;
                continue;
            }
            if (a->dsa == b->dsa)
                tr_error(cx, b->off,
                         "variable '%s' appears twice in '%s' clauses; "
                         "name it once",
                         b->name, dsa_name(b->dsa));
            else
                tr_error(cx, b->off,
                         "variable '%s' appears in both '%s' and '%s' "
                         "clauses; keep one",
                         b->name, dsa_name(a->dsa), dsa_name(b->dsa));
            bad = 1;
        }
    }
    return bad ? -1 : 0;
}

/* Directive names OpenMP knows; used to name an unsupported directive. */
static int is_directive_word(const char *s) {
    static const char *const w[] = {
        "parallel", "for",           "simd",          "sections",
        "section",  "single",        "master",        "masked",
        "critical", "atomic",        "barrier",       "task",
        "taskloop", "taskwait",      "taskyield",     "taskgroup",
        "target",   "teams",         "distribute",    "ordered",
        "flush",    "threadprivate", "declare",       "requires",
        "loop",     "scan",          "cancel",        "cancellation",
        "point",    "data",          "enter",         "exit",
        "update",   "reduction",     "variant",       "mapper",
        "tile",     "unroll",        "metadirective", "depobj",
        "interop",  "dispatch",      "allocate",      "scope",
        "end",      "begin",         "workshare",     "nothing",
        "error",    "assume",        "assumes",       NULL};
    for (int i = 0; w[i]; i++)
        if (strcmp(s, w[i]) == 0)
            return 1;
    return 0;
}

/* Handles one directive text; p is just past `omp` / `weft`. */
static void handle_directive(struct tr_ctx *cx, const struct dsrc *d,
                             unsigned p, int is_weft, unsigned off,
                             unsigned end) {
    const char *sp = is_weft ? "weft" : "omp";
    unsigned q = p;
    struct tr_tok t1 = tr_lex(d->s, d->n, &q);
    unsigned after1 = q;
    struct tr_tok t2 = tr_lex(d->s, d->n, &q);
    unsigned after2 = q;
    struct tr_tok t3 = tr_lex(d->s, d->n, &q);
    int is_pf = tr_tok_is(d->s, t1, "parallel") && tr_tok_is(d->s, t2, "for");
    char *w3 = t3.kind == TR_TK_IDENT ? tok_str(d, t3) : tr_strdup("");
    /* H25: `parallel for simd` is `parallel for` with hints. */
    int simd = is_pf && tr_tok_is(d->s, t3, "simd");
    if (simd)
        after2 = q;
    if (is_pf && !simd && is_directive_word(w3) && !tr_tok_is(d->s, t3, "reduction") &&
        !tr_tok_is(d->s, t3, "allocate") && !tr_tok_is(d->s, t3, "ordered"))
        is_pf = 0; /* `parallel for simd` and the like */
    free(w3);
    /* H12: regions, worksharing and synchronisation constructs. */
    int kind = TR_K_PARALLEL_FOR;
    char *karg = NULL;
    unsigned karg_at = 0;
    /* H27: `declare reduction` goes into the file's table (udr.c); the
     * pragma itself is removed like the `declare simd` hint. */
    int udr_decl = !is_pf && tr_tok_is(d->s, t1, "declare") &&
                   tr_tok_is(d->s, t2, "reduction");
    if (udr_decl) {
        kind = TR_K_DECLARE_SIMD;
        is_pf = 1;
    }
    if (!is_pf) {
        int k = tr_region_kind(d->s, d->n, p, &after2, &karg, &karg_at);
        if (k >= 0) {
            kind = k;
            is_pf = 1;
            simd = (k == TR_K_FOR || k == TR_K_TASKLOOP) &&
                   tr_tok_is(d->s, t2, "simd");
        }
    }
    if (!is_pf) {
        struct tr_buf name = {0};
        unsigned r = p;
        for (int i = 0; i < 4; i++) {
            unsigned r0 = r;
            struct tr_tok t = tr_lex(d->s, d->n, &r);
            char *w = t.kind == TR_TK_IDENT ? tok_str(d, t) : NULL;
            if (!w || !is_directive_word(w) ||
                (i > 0 && strcmp(w, "reduction") == 0)) {
                free(w);
                r = r0;
                break;
            }
            if (name.len)
                tr_buf_add(&name, " ");
            tr_buf_add(&name, w);
            free(w);
        }
        if (!name.len) {
            char *w = t1.kind == TR_TK_EOF ? tr_strdup("") : tok_str(d, t1);
            tr_error(cx, off,
                     "unknown directive '#pragma %s %s'; weft supports "
                     "'#pragma %s parallel for'",
                     sp, w, sp);
            free(w);
        } else {
            tr_error(cx, off,
                     "'#pragma %s %s' is not supported yet; weft lowers "
                     "parallel, for, sections, single, master, masked, "
                     "critical, atomic, barrier, flush, ordered, "
                     "threadprivate, task, taskloop, taskwait, taskyield, "
                     "taskgroup, simd and declare simd",
                     sp, name.s);
        }
        tr_buf_free(&name);
        return;
    }
    (void)after1;
    cx->cons =
        tr_xrealloc(cx->cons, (size_t)(cx->ncons + 1) * sizeof *cx->cons);
    struct tr_construct *c = &cx->cons[cx->ncons++];
    memset(c, 0, sizeof *c);
    c->id = cx->ncons;
    c->dir.off = off;
    c->dir.end = end;
    c->dir.is_weft = is_weft;
    c->id = cx->id_base + cx->ncons;
    c->dir.kind = kind;
    c->dir.simd = simd;
    c->dir.arg = karg;
    c->dir.arg_off = karg ? map_off(d, karg_at) : off;
    unsigned cl = after2;
    while (cl < d->n && (d->s[cl] == ' ' || d->s[cl] == '\t'))
        cl++;
    c->dir.clause_off = map_off(d, cl < d->n ? cl : d->n);
    c->dir.clause_text = tr_strndup(d->s + (after2 < d->n ? after2 : d->n),
                                    after2 < d->n ? d->n - after2 : 0);
    tr_line_col(cx, off, &c->dir.line, &c->dir.col);
    /* atomic's clause words are in arg; the others parse as clauses. */
    if (udr_decl) {
        if (tr_udr_declare(cx, d->s, after2, d->n, dsrc_off, d))
            c->id = -1;
    } else if (kind == TR_K_SIMD || kind == TR_K_DECLARE_SIMD) {
        if (parse_simd_clauses(cx, d, &c->dir, after2))
            c->id = -1;
    } else if (kind != TR_K_ATOMIC && kind != TR_K_THREADPRIVATE &&
               kind != TR_K_FLUSH && parse_clauses(cx, d, &c->dir, after2)) {
        c->id = -1; /* keep it for ordering, but it failed */
    }
}

/* Text of a string literal token, without quotes and escapes resolved
 * (only \" and \\ matter for pragma text). Sets *plain when the literal
 * had no escapes, so offsets map 1:1 onto it. */
static char *destringize(const char *s, unsigned n, int *plain) {
    *plain = 1;
    if (n < 2 || s[0] != '"')
        return NULL;
    struct tr_buf b = {0};
    tr_buf_add(&b, "");
    for (unsigned i = 1; i + 1 < n; i++) {
        if (s[i] == '\\' && i + 2 < n) {
            *plain = 0;
            i++;
        }
        tr_buf_addn(&b, s + i, 1);
    }
    return b.s;
}

/* A _Pragma string `s` found at main-file offset off (the _Pragma token or
 * the macro that expands to it). lit_off: main-file offset of the literal's
 * opening quote when it is written in the main file, else 0. */
static void handle_pragma_string(struct tr_ctx *cx, const char *lit,
                                 unsigned litn, unsigned off, unsigned end,
                                 unsigned lit_off) {
    int plain;
    char *s = destringize(lit, litn, &plain);
    if (!s)
        return;
    struct dsrc d = {s, (unsigned)strlen(s), lit_off + 1, plain && lit_off != 0,
                     off};
    unsigned p = 0;
    struct tr_tok t = tr_lex(d.s, d.n, &p);
    if (tr_tok_is(d.s, t, "omp") || tr_tok_is(d.s, t, "weft"))
        handle_directive(cx, &d, p, tr_tok_is(d.s, t, "weft"), off, end);
    free(s);
}

static int in_skipped(CXSourceRangeList *sk, unsigned off) {
    for (unsigned i = 0; sk && i < sk->count; i++) {
        unsigned b, e;
        clang_getExpansionLocation(clang_getRangeStart(sk->ranges[i]), NULL,
                                   NULL, NULL, &b);
        clang_getExpansionLocation(clang_getRangeEnd(sk->ranges[i]), NULL, NULL,
                                   NULL, &e);
        if (off >= b && off < e)
            return 1;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* Pragmas produced by macros                                         */
/* ------------------------------------------------------------------ */

/* A _Pragma can come out of a macro expansion in many ways: written in the
 * macro's body, in a macro that the body uses, or built by stringizing the
 * macro's arguments (`#define PRAGMA(x) _Pragma(#x)`). libclang exposes
 * neither the expanded tokens nor the pragmas of a plain-C parse, so this
 * file expands each macro invocation of the main file itself, with the
 * definitions libclang recorded, following the C rules that matter here:
 * parameters are replaced by their fully expanded arguments, `#param` by
 * the argument's spelling as a string, `##` pastes, and the result is
 * rescanned with the macro disabled. Tokens are plain strings. */

struct toks {
    char **v;
    int n, cap;
};

static void toks_push(struct toks *t, const char *s, size_t n) {
    if (t->n == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 16;
        t->v = tr_xrealloc(t->v, (size_t)t->cap * sizeof *t->v);
    }
    t->v[t->n++] = tr_strndup(s, n);
}

static void toks_free(struct toks *t) {
    for (int i = 0; i < t->n; i++)
        free(t->v[i]);
    free(t->v);
    t->v = NULL;
    t->n = t->cap = 0;
}

struct macro {
    char *name;
    CXCursor def;
    int loaded, is_func, nparams;
    char **params;
    struct toks body;
};

struct mtable {
    struct tr_ctx *cx;
    struct macro *m;
    int n;
    /* Open addressing over the names (H23, speed: a file has thousands of
     * definitions and every identifier of an expansion is looked up):
     * index of the last definition of a name, -1 for an empty slot. Built
     * on the first lookup, when every definition is recorded. */
    int *hash;
    unsigned hcap; /* a power of two */
};

static unsigned name_hash(const char *s) {
    unsigned h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static void mtable_index(struct mtable *mt) {
    mt->hcap = 16;
    while (mt->hcap < 2u * (unsigned)mt->n + 1)
        mt->hcap *= 2;
    mt->hash = tr_xcalloc(mt->hcap, sizeof *mt->hash);
    for (unsigned i = 0; i < mt->hcap; i++)
        mt->hash[i] = -1;
    for (int i = 0; i < mt->n; i++) {
        unsigned h = name_hash(mt->m[i].name) & (mt->hcap - 1);
        while (mt->hash[h] >= 0 &&
               strcmp(mt->m[mt->hash[h]].name, mt->m[i].name) != 0)
            h = (h + 1) & (mt->hcap - 1);
        mt->hash[h] = i; /* a later definition replaces an earlier one */
    }
}

static enum CXChildVisitResult mdef_visit(CXCursor c, CXCursor parent,
                                          CXClientData data) {
    struct mtable *mt = data;
    (void)parent;
    if (clang_getCursorKind(c) == CXCursor_MacroDefinition) {
        mt->m = tr_xrealloc(mt->m, (size_t)(mt->n + 1) * sizeof *mt->m);
        struct macro *m = &mt->m[mt->n++];
        memset(m, 0, sizeof *m);
        m->name = tr_cxstr(clang_getCursorSpelling(c));
        m->def = c;
    }
    return CXChildVisit_Continue;
}

/* The definition in effect: the last one recorded under that name. */
static struct macro *mlookup(struct mtable *mt, const char *name) {
    struct macro *m = NULL;
    if (!mt->hash)
        mtable_index(mt);
    for (unsigned h = name_hash(name) & (mt->hcap - 1); mt->hash[h] >= 0;
         h = (h + 1) & (mt->hcap - 1))
        if (strcmp(mt->m[mt->hash[h]].name, name) == 0) {
            m = &mt->m[mt->hash[h]];
            break;
        }
    if (!m || m->loaded)
        return m;
    m->loaded = 1;
    CXTranslationUnit tu = mt->cx->tu;
    CXToken *tk = NULL;
    unsigned n = 0;
    clang_tokenize(tu, clang_getCursorExtent(m->def), &tk, &n);
    unsigned i = 1;
    if (n >= 2) {
        char *p = tr_cxstr(clang_getTokenSpelling(tu, tk[1]));
        unsigned ne, pb;
        clang_getSpellingLocation(
            clang_getRangeEnd(clang_getTokenExtent(tu, tk[0])), NULL, NULL,
            NULL, &ne);
        clang_getSpellingLocation(
            clang_getRangeStart(clang_getTokenExtent(tu, tk[1])), NULL, NULL,
            NULL, &pb);
        /* Function-like only when `(` touches the name. */
        if (strcmp(p, "(") == 0 && ne == pb) {
            m->is_func = 1;
            for (i = 2; i < n; i++) {
                char *q = tr_cxstr(clang_getTokenSpelling(tu, tk[i]));
                int close = strcmp(q, ")") == 0, comma = strcmp(q, ",") == 0;
                if (!close && !comma) {
                    m->params =
                        tr_xrealloc(m->params, (size_t)(m->nparams + 1) *
                                                   sizeof *m->params);
                    m->params[m->nparams++] = q;
                } else {
                    free(q);
                }
                if (close) {
                    i++;
                    break;
                }
            }
        }
        free(p);
    }
    for (; i < n; i++) {
        char *q = tr_cxstr(clang_getTokenSpelling(tu, tk[i]));
        toks_push(&m->body, q, strlen(q));
        free(q);
    }
    clang_disposeTokens(tu, tk, n);
    return m;
}

static void expand(struct mtable *mt, struct toks *in, int from, int to,
                   struct toks *out, const char **active, int nactive,
                   int depth);

static int param_index(const struct macro *m, const char *s) {
    for (int i = 0; i < m->nparams; i++)
        if (strcmp(m->params[i], s) == 0 ||
            (strcmp(m->params[i], "...") == 0 && strcmp(s, "__VA_ARGS__") == 0))
            return i;
    return -1;
}

/* Replaces m's parameters in its body by the arguments args[k] (token
 * ranges of in), then rescans. */
static void substitute(struct mtable *mt, struct macro *m, struct toks *in,
                       int *ab, int *ae, int nargs, struct toks *out,
                       const char **active, int nactive, int depth) {
    struct toks r = {0};
    struct toks *b = &m->body;
    for (int i = 0; i < b->n; i++) {
        int pi;
        if (strcmp(b->v[i], "#") == 0 && i + 1 < b->n &&
            (pi = param_index(m, b->v[i + 1])) >= 0) {
            struct tr_buf sb = {0};
            tr_buf_add(&sb, "\"");
            for (int k = pi < nargs ? ab[pi] : 0; pi < nargs && k < ae[pi];
                 k++) {
                if (k > ab[pi])
                    tr_buf_add(&sb, " ");
                for (const char *c = in->v[k]; *c; c++) {
                    if (*c == '"' || *c == '\\')
                        tr_buf_add(&sb, "\\");
                    tr_buf_addn(&sb, c, 1);
                }
            }
            tr_buf_add(&sb, "\"");
            toks_push(&r, sb.s, sb.len);
            tr_buf_free(&sb);
            i++;
        } else if ((pi = param_index(m, b->v[i])) >= 0) {
            int pasted = (i > 0 && strcmp(b->v[i - 1], "##") == 0) ||
                         (i + 1 < b->n && strcmp(b->v[i + 1], "##") == 0);
            if (pi < nargs) {
                if (pasted)
                    for (int k = ab[pi]; k < ae[pi]; k++)
                        toks_push(&r, in->v[k], strlen(in->v[k]));
                else
                    expand(mt, in, ab[pi], ae[pi], &r, active, nactive,
                           depth + 1);
            }
        } else if (strcmp(b->v[i], "##") == 0 && r.n && i + 1 < b->n) {
            /* Paste the previous token with the next one. */
            int pj = param_index(m, b->v[i + 1]);
            struct tr_buf sb = {0};
            tr_buf_add(&sb, r.v[r.n - 1]);
            if (pj >= 0 && pj < nargs) {
                for (int k = ab[pj]; k < ae[pj]; k++)
                    tr_buf_add(&sb, in->v[k]);
            } else if (pj < 0) {
                tr_buf_add(&sb, b->v[i + 1]);
            }
            free(r.v[r.n - 1]);
            r.v[r.n - 1] = sb.s ? sb.s : tr_strdup("");
            i++;
        } else {
            toks_push(&r, b->v[i], strlen(b->v[i]));
        }
    }
    const char **act = tr_xcalloc((size_t)nactive + 1, sizeof *act);
    if (nactive)
        memcpy(act, active, (size_t)nactive * sizeof *act);
    act[nactive] = m->name;
    expand(mt, &r, 0, r.n, out, act, nactive + 1, depth + 1);
    free(act);
    toks_free(&r);
}

static void expand(struct mtable *mt, struct toks *in, int from, int to,
                   struct toks *out, const char **active, int nactive,
                   int depth) {
    for (int i = from; i < to; i++) {
        const char *t = in->v[i];
        char c0 = t[0];
        int ident =
            (c0 >= 'a' && c0 <= 'z') || (c0 >= 'A' && c0 <= 'Z') || c0 == '_';
        struct macro *m = NULL;
        if (ident && depth < 64) {
            int off = 0;
            for (int k = 0; k < nactive; k++)
                if (strcmp(active[k], t) == 0)
                    off = 1;
            if (!off)
                m = mlookup(mt, t);
        }
        if (!m) {
            toks_push(out, t, strlen(t));
            continue;
        }
        if (!m->is_func) {
            substitute(mt, m, in, NULL, NULL, 0, out, active, nactive, depth);
            continue;
        }
        if (i + 1 >= to || strcmp(in->v[i + 1], "(") != 0) {
            toks_push(out, t, strlen(t));
            continue;
        }
        /* Arguments: split at top-level commas (the last parameter
         * `...` takes the rest). */
        int ab[64], ae[64], na = 0, level = 0, k = i + 2;
        ab[0] = k;
        for (; k < to; k++) {
            const char *x = in->v[k];
            if (strcmp(x, "(") == 0) {
                level++;
            } else if (strcmp(x, ")") == 0) {
                if (level-- == 0)
                    break;
            } else if (strcmp(x, ",") == 0 && level == 0 && na < 63 &&
                       !(m->nparams && na == m->nparams - 1 &&
                         strcmp(m->params[na], "...") == 0)) {
                ae[na++] = k;
                ab[na] = k + 1;
            }
        }
        if (k >= to) {
            toks_push(out, t, strlen(t));
            continue;
        }
        ae[na++] = k;
        if (na == 1 && ab[0] == ae[0] && m->nparams == 0)
            na = 0;
        substitute(mt, m, in, ab, ae, na, out, active, nactive, depth);
        i = k;
    }
}

/* Fully expands the macro invocation at main-file offset off into *out.
 * Returns the offset just past the invocation (out stays empty when no
 * macro is defined under the name there). */
static unsigned expand_invocation(struct tr_ctx *cx, struct mtable *mt,
                                  unsigned off, struct toks *out) {
    const char *t = cx->text;
    unsigned p = off;
    struct tr_tok name = tr_lex(t, cx->size, &p);
    char *nm = tr_strndup(t + name.off, name.len);
    struct macro *m = mlookup(mt, nm);
    free(nm);
    if (!m)
        return p;
    struct toks in = {0};
    toks_push(&in, t + name.off, name.len);
    unsigned end = p;
    if (m->is_func) {
        unsigned q = p;
        struct tr_tok o = tr_lex(t, cx->size, &q);
        if (!tr_tok_is(t, o, "(")) {
            toks_free(&in);
            return p;
        }
        int level = 0;
        q = p;
        for (;;) {
            struct tr_tok k = tr_lex(t, cx->size, &q);
            if (k.kind == TR_TK_EOF)
                break;
            toks_push(&in, t + k.off, k.len);
            if (tr_tok_is(t, k, "("))
                level++;
            else if (tr_tok_is(t, k, ")") && --level == 0)
                break;
        }
        end = q;
    }
    expand(mt, &in, 0, in.n, out, NULL, 0, 0);
    toks_free(&in);
    return end;
}

/* Expands the macro invocation at main-file offset off and reports the
 * _Pragma directives it produces. Returns the offset just past the
 * invocation. */
static unsigned scan_invocation(struct tr_ctx *cx, struct mtable *mt,
                                unsigned off) {
    struct toks out = {0};
    unsigned end = expand_invocation(cx, mt, off, &out);
    for (int i = 0; i + 3 < out.n; i++)
        if (strcmp(out.v[i], "_Pragma") == 0 &&
            strcmp(out.v[i + 1], "(") == 0 && out.v[i + 2][0] == '"')
            handle_pragma_string(cx, out.v[i + 2],
                                 (unsigned)strlen(out.v[i + 2]), off, end, 0);
    toks_free(&out);
    return end;
}

struct expansions {
    struct tr_ctx *cx;
    unsigned *off;
    int n;
};

static enum CXChildVisitResult mexp_visit(CXCursor c, CXCursor parent,
                                          CXClientData data) {
    struct expansions *ex = data;
    (void)parent;
    if (clang_getCursorKind(c) == CXCursor_MacroExpansion &&
        tr_in_main(ex->cx, c)) {
        ex->off = tr_xrealloc(ex->off, (size_t)(ex->n + 1) * sizeof *ex->off);
        ex->off[ex->n++] = tr_cursor_off(c);
    }
    return CXChildVisit_Continue;
}

static int cmp_unsigned(const void *a, const void *b) {
    unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
    return x < y ? -1 : x > y;
}

static void mtable_free(struct mtable *mt) {
    for (int i = 0; i < mt->n; i++) {
        struct macro *m = &mt->m[i];
        free(m->name);
        for (int k = 0; k < m->nparams; k++)
            free(m->params[k]);
        free(m->params);
        toks_free(&m->body);
    }
    free(mt->m);
    free(mt->hash);
}

/* Every macro invocation written in the main file (outside #if-skipped
 * code) whose expansion contains a _Pragma becomes a directive. Nested
 * invocations are reached through the outer one's expansion. */
static void scan_macros(struct tr_ctx *cx) {
    struct mtable mt = {cx, NULL, 0, NULL, 0};
    struct expansions ex = {cx, NULL, 0};
    CXCursor tu = clang_getTranslationUnitCursor(cx->tu);
    clang_visitChildren(tu, mexp_visit, &ex);
    if (ex.n)
        clang_visitChildren(tu, mdef_visit, &mt);
    if (ex.n)
        qsort(ex.off, (size_t)ex.n, sizeof *ex.off, cmp_unsigned);
    unsigned done = 0;
    for (int i = 0; i < ex.n; i++) {
        if (ex.off[i] < done)
            continue; /* inside an invocation already expanded */
        done = scan_invocation(cx, &mt, ex.off[i]);
    }
    mtable_free(&mt);
    free(ex.off);
}

/* H23: the expander, for macro.c (which rewrites invocations that expand
 * to a directive and its loop). */
struct tr_macros {
    struct mtable mt;
};

struct tr_macros *tr_macros_load(struct tr_ctx *cx) {
    struct tr_macros *ms = tr_xcalloc(1, sizeof *ms);
    ms->mt.cx = cx;
    clang_visitChildren(clang_getTranslationUnitCursor(cx->tu), mdef_visit,
                        &ms->mt);
    return ms;
}

unsigned tr_macros_expand(struct tr_macros *ms, unsigned off, char ***toks,
                          int *ntoks) {
    struct toks out = {0};
    unsigned end = expand_invocation(ms->mt.cx, &ms->mt, off, &out);
    *toks = out.v;
    *ntoks = out.n;
    return end;
}

void tr_macros_free(struct tr_macros *ms) {
    if (!ms)
        return;
    mtable_free(&ms->mt);
    free(ms);
}

static int by_off(const void *a, const void *b) {
    const struct tr_construct *x = a, *y = b;
    return x->dir.off < y->dir.off ? -1 : x->dir.off > y->dir.off;
}

/* Offset of the first `#pragma omp|weft` line of t[0..n) outside skipped
 * ranges, or n. */
static unsigned first_pragma(const char *t, unsigned n, CXSourceRangeList *sk) {
    unsigned p = 0;
    int line_start = 1;
    for (;;) {
        unsigned before = p;
        struct tr_tok tk = tr_lex(t, n, &p);
        if (tk.kind == TR_TK_EOF)
            return n;
        for (unsigned i = before; i < tk.off; i++)
            if (t[i] == '\n' && (i == 0 || t[i - 1] != '\\'))
                line_start = 1;
        if (line_start && tr_tok_is(t, tk, "#")) {
            unsigned q = p;
            struct tr_tok w = tr_lex(t, n, &q);
            struct tr_tok ns = tr_lex(t, n, &q);
            if (tr_tok_is(t, w, "pragma") &&
                (tr_tok_is(t, ns, "omp") || tr_tok_is(t, ns, "weft")) &&
                !in_skipped(sk, tk.off))
                return tk.off;
            while (p < n && !(t[p] == '\n' && t[p - 1] != '\\'))
                p++;
            line_start = 1;
            continue;
        }
        line_start = 0;
    }
}

/* Directives in the user's own headers are not translated (only the file
 * being compiled is): that is an error, never a silently serial loop.
 * System headers are left alone. */
static void header_visit(CXFile f, CXSourceLocation *stack, unsigned depth,
                         CXClientData data) {
    struct tr_ctx *cx = data;
    (void)stack;
    if (depth == 0 || clang_File_isEqual(f, cx->file))
        return;
    CXSourceLocation l0 = clang_getLocationForOffset(cx->tu, f, 0);
    if (clang_Location_isInSystemHeader(l0))
        return;
    size_t n = 0;
    const char *t = clang_getFileContents(cx->tu, f, &n);
    if (!t || n > 0xffffffffu)
        return;
    CXSourceRangeList *sk = clang_getSkippedRanges(cx->tu, f);
    unsigned at = first_pragma(t, (unsigned)n, sk);
    clang_disposeSourceRangeList(sk);
    if (at >= n)
        return;
    unsigned line = 1, col = 1;
    for (unsigned i = 0; i < at; i++) {
        if (t[i] == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }
    char *name = tr_cxstr(clang_getFileName(f));
    tr_error_at(cx, name, line, col,
                "OpenMP directives in included files are not supported yet; "
                "move the loop into a .c file that weft translates");
    free(name);
}

int tr_find_directives(struct tr_ctx *cx) {
    clang_getInclusions(cx->tu, header_visit, cx);
    CXSourceRangeList *sk = clang_getSkippedRanges(cx->tu, cx->file);
    const char *t = cx->text;
    unsigned n = cx->size, p = 0;
    int line_start = 1;
    for (;;) {
        unsigned before = p;
        struct tr_tok tk = tr_lex(t, n, &p);
        if (tk.kind == TR_TK_EOF)
            break;
        /* Was there a newline between the previous token and this one? */
        for (unsigned i = before; i < tk.off; i++)
            if (t[i] == '\n' && (i == 0 || t[i - 1] != '\\'))
                line_start = 1;
        if (before == 0)
            line_start = 1;
        if (line_start && tr_tok_is(t, tk, "#")) {
            /* A preprocessor line: runs to the first newline that is not
             * escaped by a backslash. */
            unsigned e = tk.off;
            while (e < n &&
                   !(t[e] == '\n' && t[e - 1] != '\\' &&
                     !(t[e - 1] == '\r' && e >= 2 && t[e - 2] == '\\')))
                e++;
            unsigned q = p;
            struct tr_tok w = tr_lex(t, e, &q);
            struct tr_tok ns = tr_lex(t, e, &q);
            if (tr_tok_is(t, w, "pragma") &&
                (tr_tok_is(t, ns, "omp") || tr_tok_is(t, ns, "weft")) &&
                !in_skipped(sk, tk.off)) {
                struct dsrc d = {t + tk.off, e - tk.off, tk.off, 1, tk.off};
                handle_directive(cx, &d, q - tk.off, tr_tok_is(t, ns, "weft"),
                                 tk.off, e);
            }
            p = e;
            line_start = 1;
            continue;
        }
        line_start = 0;
        if (tr_tok_is(t, tk, "_Pragma") && !in_skipped(sk, tk.off)) {
            unsigned q = p;
            struct tr_tok o = tr_lex(t, n, &q);
            struct tr_tok s = tr_lex(t, n, &q);
            struct tr_tok c = tr_lex(t, n, &q);
            if (tr_tok_is(t, o, "(") && s.kind == TR_TK_STR &&
                tr_tok_is(t, c, ")")) {
                handle_pragma_string(cx, t + s.off, s.len, tk.off, q, s.off);
                p = q;
            }
        }
    }
    clang_disposeSourceRangeList(sk);
    scan_macros(cx);
    if (cx->ncons)
        qsort(cx->cons, (size_t)cx->ncons, sizeof *cx->cons, by_off);
    for (int i = 0; i < cx->ncons; i++)
        cx->cons[i].id = cx->cons[i].id < 0 ? -1 : cx->id_base + i + 1;
    return cx->ndiags ? -1 : 0;
}
