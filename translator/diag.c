/* This file handles the translator's diagnostics: every user error is
 * recorded with its place in the user's file and printed, sorted by
 * position, as `file:line:col: error: <what>; <what to do>` on stderr when
 * the pipeline stops. Nothing is written to the output in that case. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tr.h"

struct tr_diag {
    char *file;
    unsigned line, col;
    char *msg;
};

void tr_line_col(const struct tr_ctx *cx, unsigned off, unsigned *line,
                 unsigned *col) {
    if (cx->mmap) {
        /* Pass 0 expanded macros in its text (H23): map back. */
        tr_macro_line_col(cx, off, line, col);
        return;
    }
    unsigned l = 1, c = 1;
    for (unsigned i = 0; i < off && i < cx->size; i++) {
        if (cx->text[i] == '\n') {
            l++;
            c = 1;
            /* Later passes (H12) read generated text: its `#line N`
             * directives give the user's line of the next line. */
            if (cx->pass > 0 && strncmp(cx->text + i + 1, "#line ", 6) == 0) {
                unsigned long n = strtoul(cx->text + i + 7, NULL, 10);
                unsigned j = i + 1;
                while (j < cx->size && cx->text[j] != '\n')
                    j++;
                if (j < off) {
                    l = (unsigned)n;
                    i = j;
                }
            }
        } else {
            c++;
        }
    }
    *line = l;
    *col = c;
}

void tr_error_at(struct tr_ctx *cx, const char *file, unsigned line,
                 unsigned col, const char *msg) {
    /* The same place and text can be reached twice (a clause checked both
     * for syntax and for meaning): keep the first. */
    for (int i = 0; i < cx->ndiags; i++)
        if (cx->diags[i].line == line && cx->diags[i].col == col &&
            strcmp(cx->diags[i].msg, msg) == 0)
            return;
    if (cx->ndiags == cx->cap_diags) {
        cx->cap_diags = cx->cap_diags ? 2 * cx->cap_diags : 8;
        cx->diags =
            tr_xrealloc(cx->diags, (size_t)cx->cap_diags * sizeof *cx->diags);
    }
    struct tr_diag *d = &cx->diags[cx->ndiags++];
    d->file = tr_strdup(file);
    d->line = line;
    d->col = col;
    d->msg = tr_strdup(msg);
}

void tr_error(struct tr_ctx *cx, unsigned off, const char *fmt, ...) {
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    unsigned line, col;
    tr_line_col(cx, off, &line, &col);
    tr_error_at(cx, cx->display, line, col, msg);
}

static int by_place(const void *a, const void *b) {
    const struct tr_diag *x = a, *y = b;
    int f = strcmp(x->file, y->file);
    if (f)
        return f;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    if (x->col != y->col)
        return x->col < y->col ? -1 : 1;
    return 0;
}

void tr_diag_flush(struct tr_ctx *cx) {
    /* Errors are recorded pass by pass; the user reads them in source
     * order, as a compiler prints them. */
    if (cx->ndiags)
        qsort(cx->diags, (size_t)cx->ndiags, sizeof *cx->diags, by_place);
    for (int i = 0; i < cx->ndiags; i++) {
        struct tr_diag *d = &cx->diags[i];
        fprintf(stderr, "%s:%u:%u: error: %s\n", d->file, d->line, d->col,
                d->msg);
        free(d->file);
        free(d->msg);
    }
    free(cx->diags);
    cx->diags = NULL;
    cx->ndiags = cx->cap_diags = 0;
}

void tr_buf_add_line(struct tr_ctx *cx, struct tr_buf *b, unsigned off,
                     int pad) {
    unsigned line, col;
    tr_line_col(cx, off, &line, &col);
    tr_buf_printf(b, "\n#line %u \"", line);
    tr_buf_add_cstr(b, cx->display);
    tr_buf_add(b, "\"\n");
    for (unsigned i = 1; pad && i < col; i++)
        tr_buf_add(b, " ");
}
