/* This file handles the parse pass: it reads the user's file, hands it to
 * libclang with the user's compiler flags, and reports libclang's errors
 * (the real compiler would fail on them too) as file:line:col.
 *
 * The file is parsed WITHOUT -fopenmp on purpose: libclang 14 exposes an
 * OpenMP directive's associated statement only as an unexposed
 * CapturedStmt whose visitor lists the captures, not the loop, so the loop
 * body could not be analysed. Parsed as plain C, every pragma is ignored and
 * the loops are ordinary ForStmt cursors; directive.c finds the pragmas in
 * the text (and in macro definitions for _Pragma) instead.
 *
 * In a translation-server worker the TU may also come from, and go back
 * to, the worker's cache of parsed files (use_cache, tucache.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "tr.h"
#include "tucache.h"

static double cpu_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

/* WEFT_TRANSLATE_TIMES=1 (as in server.c): the cache's decisions. */
static int times_on(void) {
    const char *s = getenv("WEFT_TRANSLATE_TIMES");
    return s && *s && strcmp(s, "0") != 0;
}

static int read_file(struct tr_ctx *cx) {
    FILE *f = fopen(cx->path, "rb");
    if (!f) {
        fprintf(stderr, "weft-translate: cannot open %s\n", cx->path);
        return -2;
    }
    struct tr_buf b = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        tr_buf_addn(&b, chunk, n);
    int err = ferror(f);
    fclose(f);
    if (err) {
        fprintf(stderr, "weft-translate: cannot read %s\n", cx->path);
        tr_buf_free(&b);
        return -2;
    }
    if (!b.s)
        tr_buf_add(&b, "");
    cx->text = b.s;
    cx->size = (unsigned)b.len;
    return 0;
}

static const char *error_code_text(enum CXErrorCode e) {
    switch (e) {
    case CXError_Success:
        return "success";
    case CXError_Failure:
        return "generic libclang failure";
    case CXError_Crashed:
        return "libclang crashed";
    case CXError_InvalidArguments:
        return "invalid arguments to libclang";
    case CXError_ASTReadError:
        return "AST deserialisation error";
    }
    return "unknown libclang error";
}

/* Flags that make libclang parse differently from the plain C we need:
 * -fopenmp hides loop bodies (see the file comment); output and link flags
 * mean nothing to a parse. */
static int drop_arg(const char *a) {
    return strncmp(a, "-fopenmp", 8) == 0 || strcmp(a, "-c") == 0;
}

/* Records libclang's errors as the user's; returns -1 if there were any. */
static int report(struct tr_ctx *cx) {
    int before = cx->ndiags;
    unsigned nd = clang_getNumDiagnostics(cx->tu);
    for (unsigned i = 0; i < nd; i++) {
        CXDiagnostic d = clang_getDiagnostic(cx->tu, i);
        enum CXDiagnosticSeverity sev = clang_getDiagnosticSeverity(d);
        if (sev >= CXDiagnostic_Error) {
            CXFile f = NULL;
            unsigned line = 0, col = 0, off = 0;
            clang_getSpellingLocation(clang_getDiagnosticLocation(d), &f, &line,
                                      &col, &off);
            if (cx->mmap && f && clang_File_isEqual(f, cx->file))
                tr_line_col(cx, off, &line, &col); /* expanded macros (H23) */
            if (cx->pass > 0) {
                /* Generated text (H12): the #line directives name the
                 * user's place. */
                CXString pf;
                clang_getPresumedLocation(clang_getDiagnosticLocation(d), &pf,
                                          &line, &col);
                clang_disposeString(pf);
            }
            char *msg = tr_cxstr(clang_getDiagnosticSpelling(d));
            char *fname =
                f ? tr_cxstr(clang_getFileName(f)) : tr_strdup(cx->display);
            const char *shown =
                f && clang_File_isEqual(f, cx->file) ? cx->display : fname;
            tr_error_at(cx, shown, line, col, msg);
            free(msg);
            free(fname);
        }
        clang_disposeDiagnostic(d);
    }
    return cx->ndiags > before ? -1 : 0;
}

/* Re-parses the cached cx->tu with uf as the main file's text (always the
 * bytes this request read: libclang must not decide from the file's mtime
 * whether it changed). Returns 0, or -1 after disposing the TU (libclang
 * leaves it unusable when a re-parse fails). */
static int reparse(struct tr_ctx *cx, struct CXUnsavedFile *uf) {
    int r = clang_reparseTranslationUnit(cx->tu, 1, uf,
                                         clang_defaultReparseOptions(cx->tu));
    if (r == 0)
        return 0;
    clang_disposeTranslationUnit(cx->tu);
    cx->tu = NULL;
    return -1;
}

/* WEFT_TRANSLATE_PREAMBLE=1: cached TUs get a precompiled preamble. */
static int preamble_on(void) {
    const char *s = getenv("WEFT_TRANSLATE_PREAMBLE");
    return s && *s && strcmp(s, "0") != 0;
}

/* H29: in a translation-server worker with its TU cache on, the TU of the
 * user's file (pass 0 only: later passes parse scratch files with new
 * names each time) is kept for the next request (ctx_free hands it to
 * tucache.c). The next compile of the same file with the same arguments
 * and unchanged headers then takes it back: as it is when the file's
 * bytes are the same (make after a touch, a rebuild), else re-parsed with
 * the new bytes. Returns 1 when a cached TU is in cx (index and tu set),
 * else 0 with *opts completed for a fresh parse.
 * Precompiled preambles (WEFT_TRANSLATE_PREAMBLE=1) make that re-parse
 * about 3x cheaper, but every pass that visits the whole TU then
 * deserializes the headers' declarations from the preamble again on each
 * request, which costs nearly as much (measured on samples/pi.c, worker
 * CPU: re-parse 5-7 ms instead of 20-28, but macro.c's and directive.c's
 * visits +14 ms), and the second compile builds the preamble (+60-90
 * ms): off by default. A fresh parse only marks the TU
 * for a preamble: libclang builds it on the first re-parse, so a first
 * compile never pays for it. */
static int use_cache(struct tr_ctx *cx, const char **argv, int argc,
                     unsigned *opts) {
    if (cx->pass != 0 || !tr_tucache_active())
        return 0;
    struct tr_tukey *key = tr_xcalloc(1, sizeof *key);
    if (tr_tukey_make(key, cx->path, argv, argc, cx->text, cx->size) != 0) {
        tr_tukey_free(key);
        free(key);
        return 0;
    }
    cx->tukey = key;
    if (preamble_on())
        *opts |= CXTranslationUnit_PrecompiledPreamble;
    cx->parse_start_ns = tr_tucache_now_ns();
    const char *why = NULL;
    int current = 0;
    int hit = tr_tucache_take(key, &cx->index, &cx->tu, &current, &why);
    double c0 = cpu_ms();
    /* Same bytes, same files, same key: the TU is the one a parse would
     * give (the passes only read it). */
    key->tu_is_text = 1;
    if (hit && !current) {
        struct CXUnsavedFile uf = {cx->path, cx->text, cx->size};
        if (reparse(cx, &uf) != 0) {
            clang_disposeIndex(cx->index);
            cx->index = NULL;
            hit = 0;
            why = "re-parse failed";
        }
    }
    if (times_on()) {
        if (hit && current)
            fprintf(stderr,
                    "weft-translate: time: %s: TU cache hit, unchanged\n",
                    cx->path);
        else if (hit)
            fprintf(stderr,
                    "weft-translate: time: %s: TU cache hit, re-parse "
                    "cpu %.1f ms\n",
                    cx->path, cpu_ms() - c0);
        else
            fprintf(stderr, "weft-translate: time: %s: TU cache miss (%s)\n",
                    cx->path, why);
    }
    return hit;
}

int tr_parse(struct tr_ctx *cx, const char *const *args, int nargs) {
    int rc = read_file(cx);
    if (rc)
        return rc;
    const char **argv = tr_xcalloc((size_t)nargs + 8, sizeof *argv);
    int argc = 0;
#ifdef TR_RESOURCE_DIR
    struct stat st;
    if (stat(TR_RESOURCE_DIR "/include/stddef.h", &st) == 0) {
        argv[argc++] = "-resource-dir";
        argv[argc++] = TR_RESOURCE_DIR;
    }
#endif
    for (int i = 0; i < nargs; i++) {
        if (strcmp(args[i], "-o") == 0 && i + 1 < nargs) {
            i++;
            continue;
        }
        if (!drop_arg(args[i]))
            argv[argc++] = args[i];
    }
    unsigned opts = CXTranslationUnit_DetailedPreprocessingRecord;
    enum CXErrorCode e = CXError_Success;
    int hit = use_cache(cx, argv, argc, &opts);
    if (!hit) {
        /* A TU that may be cached is parsed from the bytes the request
         * read (cx->text, which its key holds), not from the file again:
         * an edit in between must not make the two differ. */
        struct CXUnsavedFile uf = {cx->path, cx->text, cx->size};
        cx->index = clang_createIndex(0, 0);
        e = clang_parseTranslationUnit2(cx->index, cx->path, argv, argc, &uf,
                                        cx->tukey ? 1 : 0, opts, &cx->tu);
    }
    rc = 0;
    for (int round = 0;; round++) {
        if (e != CXError_Success) {
            fprintf(stderr, "weft-translate: cannot parse %s: %s\n", cx->path,
                    error_code_text(e));
            rc = -2;
            break;
        }
        cx->file = clang_getFile(cx->tu, cx->path);
        if (!cx->file) {
            fprintf(stderr, "weft-translate: %s: not found after parsing\n",
                    cx->path);
            rc = -2;
            break;
        }
        rc = report(cx);
        /* H23: macros that expand to a directive and its loop are
         * rewritten in the text (macro.c), which is parsed again under the
         * file's own name (so includes and locations stay the user's).
         * Later passes read text where this is done already. */
        if (rc || cx->pass > 0 || tr_macro_rewrite(cx, round) == 0)
            break;
        struct CXUnsavedFile uf = {cx->path, cx->text, cx->size};
        if (cx->tukey)
            cx->tukey->tu_is_text = 0; /* parsed from rewritten text */
        if (hit) {
            /* A cached TU has its preamble: re-parsing it is cheap. */
            e = reparse(cx, &uf) ? CXError_Failure : CXError_Success;
            continue;
        }
        clang_disposeTranslationUnit(cx->tu);
        cx->tu = NULL;
        e = clang_parseTranslationUnit2(cx->index, cx->path, argv, argc, &uf,
                                        1, opts, &cx->tu);
    }
    if (rc == -2 && cx->tukey) {
        /* Nothing worth keeping: ctx_free disposes what there is. */
        tr_tukey_free(cx->tukey);
        free(cx->tukey);
        cx->tukey = NULL;
    }
    free(argv);
    return rc == -2 ? rc : cx->ndiags ? -1 : 0;
}
