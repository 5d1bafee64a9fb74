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
#include <ctype.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tr.h"
#include "tucache.h"

/* struct tr_edit (tr.h): in-place constructs (region.c) add to the list. */
#define edit tr_edit

static int by_pos(const void *a, const void *b) {
    const struct edit *x = a, *y = b;
    if (x->off != y->off)
        return x->off < y->off ? -1 : 1;
    return x->order - y->order;
}

/* Writes the whole output to path ("-" = stdout). A regular file (or a new
 * one) is written to a temporary name next to it and renamed, so a failed
 * run leaves no half-written output behind. Anything else (/dev/null, a
 * FIFO, a terminal) is written in place: renaming over it would replace
 * the device node with a regular file. */
static int write_out(const char *path, const char *s, size_t n) {
    struct stat st;
    int direct = strcmp(path, "-") == 0;
    if (!direct && stat(path, &st) == 0 && !S_ISREG(st.st_mode))
        direct = 1;
    if (direct) {
        FILE *o = strcmp(path, "-") == 0 ? stdout : fopen(path, "wb");
        int ok = o && fwrite(s, 1, n, o) == n;
        ok = o && (o == stdout ? fflush(o) == 0 : fclose(o) == 0) && ok;
        if (!ok) {
            fprintf(stderr, "weft-translate: cannot write %s\n",
                    o == stdout ? "stdout" : path);
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

/* Skips blanks and comments from p; returns the new position. Stops at a
 * newline when stop_nl is set (directives end there). */
static size_t skip_space(const char *t, size_t n, size_t p, int stop_nl) {
    while (p < n) {
        if (t[p] == '\\' && p + 1 < n && t[p + 1] == '\n')
            p += 2;
        else if (t[p] == '\n' && stop_nl)
            return p;
        else if (t[p] == ' ' || t[p] == '\t' || t[p] == '\r' || t[p] == '\f' ||
                 t[p] == '\v' || t[p] == '\n')
            p++;
        else if (t[p] == '/' && p + 1 < n && t[p + 1] == '*') {
            const char *e = p + 2 < n ? strstr(t + p + 2, "*/") : NULL;
            if (!e || (size_t)(e - t) >= n)
                return n;
            p = (size_t)(e - t) + 2;
        } else if (t[p] == '/' && p + 1 < n && t[p + 1] == '/') {
            while (p < n && t[p] != '\n')
                p++;
        } else
            break;
    }
    return p;
}

/* Where the prologue (#include <weft/abi.h>) goes: after the leading
 * comments and feature-test macro lines (`#define _GNU_SOURCE`, also inside
 * `#ifndef _X ... #endif`), because abi.h pulls in libc headers that fix
 * the feature set, and a feature macro defined after them would silently
 * do nothing. Names that start with `_` and a capital are reserved for
 * exactly such macros; anything else ends the scan. Returns a line start. */
static size_t prologue_offset(const char *t, size_t n) {
    size_t p = 0, safe = 0;
    int depth = 0;
    for (;;) {
        p = skip_space(t, n, p, 0);
        if (p >= n || t[p] != '#')
            break;
        size_t q = skip_space(t, n, p + 1, 1), w = q;
        while (q < n && (isalnum((unsigned char)t[q]) || t[q] == '_'))
            q++;
        size_t wl = q - w;
        q = skip_space(t, n, q, 1);
        int feature = q + 1 < n && t[q] == '_' &&
                      (isupper((unsigned char)t[q + 1]) || t[q + 1] == '_');
        int ok;
        if (wl == 6 && !strncmp(t + w, "define", 6))
            ok = feature;
        else if (wl == 5 && !strncmp(t + w, "undef", 5))
            ok = feature;
        else if ((wl == 6 && !strncmp(t + w, "ifndef", 6)) ||
                 (wl == 5 && !strncmp(t + w, "ifdef", 5)))
            ok = feature && ++depth > 0;
        else if (wl == 5 && !strncmp(t + w, "endif", 5))
            ok = depth-- > 0;
        else
            ok = 0;
        if (!ok)
            break;
        /* To the end of the directive (continuation lines included). */
        while (q < n && t[q] != '\n') {
            if (t[q] == '\\' && q + 1 < n && t[q + 1] == '\n')
                q++;
            q++;
        }
        p = q < n ? q + 1 : n;
        if (depth == 0)
            safe = p;
    }
    return safe;
}

int tr_emit(struct tr_ctx *cx, const char *out_path) {
    if (cx->ncons == 0 && !cx->has_main) {
        /* Nothing to lower: the output is the input, byte for byte. */
        return write_out(out_path, cx->text, cx->size);
    }
    struct edit *ed = tr_xcalloc((size_t)(2 * cx->ncons + 3), sizeof *ed);
    int ne = 0;
    /* In-place constructs (H12): their edits go at the end of the list. */
    struct tr_edit *ied = NULL;
    int nied = 0;
    struct tr_buf pro = {0};
    tr_buf_add(&pro, "#include <weft/abi.h>\n"
                     "#if WEFT_ABI_VERSION != 1\n"
                     "#error \"this file was translated by weft-translate for "
                     "ABI 1; weft/abi.h says otherwise\"\n"
                     "#endif\n");
    tr_cluster_prologue(cx, &pro);
    size_t pro_off = prologue_offset(cx->text, cx->size);
    unsigned pro_line = 1, pro_col;
    if (pro_off)
        tr_line_col(cx, pro_off, &pro_line, &pro_col);
    tr_buf_printf(&pro, "#line %u \"", pro_line);
    tr_buf_add_cstr(&pro, cx->display);
    tr_buf_add(&pro, "\"\n");
    /* A later pass (H12) re-reads output that has the prologue already. */
    if (cx->pass == 0)
        ed[ne++] = (struct edit){pro_off, pro_off, 0, pro.s};
    else
        tr_buf_free(&pro);

    /* Chunk functions: all constructs of one function go together, just
     * before it, followed by a #line back to the function's own place. */
    for (int i = 0; i < cx->ncons; i++) {
        struct tr_construct *c = &cx->cons[i];
        if (!tr_kind_outlined(c->dir.kind)) {
            tr_inline_edits(cx, c, &ied, &nied);
            continue;
        }
        struct tr_buf bf = {0}, cs = {0};
        tr_outline(cx, c, &bf, &cs);
        /* A construct whose outlining failed has reported its errors and
         * left the buffers empty; the pass still assembles its edits. */
        if (!bf.s)
            tr_buf_add(&bf, "");
        if (!cs.s)
            tr_buf_add(&cs, "");
        /* Neighbours among the outlined constructs only. */
        int pi = i - 1, ni = i + 1;
        while (pi >= 0 && !tr_kind_outlined(cx->cons[pi].dir.kind))
            pi--;
        while (ni < cx->ncons && !tr_kind_outlined(cx->cons[ni].dir.kind))
            ni++;
        int first = pi < 0 || !clang_equalCursors(cx->cons[pi].func, c->func);
        int last =
            ni >= cx->ncons || !clang_equalCursors(cx->cons[ni].func, c->func);
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
            tr_buf_add_cstr(&m, cx->display);
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
        tr_buf_add_cstr(&m, cx->display);
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
    if (nied) {
        ed = tr_xrealloc(ed, (size_t)(ne + nied) * sizeof *ed);
        memcpy(ed + ne, ied, (size_t)nied * sizeof *ed);
        ne += nied;
    }
    free(ied);
    if (cx->ndiags) {
        /* An in-place construct was malformed (H12): no output. */
        for (int i = 0; i < ne; i++)
            free(ed[i].text);
        free(ed);
        return -1;
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
    for (int i = 0; i < cx->ncons + cx->ndeferred; i++) {
        struct tr_construct *c = &cx->cons[i];
        struct tr_directive *d = &c->dir;
        for (int j = 0; j < d->nvars; j++) {
            free(d->vars[j].name);
            free(d->vars[j].sec_lo);
            free(d->vars[j].sec_len);
            free(d->vars[j].udr_id); /* H27 */
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
        free(c->user_func);
        free(c->proto);
        free(c->hints);
        free(d->arg);
        free(d->filter);
        free(d->clause_text);
        free(d->final_expr); /* H18: task clauses */
        free(d->priority);
        free(d->grainsize);
        free(d->num_tasks);
        for (int j = 0; j < d->ndeps; j++)
            free(d->deps[j].addr);
        free(d->deps);
        for (int j = 0; j < c->nxed; j++)
            free(c->xed[j].text);
        free(c->xed);
        tr_cluster_free(c);
    }
    free(cx->cons);
    free(cx->macros);
    free(cx->mexp);
    tr_macro_free(cx);
    if (cx->tukey && cx->tu) {
        /* H29: the TU goes back to the worker's cache, which owns it. */
        tr_tucache_put(cx->tukey, cx->index, cx->tu, cx->file,
                       cx->parse_start_ns);
        free(cx->tukey);
        cx->tukey = NULL;
        cx->tu = NULL;
        cx->index = NULL;
    } else if (cx->tukey) {
        tr_tukey_free(cx->tukey);
        free(cx->tukey);
    }
    if (cx->tu)
        clang_disposeTranslationUnit(cx->tu);
    if (cx->index)
        clang_disposeIndex(cx->index);
    free(cx->text);
}

/* One pass over path: parse, find, analyze, emit to out_path. Sets
 * *more when constructs were left for a later pass (H12). */
static int one_pass(const char *path, const char *display, int pass,
                    int id_base, const char *out_path,
                    const char *const *cc_args, int n_cc_args,
                    const struct tr_options *opt, int *more, int *next_id,
                    char ***user_funcs, int *nuser_funcs,
                    struct tr_udrs *udrs) {
    struct tr_ctx cx;
    memset(&cx, 0, sizeof cx);
    cx.path = path;
    cx.display = display;
    cx.verbose = opt ? opt->verbose : 0;
    cx.pass = pass;
    cx.id_base = id_base;
    cx.user_funcs = user_funcs;
    cx.nuser_funcs = nuser_funcs;
    cx.udrs = udrs;
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
    /* WEFT_main_enter goes in once, by the first pass. */
    if (pass > 0)
        cx.has_main = 0;
    if (rc == 0)
        rc = tr_emit(&cx, out_path);
    *more = cx.ndeferred > 0;
    *next_id = id_base + cx.ncons + cx.ndeferred;
    /* H19: the next pass finds the user's function of what it lowers in
     * __weft_<what>_<id> by id. */
    if (*next_id > *nuser_funcs) {
        *user_funcs =
            tr_xrealloc(*user_funcs, (size_t)*next_id * sizeof **user_funcs);
        for (int i = *nuser_funcs; i < *next_id; i++)
            (*user_funcs)[i] = NULL;
        *nuser_funcs = *next_id;
    }
    for (int i = 0; i < cx.ncons + cx.ndeferred; i++) {
        struct tr_construct *c = &cx.cons[i];
        if (c->id >= 0 && c->id < *nuser_funcs && c->user_func &&
            !(*user_funcs)[c->id])
            (*user_funcs)[c->id] = tr_strdup(c->user_func);
    }
    if (cx.ndiags)
        tr_diag_flush(&cx);
    ctx_free(&cx);
    return rc;
}

/* Reads a whole file into b; 0 or -2. */
static int slurp(const char *path, struct tr_buf *b) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return -2;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        tr_buf_addn(b, chunk, n);
    fclose(f);
    if (!b->s)
        tr_buf_add(b, "");
    return 0;
}

/* Constructs nested in outlined ones (H12) are lowered by later passes
 * over the previous pass's output, each lowering the outermost level, so a
 * region function's body is translated like any other function. Scratch
 * files carry the text between passes; out_path gets the last one. */
int tr_translate_file(const char *in_path, const char *out_path,
                      const char *const *cc_args, int n_cc_args,
                      const struct tr_options *opt) {
    const char *display =
        opt && opt->display_name ? opt->display_name : in_path;
    const char **args = tr_xcalloc((size_t)n_cc_args + 6, sizeof *args);
    for (int i = 0; i < n_cc_args; i++)
        args[i] = cc_args[i];
    int nargs = n_cc_args;
#ifdef TR_WEFT_INCLUDE_DIR
    /* Later passes parse output that includes <weft/abi.h>; weftcc passes
     * weft's include directory, weft-translate may not. */
    args[nargs++] = "-idirafter";
    args[nargs++] = TR_WEFT_INCLUDE_DIR;
#endif
    /* `#include "x.h"` looks next to the including file: the scratch
     * files live elsewhere, so later passes look next to the user's. */
    char *dir = tr_strdup(in_path);
    char *slash = strrchr(dir, '/');
    if (slash)
        slash[slash == dir ? 1 : 0] = 0;
    args[nargs++] = "-iquote";
    args[nargs++] = slash ? dir : ".";
    char scratch[2][40];
    const char *src = in_path;
    int rc = 0, more = 0, next_id = 0;
    char **user_funcs = NULL; /* H19: by construct id, for weft_loc.func */
    int nuser_funcs = 0;
    struct tr_udrs udrs = {0}; /* H27: declare reduction, for every pass */
    for (int pass = 0;; pass++) {
        char *dst = scratch[pass % 2];
        snprintf(dst, sizeof scratch[0], "/tmp/weft-passXXXXXX.c");
        int fd = mkstemps(dst, 2);
        if (fd < 0) {
            fprintf(stderr,
                    "weft-translate: cannot create a scratch file: "
                    "%s\n",
                    strerror(errno));
            rc = -2;
            break;
        }
        close(fd);
        rc = one_pass(src, display, pass, next_id, dst, pass ? args : cc_args,
                      pass ? nargs : n_cc_args, opt, &more, &next_id,
                      &user_funcs, &nuser_funcs, &udrs);
        /* WEFT_TRANSLATE_KEEP=1 keeps every pass's output, to debug. */
        int keep = getenv("WEFT_TRANSLATE_KEEP") != NULL;
        if (keep)
            fprintf(stderr, "weft-translate: pass %d: %s\n", pass, dst);
        if (pass > 0 && !keep)
            remove(src);
        if (rc == 0 && more && pass >= 15) {
            fprintf(stderr,
                    "weft-translate: %s: constructs nested more "
                    "than 16 deep\n",
                    display);
            rc = -2;
        }
        if (rc != 0 || !more) {
            if (rc == 0) {
                struct tr_buf b = {0};
                rc = slurp(dst, &b);
                if (rc == 0)
                    rc = write_out(out_path, b.s, b.len);
                tr_buf_free(&b);
            }
            if (!keep)
                remove(dst);
            break;
        }
        src = dst;
    }
    free(args);
    free(dir);
    for (int i = 0; i < nuser_funcs; i++)
        free(user_funcs[i]);
    free(user_funcs);
    tr_udrs_free(&udrs);
    if (rc == -1)
        return TR_USER_ERROR;
    if (rc == -2)
        return TR_INTERNAL;
    return TR_OK;
}
