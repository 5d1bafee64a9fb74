/* This file handles weftcc's command line: response-file expansion and the
 * classification of every gcc-style argument into options, inputs, output,
 * mode and dependency flags, so that driver.c can rebuild one command per
 * step while keeping the user's order. */
#include "driver.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *xrealloc(void *p, size_t n) {
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fputs("weftcc: out of memory\n", stderr);
        exit(1);
    }
    return q;
}

static char *xstrdup(const char *s) {
    size_t n = strlen(s) + 1;
    char *d = xrealloc(NULL, n);
    memcpy(d, s, n);
    return d;
}

void tr_strv_free(char **v) {
    if (!v)
        return;
    for (char **p = v; *p; p++)
        free(*p);
    free(v);
}

/* A vector of owned strings, grown while expanding. */
struct strv {
    char **v;
    int n, cap;
};

static void strv_add(struct strv *s, char *owned) {
    if (s->n + 2 > s->cap) {
        s->cap = s->cap ? 2 * s->cap : 16;
        s->v = xrealloc(s->v, (size_t)s->cap * sizeof *s->v);
    }
    s->v[s->n++] = owned;
    s->v[s->n] = NULL;
}

static int expand_one(struct strv *out, const char *arg, int depth, char *err,
                      size_t errlen);

/* Splits the text of a response file the way libiberty's buildargv does
 * (gcc's own reader), expanding nested @files as they come. */
static int split_file(struct strv *out, const char *text, int depth, char *err,
                      size_t errlen) {
    size_t len = strlen(text);
    char *arg = xrealloc(NULL, len + 1);
    const char *p = text;
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' ||
               *p == '\f' || *p == '\v')
            p++;
        if (!*p)
            break;
        size_t k = 0;
        int sq = 0, dq = 0;
        /* One argument runs until unquoted whitespace; quotes group and
         * vanish, backslash takes the next character literally (also inside
         * quotes, as buildargv does). */
        for (; *p; p++) {
            char c = *p;
            if (c == '\\' && p[1]) {
                arg[k++] = *++p;
            } else if (sq) {
                if (c == '\'')
                    sq = 0;
                else
                    arg[k++] = c;
            } else if (dq) {
                if (c == '"')
                    dq = 0;
                else
                    arg[k++] = c;
            } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
                       c == '\f' || c == '\v') {
                break;
            } else if (c == '\'') {
                sq = 1;
            } else if (c == '"') {
                dq = 1;
            } else {
                arg[k++] = c;
            }
        }
        arg[k] = '\0';
        if (expand_one(out, arg, depth, err, errlen) != 0) {
            free(arg);
            return -1;
        }
    }
    free(arg);
    return 0;
}

static char *read_all(FILE *f) {
    size_t cap = 4096, n = 0;
    char *buf = xrealloc(NULL, cap);
    size_t r;
    while ((r = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += r;
        if (cap - n < 2) {
            cap *= 2;
            buf = xrealloc(buf, cap);
        }
    }
    if (ferror(f)) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    return buf;
}

static int expand_one(struct strv *out, const char *arg, int depth, char *err,
                      size_t errlen) {
    if (arg[0] != '@' || arg[1] == '\0') {
        strv_add(out, xstrdup(arg));
        return 0;
    }
    if (depth >= 64) {
        snprintf(err, errlen,
                 "response file '%s' nests too deeply "
                 "(a file including itself?)",
                 arg + 1);
        return -1;
    }
    FILE *f = fopen(arg + 1, "r");
    if (!f) {
        /* gcc keeps an unreadable @file as a literal argument. */
        strv_add(out, xstrdup(arg));
        return 0;
    }
    char *text = read_all(f);
    int saved = errno;
    fclose(f);
    if (!text) {
        snprintf(err, errlen, "cannot read response file '%s': %s", arg + 1,
                 strerror(saved));
        return -1;
    }
    int rc = split_file(out, text, depth + 1, err, errlen);
    free(text);
    return rc;
}

int tr_args_expand(int argc, char *const *argv, char ***out, int *outc,
                   char *err, size_t errlen) {
    struct strv s = {0};
    s.cap = argc + 16;
    s.v = xrealloc(NULL, (size_t)s.cap * sizeof *s.v);
    s.v[0] = NULL;
    for (int i = 0; i < argc; i++) {
        if (expand_one(&s, argv[i], 0, err, errlen) != 0) {
            tr_strv_free(s.v);
            return -1;
        }
    }
    *out = s.v;
    *outc = s.n;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Classification                                                      */
/* ------------------------------------------------------------------ */

/* Options whose value may come as the next argument. Most also accept a
 * joined value (-Idir); those are recognised by prefix further down. */
static const char *const sep_opts[] = {"-o",
                                       "-I",
                                       "-D",
                                       "-U",
                                       "-L",
                                       "-l",
                                       "-x",
                                       "-MF",
                                       "-MT",
                                       "-MQ",
                                       "-include",
                                       "-imacros",
                                       "-isystem",
                                       "-iquote",
                                       "-idirafter",
                                       "-iprefix",
                                       "-iwithprefix",
                                       "-iwithprefixbefore",
                                       "-isysroot",
                                       "-imultilib",
                                       "-Xlinker",
                                       "-Xpreprocessor",
                                       "-Xassembler",
                                       "-aux-info",
                                       "-u",
                                       "-T",
                                       "-e",
                                       "-z",
                                       "--param",
                                       "-B",
                                       "-A",
                                       "-dumpbase",
                                       "-dumpbase-ext",
                                       "-dumpdir",
                                       "--sysroot",
                                       "-wrapper",
                                       "-Xclang",
                                       "-target",
                                       "-arch",
                                       NULL};

/* Options that matter to the parse and are therefore handed to libclang.
 * Warnings and code generation flags are not: libclang rejects many gcc
 * spellings, and they cannot change which code is seen. */
static const char *const parse_sep[] = {"-I",
                                        "-D",
                                        "-U",
                                        "-include",
                                        "-imacros",
                                        "-isystem",
                                        "-iquote",
                                        "-idirafter",
                                        "-iprefix",
                                        "-iwithprefix",
                                        "-iwithprefixbefore",
                                        "-isysroot",
                                        "--sysroot",
                                        NULL};

/* -f and -m flags that change predefined macros or the accepted language,
 * in spellings clang also accepts (prefix match). */
static const char *const parse_prefix[] = {"-std=",
                                           "--sysroot=",
                                           "-O",
                                           "-fms-extensions",
                                           "-fsigned-char",
                                           "-funsigned-char",
                                           "-fshort-enums",
                                           "-fshort-wchar",
                                           "-fgnu89-inline",
                                           "-ffreestanding",
                                           "-fhosted",
                                           "-fno-builtin",
                                           "-fbuiltin",
                                           "-ffast-math",
                                           "-fno-fast-math",
                                           "-ffinite-math-only",
                                           "-fPIC",
                                           "-fpic",
                                           "-fPIE",
                                           "-fpie",
                                           "-fno-pic",
                                           "-fno-PIC",
                                           "-fno-pie",
                                           "-fno-PIE",
                                           "-fwrapv",
                                           "-ftrapv",
                                           "-fdollars-in-identifiers",
                                           "-fno-dollars-in-identifiers",
                                           "-fsanitize=",
                                           "-fblocks",
                                           "-fdeclspec",
                                           "-finput-charset=",
                                           "-m32",
                                           "-m64",
                                           "-mx32",
                                           "-march=",
                                           "-mtune=",
                                           "-mcpu=",
                                           "-msse",
                                           "-mno-sse",
                                           "-mavx",
                                           "-mno-avx",
                                           "-mfma",
                                           "-mno-fma",
                                           "-mbmi",
                                           "-mpopcnt",
                                           "-mf16c",
                                           "-maes",
                                           "-mpclmul",
                                           "-mlzcnt",
                                           "-mmmx",
                                           "-mno-mmx",
                                           "-mfpmath=",
                                           NULL};

static const char *const parse_exact[] = {
    "-ansi", "-nostdinc", "-undef", "-trigraphs", "-w", "-pthread", NULL};

/* Options that only matter to the link: kept out of the compile steps
 * (clang warns about unused linker inputs there) and kept, in place, in
 * the link step. */
static const char *const link_sep[] = {"-L", "-l", "-Xlinker", "-T",
                                       "-u", "-e", "-z",       NULL};
static const char *const link_prefix[] = {"-l", "-L", "-Wl,", "-T", NULL};
static const char *const link_exact[] = {"-shared",          "-static",
                                         "-rdynamic",        "-pie",
                                         "-no-pie",          "-static-pie",
                                         "-nostdlib",        "-nodefaultlibs",
                                         "-nostartfiles",    "-s",
                                         "-static-libgcc",   "-shared-libgcc",
                                         "-static-libasan",  "-static-libtsan",
                                         "-static-libubsan", "-static-liblsan",
                                         "-symbolic",        NULL};

/* Options that only ask the compiler about itself: forwarded untouched. */
static const char *const info_exact[] = {"--version",        "-dumpversion",
                                         "-dumpfullversion", "-dumpmachine",
                                         "-dumpspecs",       "--help",
                                         "--target-help",    "-###",
                                         "-qversion",        NULL};

static int in_list(const char *const *list, const char *s) {
    for (; *list; list++)
        if (strcmp(*list, s) == 0)
            return 1;
    return 0;
}

static int has_prefix(const char *s, const char *p) {
    return strncmp(s, p, strlen(p)) == 0;
}

static int prefix_in_list(const char *const *list, const char *s) {
    for (; *list; list++)
        if (has_prefix(s, *list))
            return 1;
    return 0;
}

/* The extension of path's last component, or "" (without the dot). */
static const char *extension(const char *path) {
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    const char *dot = strrchr(base, '.');
    return dot && dot != base ? dot + 1 : "";
}

/* Does an input in language xlang (NULL = by extension) get translated?
 * Plain C and preprocessed C do; everything else (assembly, objects,
 * archives, C++, headers for precompilation, stdin) passes untouched. */
static int is_translated(const char *path, const char *xlang) {
    if (strcmp(path, "-") == 0)
        return 0;
    if (xlang)
        return strcmp(xlang, "c") == 0 || strcmp(xlang, "cpp-output") == 0;
    const char *ext = extension(path);
    return strcmp(ext, "c") == 0 || strcmp(ext, "i") == 0;
}

static struct tr_arg *new_arg(struct tr_cmdline *cl, enum tr_arg_kind kind,
                              const char *a0, const char *a1) {
    cl->args = xrealloc(cl->args, (size_t)(cl->nargs + 1) * sizeof *cl->args);
    struct tr_arg *a = &cl->args[cl->nargs++];
    a->kind = kind;
    a->a0 = a0;
    a->a1 = a1;
    a->parse = 0;
    a->link_only = 0;
    a->input = -1;
    return a;
}

static void add_input(struct tr_cmdline *cl, const char *path,
                      const char *xlang) {
    cl->inputs =
        xrealloc(cl->inputs, (size_t)(cl->ninputs + 1) * sizeof *cl->inputs);
    struct tr_input *in = &cl->inputs[cl->ninputs];
    in->path = path;
    in->xlang = xlang;
    in->translate = is_translated(path, xlang);
    in->object = NULL;
    cl->ntranslate += in->translate;
    new_arg(cl, TR_ARG_INPUT, path, NULL)->input = cl->ninputs++;
}

int tr_cmdline_parse(struct tr_cmdline *cl, char **argv, int argc, char *err,
                     size_t errlen) {
    memset(cl, 0, sizeof *cl);
    cl->argv = argv;
    cl->argc = argc;
    const char *xlang = NULL;
    int stop_c = 0, stop_s = 0, stop_e = 0, syntax = 0, info = 0, dep_only = 0;

    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || strcmp(a, "-") == 0) {
            add_input(cl, a, xlang);
            continue;
        }
        /* Separate-value form: the value is the next argument. */
        const char *val = NULL;
        int separate = in_list(sep_opts, a);
        if (separate) {
            if (i + 1 >= argc) {
                snprintf(err, errlen, "missing argument to '%s'", a);
                return -1;
            }
            val = argv[++i];
        }
        const char *v;
        if (strcmp(a, "-o") == 0 || (has_prefix(a, "-o") && !separate)) {
            cl->output = separate ? val : a + 2;
            new_arg(cl, TR_ARG_OUTPUT, a, val);
        } else if (strcmp(a, "-x") == 0 || (has_prefix(a, "-x") && !separate)) {
            v = separate ? val : a + 2;
            xlang = strcmp(v, "none") == 0 ? NULL : v;
            new_arg(cl, TR_ARG_XLANG, a, val);
        } else if (strcmp(a, "-c") == 0 || strcmp(a, "-S") == 0 ||
                   strcmp(a, "-E") == 0) {
            stop_c |= a[1] == 'c';
            stop_s |= a[1] == 'S';
            stop_e |= a[1] == 'E';
            new_arg(cl, TR_ARG_MODE, a, NULL);
        } else if (strcmp(a, "-fopenmp") == 0 || has_prefix(a, "-fopenmp=") ||
                   strcmp(a, "-fno-openmp") == 0 ||
                   strcmp(a, "--weft-keep") == 0) {
            /* We are the OpenMP implementation: the real compiler must not
             * see -fopenmp (it would link libgomp next to libweft). */
            if (a[2] == 'w')
                cl->keep = 1;
            new_arg(cl, TR_ARG_DROP, a, NULL);
        } else if (strcmp(a, "--weft-mpi") == 0) {
            cl->mpi = 1;
            new_arg(cl, TR_ARG_DROP, a, NULL);
        } else if (strcmp(a, "--weft-help") == 0) {
            cl->weft_help = 1;
            new_arg(cl, TR_ARG_DROP, a, NULL);
        } else if (strcmp(a, "-MD") == 0 || strcmp(a, "-MMD") == 0) {
            cl->dep_md = a[2] == 'M' ? 2 : 1;
            new_arg(cl, TR_ARG_DEP, a, NULL);
        } else if (has_prefix(a, "-Wp,-MD,") || has_prefix(a, "-Wp,-MMD,")) {
            /* Old automake spelling: the preprocessor writes the file. */
            cl->dep_md = a[6] == 'M' ? 2 : 1;
            cl->dep_mf = strchr(a + 4, ',') + 1;
            new_arg(cl, TR_ARG_DEP, a, NULL);
        } else if (strcmp(a, "-MP") == 0) {
            cl->dep_mp = 1;
            new_arg(cl, TR_ARG_DEP, a, NULL);
        } else if (has_prefix(a, "-MF")) {
            cl->dep_mf = separate ? val : a + 3;
            new_arg(cl, TR_ARG_DEP, a, val);
        } else if (has_prefix(a, "-MT") || has_prefix(a, "-MQ")) {
            cl->dep_targets++;
            new_arg(cl, TR_ARG_DEP, a, val);
        } else {
            if (strcmp(a, "-M") == 0 || strcmp(a, "-MM") == 0)
                dep_only = 1;
            else if (strcmp(a, "-fsyntax-only") == 0)
                syntax = 1;
            else if (strcmp(a, "-v") == 0)
                cl->verbose = 1;
            else if (strcmp(a, "-static") == 0)
                cl->is_static = 1;
            else if (has_prefix(a, "-save-temps"))
                cl->keep = 1;
            else if (in_list(info_exact, a) || has_prefix(a, "-print-") ||
                     has_prefix(a, "--print-") || has_prefix(a, "--help="))
                info = 1;
            struct tr_arg *o = new_arg(cl, TR_ARG_OPT, a, val);
            o->parse = separate ? in_list(parse_sep, a)
                                : (in_list(parse_exact, a) ||
                                   prefix_in_list(parse_prefix, a) ||
                                   prefix_in_list(parse_sep, a));
            o->link_only = separate ? in_list(link_sep, a)
                                    : (in_list(link_exact, a) ||
                                       prefix_in_list(link_prefix, a));
        }
    }

    /* gcc's precedence: the earliest stopping point wins. */
    if (info)
        cl->mode = TR_MODE_INFO;
    else if (stop_e || (dep_only && !cl->dep_md))
        cl->mode = TR_MODE_PREPROCESS;
    else if (syntax)
        cl->mode = TR_MODE_SYNTAX;
    else if (stop_s)
        cl->mode = TR_MODE_ASSEMBLE;
    else if (stop_c)
        cl->mode = TR_MODE_COMPILE;
    else
        cl->mode = TR_MODE_LINK;

    if (cl->output && cl->ninputs > 1 &&
        (cl->mode == TR_MODE_COMPILE || cl->mode == TR_MODE_ASSEMBLE)) {
        snprintf(err, errlen,
                 "cannot specify '-o' with '-c' or '-S' with "
                 "multiple files");
        return -1;
    }
    return 0;
}

void tr_cmdline_free(struct tr_cmdline *cl) {
    for (int i = 0; i < cl->ninputs; i++)
        free(cl->inputs[i].object);
    free(cl->inputs);
    free(cl->args);
    tr_strv_free(cl->argv);
    memset(cl, 0, sizeof *cl);
}
