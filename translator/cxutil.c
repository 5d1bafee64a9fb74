/* This file handles the translator's small utilities: growable strings,
 * CXString copying, source offsets of cursors, and a scanner for C tokens
 * that the passes use on the user's original text (pragma clauses, loop
 * headers, operators that libclang 14 does not expose). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tr.h"

static void oom(void) {
    fputs("weft-translate: out of memory\n", stderr);
    abort();
}

void *tr_xcalloc(size_t n, size_t size) {
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        oom();
    return p;
}

void *tr_xrealloc(void *p, size_t size) {
    p = realloc(p, size ? size : 1);
    if (!p)
        oom();
    return p;
}

char *tr_strndup(const char *s, size_t n) {
    char *r = tr_xcalloc(n + 1, 1);
    memcpy(r, s, n);
    return r;
}

char *tr_strdup(const char *s) { return tr_strndup(s, strlen(s)); }

void tr_buf_addn(struct tr_buf *b, const char *s, size_t n) {
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        b->s = tr_xrealloc(b->s, cap);
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void tr_buf_add(struct tr_buf *b, const char *s) {
    tr_buf_addn(b, s, strlen(s));
}

void tr_buf_printf(struct tr_buf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    char *tmp = tr_xcalloc((size_t)n + 1, 1);
    va_start(ap, fmt);
    vsnprintf(tmp, (size_t)n + 1, fmt, ap);
    va_end(ap);
    tr_buf_addn(b, tmp, (size_t)n);
    free(tmp);
}

void tr_buf_free(struct tr_buf *b) {
    free(b->s);
    b->s = NULL;
    b->len = b->cap = 0;
}

char *tr_cxstr(CXString s) {
    const char *c = clang_getCString(s);
    char *r = tr_strdup(c ? c : "");
    clang_disposeString(s);
    return r;
}

unsigned tr_cursor_off(CXCursor c) {
    unsigned off = 0;
    clang_getExpansionLocation(clang_getCursorLocation(c), NULL, NULL, NULL,
                               &off);
    return off;
}

/* The end of an extent given as a macro expansion is the start of the
 * expansion's last token, so the caller re-scans one token past it when it
 * needs the exact end; plain source gives the exact end already. */
void tr_cursor_range(CXCursor c, unsigned *b, unsigned *e) {
    CXSourceRange r = clang_getCursorExtent(c);
    clang_getExpansionLocation(clang_getRangeStart(r), NULL, NULL, NULL, b);
    clang_getExpansionLocation(clang_getRangeEnd(r), NULL, NULL, NULL, e);
}

int tr_in_main(struct tr_ctx *cx, CXCursor c) {
    CXFile f = NULL;
    clang_getExpansionLocation(clang_getCursorLocation(c), &f, NULL, NULL,
                               NULL);
    return f && clang_File_isEqual(f, cx->file);
}

struct kids {
    CXCursor *v;
    int n, cap;
};

static enum CXChildVisitResult collect(CXCursor c, CXCursor parent,
                                       CXClientData data) {
    struct kids *k = data;
    (void)parent;
    if (k->n == k->cap) {
        k->cap = k->cap ? 2 * k->cap : 8;
        k->v = tr_xrealloc(k->v, (size_t)k->cap * sizeof *k->v);
    }
    k->v[k->n++] = c;
    return CXChildVisit_Continue;
}

int tr_children(CXCursor c, CXCursor **out) {
    struct kids k = {0};
    clang_visitChildren(c, collect, &k);
    *out = k.v;
    return k.n;
}

char *tr_text(const struct tr_ctx *cx, unsigned b, unsigned e) {
    if (e > cx->size)
        e = cx->size;
    if (b > e)
        b = e;
    return tr_strndup(cx->text + b, e - b);
}

/* Skips white space, comments and backslash-newlines. */
static unsigned skip_space(const char *t, unsigned end, unsigned p) {
    for (;;) {
        if (p >= end)
            return end;
        char ch = t[p];
        if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' ||
            ch == '\v') {
            p++;
        } else if (ch == '\\' && p + 1 < end &&
                   (t[p + 1] == '\n' || t[p + 1] == '\r')) {
            p += 2;
        } else if (ch == '/' && p + 1 < end && t[p + 1] == '/') {
            while (p < end && t[p] != '\n')
                p++;
        } else if (ch == '/' && p + 1 < end && t[p + 1] == '*') {
            p += 2;
            while (p + 1 < end && !(t[p] == '*' && t[p + 1] == '/'))
                p++;
            p = p + 2 < end ? p + 2 : end;
        } else {
            return p;
        }
    }
}

static int is_ident_char(char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
           (ch >= '0' && ch <= '9') || ch == '_' || ch == '$';
}

struct tr_tok tr_lex(const char *t, unsigned end, unsigned *pos) {
    static const char *const puncts[] = {
        "<<=", ">>=", "...", "->", "++", "--", "<<", ">>",
        "<=",  ">=",  "==",  "!=", "&&", "||", "*=", "/=",
        "%=",  "+=",  "-=",  "&=", "^=", "|=", "##", NULL};
    struct tr_tok tk = {TR_TK_EOF, 0, 0};
    unsigned p = skip_space(t, end, *pos);
    tk.off = p;
    if (p >= end) {
        *pos = end;
        return tk;
    }
    char ch = t[p];
    unsigned q = p + 1;
    if (is_ident_char(ch) && !(ch >= '0' && ch <= '9')) {
        while (q < end && is_ident_char(t[q]))
            q++;
        tk.kind = TR_TK_IDENT;
        /* L"..", u8'..' prefixes belong to the literal. */
        if (q < end && (t[q] == '"' || t[q] == '\'') && q - p <= 2) {
            ch = t[q];
            q++;
            goto literal;
        }
    } else if ((ch >= '0' && ch <= '9') ||
               (ch == '.' && q < end && t[q] >= '0' && t[q] <= '9')) {
        while (q < end && (is_ident_char(t[q]) || t[q] == '.' ||
                           ((t[q] == '+' || t[q] == '-') &&
                            (t[q - 1] == 'e' || t[q - 1] == 'E' ||
                             t[q - 1] == 'p' || t[q - 1] == 'P'))))
            q++;
        tk.kind = TR_TK_NUM;
    } else if (ch == '"' || ch == '\'') {
    literal:
        while (q < end && t[q] != ch && t[q] != '\n') {
            if (t[q] == '\\' && q + 1 < end)
                q++;
            q++;
        }
        if (q < end && t[q] == ch)
            q++;
        tk.kind = TR_TK_STR;
    } else {
        tk.kind = TR_TK_PUNCT;
        for (int i = 0; puncts[i]; i++) {
            size_t n = strlen(puncts[i]);
            if (p + n <= end && memcmp(t + p, puncts[i], n) == 0) {
                q = p + (unsigned)n;
                break;
            }
        }
    }
    tk.len = q - p;
    *pos = q;
    return tk;
}

int tr_tok_is(const char *text, struct tr_tok t, const char *s) {
    size_t n = strlen(s);
    return t.kind != TR_TK_EOF && t.len == n && memcmp(text + t.off, s, n) == 0;
}

void tr_buf_add_cstr(struct tr_buf *b, const char *s) {
    for (; *s; s++) {
        if (*s == '\\' || *s == '"')
            tr_buf_addn(b, "\\", 1);
        tr_buf_addn(b, s, 1);
    }
}
