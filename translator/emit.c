/* This file handles the emit pass and the library entry point: it collects
 * the text edits of every construct (chunk functions before the enclosing
 * function, call sites in place of pragma and loop, WEFT_main_enter at the
 * top of main), applies them as one sorted edit list over the original
 * buffer, and writes the result with a prologue that includes the ABI
 * header and checks its version. `#line` directives keep the real
 * compiler's diagnostics and the debugger on the user's file and lines. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tr.h"

struct edit {
    unsigned off, end; /* replaced range; off == end for an insertion */
    int order;         /* insertions before replacements at one offset */
    char *text;
};

static int by_pos(const void *a, const void *b) {
    const struct edit *x = a, *y = b;
    if (x->off != y->off)
        return x->off < y->off ? -1 : 1;
    return x->order - y->order;
}

static void add_cstr(struct tr_buf *b, const char *s) {
    for (; *s; s++) {
        if (*s == '\\' || *s == '"')
            tr_buf_addn(b, "\\", 1);
        tr_buf_addn(b, s, 1);
    }
}

/* Writes the whole output to path ("-" = stdout). The file is written to
 * a temporary name next to it and renamed, so a failed run leaves no
 * half-written output behind. */
static int write_out(const char *path, const char *s, size_t n) {
    if (strcmp(path, "-") == 0) {
        if (fwrite(s, 1, n, stdout) != n || fflush(stdout)) {
            fprintf(stderr, "weft-translate: cannot write stdout\n");
            return -2;
        }
        return 0;
    }
    size_t pl = strlen(path);
    char *tmp = tr_xcalloc(pl + 32, 1);
    snprintf(tmp, pl + 32, "%s.tmp%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        fprintf(stderr, "weft-translate: cannot create %s: %s\n", tmp,
                strerror(errno));
        free(tmp);
        return -2;
    }
    int ok = fwrite(s, 1, n, f) == n;
    ok = (fclose(f) == 0) && ok;
    if (!ok || rename(tmp, path) != 0) {
        fprintf(stderr, "weft-translate: cannot write %s: %s\n", path,
                strerror(errno));
        remove(tmp);
        free(tmp);
        return -2;
    }
    free(tmp);
    return 0;
}

int tr_emit(struct tr_ctx *cx, const char *out_path) {
    if (cx->ncons == 0 && !cx->has_main) {
        /* Nothing to lower: the output is the input, byte for byte. */
        return write_out(out_path, cx->text, cx->size);
    }
    struct edit *ed = tr_xcalloc((size_t)(2 * cx->ncons + 3), sizeof *ed);
    int ne = 0;
    struct tr_buf pro = {0};
    tr_buf_add(&pro, "#include <weft/abi.h>\n"
                     "#if WEFT_ABI_VERSION != 1\n"
                     "#error \"this file was translated by weft-translate for "
                     "ABI 1; weft/abi.h says otherwise\"\n"
                     "#endif\n");
    tr_cluster_prologue(cx, &pro);
    tr_buf_add(&pro, "#line 1 \"");
    add_cstr(&pro, cx->display);
    tr_buf_add(&pro, "\"\n");
    ed[ne++] = (struct edit){0, 0, 0, pro.s};

    /* Chunk functions: all constructs of one function go together, just
     * before it, followed by a #line back to the function's own place. */
    for (int i = 0; i < cx->ncons; i++) {
        struct tr_construct *c = &cx->cons[i];
        struct tr_buf bf = {0}, cs = {0};
        tr_outline(cx, c, &bf, &cs);
        int first =
            i == 0 || !clang_equalCursors(cx->cons[i - 1].func, c->func);
        int last = i + 1 == cx->ncons ||
                   !clang_equalCursors(cx->cons[i + 1].func, c->func);
        if (first) {
            ed[ne++] =
                (struct edit){c->func_line_off, c->func_line_off, 1, bf.s};
        } else {
            struct edit *prev = NULL;
            for (int k = 0; k < ne; k++)
                if (ed[k].off == c->func_line_off && ed[k].order == 1)
                    prev = &ed[k];
            struct tr_buf m = {0};
            tr_buf_add(&m, prev->text);
            tr_buf_add(&m, bf.s);
            free(prev->text);
            prev->text = m.s;
            tr_buf_free(&bf);
        }
        if (last) {
            struct edit *prev = NULL;
            for (int k = 0; k < ne; k++)
                if (ed[k].off == c->func_line_off && ed[k].order == 1)
                    prev = &ed[k];
            struct tr_buf m = {0};
            unsigned line, col;
            tr_line_col(cx, c->func_line_off, &line, &col);
            tr_buf_add(&m, prev->text);
            tr_buf_printf(&m, "#line %u \"", line);
            add_cstr(&m, cx->display);
            tr_buf_add(&m, "\"\n");
            for (unsigned k = 1; k < col; k++)
                tr_buf_add(&m, " ");
            free(prev->text);
            prev->text = m.s;
        }
        /* The call site keeps the line count of what it replaces. */
        for (unsigned k = c->replace_off; k < c->replace_end; k++)
            if (cx->text[k] == '\n')
                tr_buf_add(&cs, "\n");
        ed[ne++] = (struct edit){c->replace_off, c->replace_end, 2, cs.s};
        if (cx->verbose) {
            static const char *const cls[] = {"copy",
                                              "by pointer",
                                              "private",
                                              "firstprivate",
                                              "lastprivate",
                                              "reduction",
                                              "global (named directly)"};
            fprintf(stderr,
                    "weft-translate: %s:%u: parallel for in %s(): "
                    "%d loop(s), chunk function __weft_body_%d\n",
                    cx->display, c->dir.line, c->func_name, c->nloops, c->id);
            for (int j = 0; j < c->nloops; j++)
                fprintf(stderr,
                        "weft-translate:   loop %s (%s): from %s, "
                        "step %s, to %s\n",
                        c->loops[j].var, c->loops[j].type, c->loops[j].lb,
                        c->loops[j].step, c->loops[j].ub);
            for (int j = 0; j < c->nvars; j++)
                fprintf(stderr, "weft-translate:   %s %s: %s%s%s\n",
                        c->vars[j].type, c->vars[j].name, cls[c->vars[j].cls],
                        c->vars[j].written ? ", written" : "",
                        c->vars[j].addr_taken ? ", address taken" : "");
        }
    }
    if (cx->has_main) {
        struct tr_buf m = {0};
        unsigned line, col;
        tr_line_col(cx, cx->main_body_off - 1, &line, &col);
        tr_buf_add(&m, " static const struct weft_loc __weft_main_loc = {\"");
        add_cstr(&m, cx->display);
        tr_buf_printf(&m,
                      "\", \"main\", %u, %u}; WEFT_main_enter("
                      "&__weft_main_loc, WEFT_ABI_VERSION);",
                      line, col);
        ed[ne++] = (struct edit){cx->main_body_off, cx->main_body_off, 0, m.s};
    }
    {
        /* Cluster loops: the body table and its constructor go last. */
        struct tr_buf tail = {0};
        if (tr_cluster_epilogue(cx, &tail))
            ed[ne++] = (struct edit){cx->size, cx->size, 3, tail.s};
    }
    qsort(ed, (size_t)ne, sizeof *ed, by_pos);

    struct tr_buf out = {0};
    unsigned p = 0;
    for (int i = 0; i < ne; i++) {
        if (ed[i].off < p) {
            fprintf(stderr,
                    "weft-translate: internal error: overlapping "
                    "edits at offset %u\n",
                    ed[i].off);
            return -2;
        }
        tr_buf_addn(&out, cx->text + p, ed[i].off - p);
        tr_buf_add(&out, ed[i].text);
        p = ed[i].end > ed[i].off ? ed[i].end : ed[i].off;
    }
    tr_buf_addn(&out, cx->text + p, cx->size - p);
    int rc = write_out(out_path, out.s, out.len);
    for (int i = 0; i < ne; i++)
        free(ed[i].text);
    free(ed);
    tr_buf_free(&out);
    return rc;
}

static void ctx_free(struct tr_ctx *cx) {
    for (int i = 0; i < cx->ncons; i++) {
        struct tr_construct *c = &cx->cons[i];
        struct tr_directive *d = &c->dir;
        for (int j = 0; j < d->nvars; j++) {
            free(d->vars[j].name);
            free(d->vars[j].sec_lo);
            free(d->vars[j].sec_len);
        }
        free(d->vars);
        free(d->chunk);
        free(d->num_threads);
        free(d->if_expr);
        /* A loop whose header failed to parse may hold some fields. */
        for (int j = 0; j < 8; j++) {
            free(c->loops[j].var);
            free(c->loops[j].type);
            free(c->loops[j].lb);
            free(c->loops[j].ub);
            free(c->loops[j].step);
        }
        for (int j = 0; j < c->nvars; j++) {
            free(c->vars[j].name);
            free(c->vars[j].type);
            free(c->vars[j].canon);
            free(c->vars[j].refs);
        }
        free(c->vars);
        free(c->types);
        free(c->func_name);
        free(c->proto);
        free(c->hints);
        tr_cluster_free(c);
    }
    free(cx->cons);
    free(cx->macros);
    free(cx->mexp);
    if (cx->tu)
        clang_disposeTranslationUnit(cx->tu);
    if (cx->index)
        clang_disposeIndex(cx->index);
    free(cx->text);
}

int tr_translate_file(const char *in_path, const char *out_path,
                      const char *const *cc_args, int n_cc_args,
                      const struct tr_options *opt) {
    struct tr_ctx cx;
    memset(&cx, 0, sizeof cx);
    cx.path = in_path;
    cx.display = opt && opt->display_name ? opt->display_name : in_path;
    cx.verbose = opt ? opt->verbose : 0;
    int rc = tr_parse(&cx, cc_args, n_cc_args);
    if (rc == 0 || rc == -1) {
        /* Directive errors are reported along with parse errors: both are
         * the user's to fix, and a clause error is often the cause. */
        int r2 = tr_find_directives(&cx);
        if (rc == 0 && r2 == 0)
            rc = tr_analyze(&cx);
        else
            rc = -1;
    }
    if (rc == 0)
        rc = tr_emit(&cx, out_path);
    if (cx.ndiags)
        tr_diag_flush(&cx);
    ctx_free(&cx);
    if (rc == -1)
        return TR_USER_ERROR;
    if (rc == -2)
        return TR_INTERNAL;
    return TR_OK;
}
