/* This file handles the parse pass: it reads the user's file, hands it to
 * libclang with the user's compiler flags, and reports libclang's errors
 * (the real compiler would fail on them too) as file:line:col.
 *
 * The file is parsed WITHOUT -fopenmp on purpose: libclang 14 exposes an
 * OpenMP directive's associated statement only as an unexposed
 * CapturedStmt whose visitor lists the captures, not the loop, so the loop
 * body could not be analysed. Parsed as plain C, every pragma is ignored and
 * the loops are ordinary ForStmt cursors; directive.c finds the pragmas in
 * the text (and in macro definitions for _Pragma) instead. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tr.h"

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
    cx->index = clang_createIndex(0, 0);
    unsigned opts = CXTranslationUnit_DetailedPreprocessingRecord;
    enum CXErrorCode e = clang_parseTranslationUnit2(
        cx->index, cx->path, argv, argc, NULL, 0, opts, &cx->tu);
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
        clang_disposeTranslationUnit(cx->tu);
        cx->tu = NULL;
        struct CXUnsavedFile uf = {cx->path, cx->text, cx->size};
        e = clang_parseTranslationUnit2(cx->index, cx->path, argv, argc, &uf,
                                        1, opts, &cx->tu);
    }
    free(argv);
    return rc == -2 ? rc : cx->ndiags ? -1 : 0;
}
