/* This file handles weftcc's build plan: it finds weft's headers and
 * runtime, translates each C source into a private temporary with
 * tr_translate_file(), compiles the result with the real compiler (WEFT_CC,
 * default cc) under the user's flags, fixes dependency files up so they
 * name the original source, and links with libweft. Everything that is not
 * C passes through to the real compiler untouched. */
#define _GNU_SOURCE
#include "driver.h"

#include "server.h"
#include "translate.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "weft/version.h"

/* Baked in by translator/CMakeLists.txt; the fallbacks keep the file
 * compilable on its own. */
#ifndef WEFT_INSTALL_PREFIX
#define WEFT_INSTALL_PREFIX "/usr/local"
#endif
#ifndef WEFT_INSTALL_LIBDIR
#define WEFT_INSTALL_LIBDIR "lib"
#endif
#ifndef WEFT_INSTALL_INCLUDEDIR
#define WEFT_INSTALL_INCLUDEDIR "include"
#endif
/* Libraries static libweft needs (pkg-config --static --libs of hwloc,
 * libsodium and libxxhash at build time), space separated. */
#ifndef WEFT_STATIC_DEPS
#define WEFT_STATIC_DEPS "-lhwloc -lsodium -lxxhash"
#endif

/* The value of _OPENMP weft announces: OpenMP 4.5, the level of the
 * parallel-for subset it implements. */
#define OPENMP_MACRO "-D_OPENMP=201511"

/* Set in the environment of every child: a real compiler that turns out
 * to be weftcc itself (WEFT_CC=weftcc, or cc linked to weftcc) is caught
 * instead of recursing forever. */
#define RECURSION_GUARD "WEFT__IN_WEFTCC"

struct driver {
    struct tr_cmdline cl;
    const char *cc; /* real compiler: program name or path, no arguments */
    char *incdir;   /* weft's include directory */
    char *libdir;   /* directory of libweft */
    char *xlib;     /* the translator module, libweft-translate.so */
    /* MPI's flags (driver-mpi.c), when in use. */
    struct tr_mpi mpi;
};

static void *xmalloc(size_t n) {
    void *p = malloc(n ? n : 1);
    if (!p) {
        fputs("weftcc: out of memory\n", stderr);
        exit(1);
    }
    return p;
}

static char *xstrdup(const char *s) {
    size_t n = strlen(s) + 1;
    return memcpy(xmalloc(n), s, n);
}

static char *cat3(const char *a, const char *b, const char *c) {
    size_t la = strlen(a), lb = strlen(b), lc = strlen(c);
    char *s = xmalloc(la + lb + lc + 1);
    memcpy(s, a, la);
    memcpy(s + la, b, lb);
    memcpy(s + la + lb, c, lc + 1);
    return s;
}

static int exists(const char *path) {
    struct stat st;
    return stat(path, &st) == 0;
}

/* Last path component. */
static const char *base_name(const char *path) {
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* Directory part of path, "." when it has none. Ownership: caller frees. */
static char *dir_name(const char *path) {
    const char *s = strrchr(path, '/');
    if (!s)
        return xstrdup(".");
    if (s == path)
        return xstrdup("/");
    size_t n = (size_t)(s - path);
    char *d = xmalloc(n + 1);
    memcpy(d, path, n);
    d[n] = '\0';
    return d;
}

/* path without the extension of its last component. Ownership: caller
 * frees. */
static char *strip_ext(const char *path) {
    const char *b = base_name(path);
    const char *dot = strrchr(b, '.');
    size_t n = dot && dot != b ? (size_t)(dot - path) : strlen(path);
    char *s = xmalloc(n + 1);
    memcpy(s, path, n);
    s[n] = '\0';
    return s;
}

/* ------------------------------------------------------------------ */
/* Locating weft                                                       */
/* ------------------------------------------------------------------ */

/* Finds the include and library directories: $WEFT_PREFIX, else the
 * parent of the directory holding this executable (the build tree mirrors
 * the install layout: bin/, lib/, include/), else the configured install
 * prefix. The library may sit in lib/ (build tree) or in the install
 * libdir (lib/x86_64-linux-gnu on Debian with prefix /usr). */
static void locate_weft(struct driver *d) {
    char *prefix = NULL;
    const char *env = getenv("WEFT_PREFIX");
    if (env && *env) {
        prefix = xstrdup(env);
    } else {
        char exe[PATH_MAX];
        ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
        if (n > 0) {
            exe[n] = '\0';
            char *bindir = dir_name(exe);
            prefix = dir_name(bindir);
            free(bindir);
        } else {
            prefix = xstrdup(WEFT_INSTALL_PREFIX);
        }
    }
    d->incdir = cat3(prefix, "/", "include");
    char *probe = cat3(d->incdir, "/", "weft/abi.h");
    if (!exists(probe)) {
        char *alt = cat3(prefix, "/", WEFT_INSTALL_INCLUDEDIR);
        free(d->incdir);
        d->incdir = alt;
    }
    free(probe);
    const char *libdirs[] = {"lib", WEFT_INSTALL_LIBDIR, "lib64"};
    for (size_t i = 0; i < sizeof libdirs / sizeof libdirs[0]; i++) {
        char *dir = cat3(prefix, "/", libdirs[i]);
        char *so = cat3(dir, "/", "libweft.so");
        char *a = cat3(dir, "/", "libweft.a");
        int found = exists(so) || exists(a);
        free(so);
        free(a);
        if (found) {
            d->libdir = dir;
            break;
        }
        free(dir);
    }
    if (!d->libdir)
        d->libdir = cat3(prefix, "/", "lib");
    /* The translator module (loaded only to translate: see server.c)
     * normally sits next to libweft. */
    const char *xenv = getenv("WEFT_TRANSLATE_LIB");
    if (xenv && *xenv)
        d->xlib = xstrdup(xenv);
    else
        d->xlib = cat3(d->libdir, "/", "libweft-translate.so");
    for (size_t i = 0; !(xenv && *xenv) && !exists(d->xlib) &&
                       i < sizeof libdirs / sizeof libdirs[0];
         i++) {
        char *dir = cat3(prefix, "/", libdirs[i]);
        char *so = cat3(dir, "/", "libweft-translate.so");
        free(dir);
        if (exists(so)) {
            free(d->xlib);
            d->xlib = so;
        } else {
            free(so);
        }
    }
    free(prefix);
}


/* ------------------------------------------------------------------ */
/* Command construction                                                */
/* ------------------------------------------------------------------ */

/* Flags every real-compiler step gets after the user's: weft's headers
 * (as -isystem, so weft's omp.h is found after the user's -I directories
 * but before the compiler's own omp.h, exactly where gcc -fopenmp finds
 * libgomp's, and warnings inside weft's headers are not the user's) and
 * _OPENMP. A prefix of /usr would make -isystem reorder the system
 * directories, so it is left out there. */
static void push_weft_flags(const struct driver *d, struct tr_argv *av) {
    if (strcmp(d->incdir, "/usr/include") != 0) {
        tr_argv_push(av, "-isystem");
        tr_argv_push(av, d->incdir);
    }
    tr_argv_push(av, OPENMP_MACRO);
    for (int i = 0; i < d->mpi.compile.n; i++)
        tr_argv_push(av, d->mpi.compile.v[i]);
}

/* Whether the compile of a translated file gets -falign-loops=32: when
 * optimising for speed (the last -O is -O1..-O3 or -Ofast) and the user
 * chose no loop alignment. The hot loops of a weft program are the chunk
 * bodies' tight inner loops; at gcc's default (16 bytes, and only when
 * that skips at most 10) such a loop of under 32 bytes may straddle a
 * 32-byte boundary, which on Intel cores halves the rate at which the
 * decoded-µop cache feeds it (measured: a saxpy body ran 1.6x slower than
 * the same instructions at another address, at 1 and at 16 threads).
 * It is pushed before the user's flags, so any later -falign-loops,
 * -fno-align-loops or -Os still decides; another compiler never sees it. */
static int wants_loop_alignment(const char *cc, const struct tr_cmdline *cl) {
    /* Only compilers known to take the flag: gcc and clang under their own
     * names, the usual `cc`, and the MPI wrapper around them. */
    const char *b = strrchr(cc, '/');
    b = b ? b + 1 : cc;
    if (!strstr(b, "gcc") && !strstr(b, "clang") && strcmp(b, "cc") != 0 &&
        strcmp(b, "mpicc") != 0)
        return 0;
    char level = '0';
    for (int i = 0; i < cl->nargs; i++) {
        const char *a = cl->args[i].a0;
        if (cl->args[i].kind != TR_ARG_OPT || !a)
            continue;
        if (strncmp(a, "-falign-loops", 13) == 0 ||
            strncmp(a, "-fno-align-loops", 16) == 0)
            return 0;
        if (a[0] == '-' && a[1] == 'O')
            level = a[2] ? a[2] : '1';
    }
    return level == '1' || level == '2' || level == '3' || level == 'f';
}

/* Pushes one user element as written. */
static void push_arg(struct tr_argv *av, const struct tr_arg *a) {
    tr_argv_push(av, a->a0);
    if (a->a1)
        tr_argv_push(av, a->a1);
}

/* Pushes an input with its explicit language, restoring "by extension"
 * after it so that nothing later is affected. */
static void push_input(struct tr_argv *av, const struct tr_input *in) {
    if (in->xlang) {
        tr_argv_push(av, "-x");
        tr_argv_push(av, in->xlang);
    }
    tr_argv_push(av, in->path);
    if (in->xlang) {
        tr_argv_push(av, "-x");
        tr_argv_push(av, "none");
    }
}

/* The whole user command line in its order, without -x (re-emitted per
 * input) and dropped options: the pass-through step (link = 0: translated
 * inputs left out) and the link step (link = 1: translated inputs replaced
 * by their temporary objects). */
static void push_user_line(const struct driver *d, struct tr_argv *av,
                           int link) {
    const struct tr_cmdline *cl = &d->cl;
    for (int i = 0; i < cl->nargs; i++) {
        const struct tr_arg *a = &cl->args[i];
        switch (a->kind) {
        case TR_ARG_INPUT: {
            const struct tr_input *in = &cl->inputs[a->input];
            if (!in->translate)
                push_input(av, in);
            else if (link)
                tr_argv_push(av, in->object);
            break;
        }
        case TR_ARG_XLANG:
        case TR_ARG_DROP:
            break;
        default:
            push_arg(av, a);
            break;
        }
    }
}

/* Name gcc gives the output of compiling one source in this mode when no
 * -o is given (basename, current directory). Ownership: caller frees. */
static char *default_output(const char *src, enum tr_mode mode) {
    char *stem = strip_ext(base_name(src));
    char *out = cat3(stem, mode == TR_MODE_ASSEMBLE ? ".s" : ".o", "");
    free(stem);
    return out;
}

/* Escapes a path the way gcc writes it into a dependency file. */
static char *make_escape(const char *s) {
    char *out = xmalloc(2 * strlen(s) + 1);
    char *o = out;
    for (; *s; s++) {
        if (*s == ' ' || *s == '\t' || *s == '#')
            *o++ = '\\';
        else if (*s == '$')
            *o++ = '$';
        *o++ = *s;
    }
    *o = '\0';
    return out;
}

/* Rewrites the dependency file so that it names the user's source instead
 * of the temporary the compiler actually read. */
static int fix_depfile(const char *depfile, const char *tmp_src,
                       const char *orig_src) {
    FILE *f = fopen(depfile, "r");
    if (!f)
        return 0; /* the compiler wrote none (e.g. it failed) */
    size_t cap = 8192, n = 0, r;
    char *buf = xmalloc(cap);
    while ((r = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += r;
        if (cap - n < 2) {
            cap *= 2;
            char *nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                fclose(f);
                fputs("weftcc: out of memory\n", stderr);
                return -1;
            }
            buf = nb;
        }
    }
    fclose(f);
    buf[n] = '\0';
    char *from = make_escape(tmp_src);
    char *to = make_escape(orig_src);
    size_t lf = strlen(from), lt = strlen(to);
    f = fopen(depfile, "w");
    if (!f) {
        fprintf(stderr, "weftcc: cannot rewrite %s: %s\n", depfile,
                strerror(errno));
        free(buf);
        free(from);
        free(to);
        return -1;
    }
    const char *p = buf, *hit;
    while ((hit = strstr(p, from)) != NULL) {
        fwrite(p, 1, (size_t)(hit - p), f);
        fwrite(to, 1, lt, f);
        p = hit + lf;
    }
    fputs(p, f);
    int bad = fclose(f) != 0;
    free(buf);
    free(from);
    free(to);
    if (bad) {
        fprintf(stderr, "weftcc: cannot rewrite %s\n", depfile);
        return -1;
    }
    return 0;
}

/* Where -MD / -MMD put the dependency file and which target it names when
 * the user says nothing, as gcc 12 decides: the -o output's name with .d
 * (with several sources linked at once, <output stem>-<source stem>.d),
 * else <source stem>.d in the current directory; the target is the object
 * (-c or -S: gcc names the .o even for -S) or the linked output. Ownership:
 * caller frees both. */
static void dep_names(const struct driver *d, const struct tr_input *in,
                      char **depfile, char **target) {
    const struct tr_cmdline *cl = &d->cl;
    char *src_stem = strip_ext(base_name(in->path));
    if (cl->dep_mf) {
        *depfile = xstrdup(cl->dep_mf);
    } else if (cl->output) {
        char *s = strip_ext(cl->output);
        if (cl->mode == TR_MODE_LINK && cl->ntranslate > 1)
            *depfile = cat3(s, "-", src_stem);
        else
            *depfile = xstrdup(s);
        free(s);
        char *t = cat3(*depfile, ".d", "");
        free(*depfile);
        *depfile = t;
    } else {
        *depfile = cat3(src_stem, ".d", "");
    }
    if (cl->output)
        *target = xstrdup(cl->output);
    else
        *target = cat3(src_stem, ".o", "");
    free(src_stem);
}

/* Where --weft-keep / -save-temps leave the translated source: next to
 * the output, named after the output when there is one output per source
 * (-c/-S with -o), after the source otherwise. Ownership: caller frees. */
static char *keep_name(const struct driver *d, const struct tr_input *in,
                       const char *out) {
    const struct tr_cmdline *cl = &d->cl;
    char *dir, *stem;
    if (out && (cl->mode == TR_MODE_COMPILE || cl->mode == TR_MODE_ASSEMBLE)) {
        dir = dir_name(out);
        stem = strip_ext(base_name(out));
    } else {
        dir = cl->output ? dir_name(cl->output) : xstrdup(".");
        stem = strip_ext(base_name(in->path));
    }
    char *name = cat3(dir, "/", stem);
    char *full = cat3(name, ".weft.c", "");
    free(dir);
    free(stem);
    free(name);
    return full;
}

static int copy_file(const char *from, const char *to) {
    FILE *in = fopen(from, "rb");
    if (!in)
        return -1;
    FILE *out = fopen(to, "wb");
    if (!out) {
        fclose(in);
        return -1;
    }
    char buf[65536];
    size_t n;
    int bad = 0;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        bad |= fwrite(buf, 1, n, out) != n;
    bad |= ferror(in);
    fclose(in);
    bad |= fclose(out) != 0;
    return bad ? -1 : 0;
}

/* Command lines longer than this reach the real compiler through a
 * response file (gcc and clang both read @file), far below the kernel's
 * limit on one argument block. */
#define RSP_THRESHOLD ((size_t)100 * 1024)

/* Runs one real-compiler command; returns its exit status. */
static int run_cc(const struct driver *d, const struct tr_argv *av) {
    size_t total = 0;
    for (int i = 0; i < av->n; i++)
        total += strlen(av->v[i]) + 1;
    int rc;
    if (total <= RSP_THRESHOLD) {
        rc = tr_run(av, d->cl.verbose);
    } else {
        const char *dir = tr_tmp_subdir();
        if (!dir)
            return 1;
        const char *rsp = tr_tmp_file(dir, "args.rsp");
        FILE *f = fopen(rsp, "w");
        if (!f) {
            fprintf(stderr, "weftcc: cannot write %s: %s\n", rsp,
                    strerror(errno));
            return 1;
        }
        /* A backslash makes the next character literal in gcc's reader,
         * so escaping separators, quotes and backslashes is enough. */
        for (int i = 1; i < av->n; i++) {
            for (const char *c = av->v[i]; *c; c++) {
                if (strchr(" \t\n\r\f\v'\"\\", *c))
                    fputc('\\', f);
                fputc(*c, f);
            }
            fputc('\n', f);
        }
        if (fclose(f) != 0) {
            fprintf(stderr, "weftcc: cannot write %s\n", rsp);
            return 1;
        }
        if (d->cl.verbose)
            tr_print_cmd("weftcc: arguments in response file:", av->v);
        struct tr_argv shortcmd = {0};
        tr_argv_push(&shortcmd, av->v[0]);
        tr_argv_push_cat(&shortcmd, "@", rsp);
        rc = tr_run(&shortcmd, d->cl.verbose);
        tr_argv_free(&shortcmd);
    }
    if (rc == 127 && strchr(d->cc, ' '))
        fputs("weftcc: WEFT_CC names one program, by name or path, without "
              "arguments; put compiler flags on the command line\n",
              stderr);
    return rc;
}

/* Translates one C source into a fresh temporary directory. Returns 0 and
 * the temporary's path in *tmp_src, or the exit status to give up with. */
static int translate(const struct driver *d, const struct tr_input *in,
                     const char **tmp_src) {
    const struct tr_cmdline *cl = &d->cl;
    if (access(in->path, R_OK) != 0) {
        fprintf(stderr, "weftcc: error: %s: %s\n", in->path, strerror(errno));
        return 1;
    }
    const char *dir = tr_tmp_subdir();
    if (!dir)
        return 1;
    char *stem = strip_ext(base_name(in->path));
    char *name = cat3(stem, ".c", "");
    const char *out = tr_tmp_file(dir, name);
    free(stem);
    free(name);

    /* The parse sees what the compile will see: the user's parse flags,
     * weft's headers and weft's _OPENMP (the translator's own -fopenmp
     * predefines clang's value, hence the -U first). */
    struct tr_argv args = {0};
    if (in->xlang) {
        tr_argv_push(&args, "-x");
        tr_argv_push(&args, "c");
    }
    for (int i = 0; i < cl->nargs; i++)
        if (cl->args[i].parse)
            push_arg(&args, &cl->args[i]);
    tr_argv_push(&args, "-U_OPENMP");
    push_weft_flags(d, &args);
    for (int i = 0; i < d->mpi.parse.n; i++)
        tr_argv_push(&args, d->mpi.parse.v[i]);

    if (cl->verbose) {
        fprintf(stderr, "weftcc: translate: %s -> %s\n", in->path, out);
        if (args.n)
            tr_print_cmd("weftcc: translate flags:", args.v);
    }
    struct tr_options opt = {.display_name = in->path, .verbose = cl->verbose};
    int rc = tr_xlate_file(d->xlib, in->path, out,
                           (const char *const *)args.v, args.n, &opt);
    if (rc == TR_USER_ERROR && !d->mpi.active)
        tr_mpi_hint(in->path, d->cc, args.v);
    tr_argv_free(&args);
    if (rc != TR_OK) {
        if (rc == TR_INTERNAL)
            fprintf(stderr, "weftcc: translation of %s failed\n", in->path);
        return 1;
    }
    *tmp_src = out;
    return 0;
}

/* Translates and compiles one C source to out (an object, assembly, or
 * nothing for -fsyntax-only). Returns the exit status of the step. */
static int compile_one(const struct driver *d, struct tr_input *in,
                       const char *out) {
    const struct tr_cmdline *cl = &d->cl;
    const char *tmp_src;
    int rc = translate(d, in, &tmp_src);
    if (rc != 0)
        return rc;

    if (cl->keep) {
        char *keep = keep_name(d, in, out);
        if (copy_file(tmp_src, keep) != 0)
            fprintf(stderr, "weftcc: warning: cannot keep %s: %s\n", keep,
                    strerror(errno));
        else if (cl->verbose)
            fprintf(stderr, "weftcc: kept translation in %s\n", keep);
        free(keep);
    }

    struct tr_argv av = {0};
    tr_argv_push(&av, d->cc);
    /* `#include "x.h"` first looks next to the including file: the
     * temporary has no neighbours, so the original's directory comes
     * first among the quote directories, before the user's -iquote. */
    char *srcdir = dir_name(in->path);
    tr_argv_push(&av, "-iquote");
    tr_argv_push(&av, srcdir);
    free(srcdir);
    if (wants_loop_alignment(d->cc, cl))
        tr_argv_push(&av, "-falign-loops=32");
    for (int i = 0; i < cl->nargs; i++)
        if (cl->args[i].kind == TR_ARG_OPT && !cl->args[i].link_only)
            push_arg(&av, &cl->args[i]);
    push_weft_flags(d, &av);

    char *depfile = NULL, *target = NULL;
    if (cl->dep_md && cl->mode != TR_MODE_SYNTAX) {
        dep_names(d, in, &depfile, &target);
        tr_argv_push(&av, cl->dep_md == 2 ? "-MMD" : "-MD");
        tr_argv_push(&av, "-MF");
        tr_argv_push(&av, depfile);
        if (cl->dep_targets) {
            for (int i = 0; i < cl->nargs; i++) {
                const struct tr_arg *a = &cl->args[i];
                if (a->kind == TR_ARG_DEP && a->a0[1] == 'M' &&
                    (a->a0[2] == 'T' || a->a0[2] == 'Q'))
                    push_arg(&av, a);
            }
        } else {
            tr_argv_push(&av, "-MQ");
            tr_argv_push(&av, target);
        }
        if (cl->dep_mp)
            tr_argv_push(&av, "-MP");
    }

    if (cl->mode == TR_MODE_ASSEMBLE)
        tr_argv_push(&av, "-S");
    else if (cl->mode != TR_MODE_SYNTAX)
        tr_argv_push(&av, "-c");
    tr_argv_push(&av, "-x");
    tr_argv_push(&av, "c");
    tr_argv_push(&av, tmp_src);
    if (out) {
        tr_argv_push(&av, "-o");
        tr_argv_push(&av, out);
    }
    double t0 = tr_now_ms();
    rc = run_cc(d, &av);
    if (tr_times_on())
        fprintf(stderr, "weftcc: time: compile %s: %.1f ms\n", in->path,
                tr_now_ms() - t0);
    tr_argv_free(&av);
    if (rc == 0 && depfile && fix_depfile(depfile, tmp_src, in->path) != 0)
        rc = 1;
    free(depfile);
    free(target);
    return rc;
}

/* Pushes each space-separated word of words (baked-in flag lists). */
static void push_words(struct tr_argv *av, const char *words) {
    char *copy = xstrdup(words);
    char *save = NULL;
    for (char *tok = strtok_r(copy, " ", &save); tok;
         tok = strtok_r(NULL, " ", &save))
        tr_argv_push(av, tok);
    free(copy);
}

/* The libraries a link needs on top of the user's: shared libweft found
 * at run time through an rpath, or with -static the archive and what it
 * depends on. */
static void push_link_flags(const struct driver *d, struct tr_argv *av) {
#ifdef WEFT_LINK_SANITIZE
    /* weft itself was built with sanitizers: libweft needs their runtime,
     * which must come first in the program, so every link gets the flags
     * libweft was compiled with. */
    push_words(av, WEFT_LINK_SANITIZE);
#endif
    tr_argv_push_cat(av, "-L", d->libdir);
    if (d->cl.is_static) {
        tr_argv_push(av, "-lweft");
        push_words(av, WEFT_STATIC_DEPS);
        tr_argv_push(av, "-lm");
    } else {
        tr_argv_push_cat(av, "-Wl,-rpath,", d->libdir);
        tr_argv_push(av, "-lweft");
    }
    for (int i = 0; i < d->mpi.link.n; i++)
        tr_argv_push(av, d->mpi.link.v[i]);
    tr_argv_push(av, "-lpthread");
}

/* Runs the real compiler on the user's command line as it is (minus
 * -fopenmp and weftcc's own options): -E, -M, info queries, and inputs
 * weftcc does not translate. */
static int pass_through(const struct driver *d, int add_weft) {
    const struct tr_cmdline *cl = &d->cl;
    struct tr_argv av = {0};
    tr_argv_push(&av, d->cc);
    if (add_weft)
        push_weft_flags(d, &av);
    for (int i = 0; i < cl->nargs; i++) {
        const struct tr_arg *a = &cl->args[i];
        if (a->kind == TR_ARG_INPUT)
            push_input(&av, &cl->inputs[a->input]);
        else if (a->kind != TR_ARG_DROP && a->kind != TR_ARG_XLANG)
            push_arg(&av, a);
    }
    int rc = run_cc(d, &av);
    tr_argv_free(&av);
    return rc;
}

static int run_compile_mode(struct driver *d) {
    struct tr_cmdline *cl = &d->cl;
    int status = 0;
    for (int i = 0; i < cl->ninputs; i++) {
        struct tr_input *in = &cl->inputs[i];
        if (!in->translate)
            continue;
        char *out = NULL;
        if (cl->mode != TR_MODE_SYNTAX)
            out = cl->output ? xstrdup(cl->output)
                             : default_output(in->path, cl->mode);
        int rc = compile_one(d, in, out);
        free(out);
        /* Like gcc, one failing source does not stop the others. */
        if (rc != 0 && status == 0)
            status = rc;
    }
    if (cl->ninputs > cl->ntranslate) {
        struct tr_argv av = {0};
        tr_argv_push(&av, d->cc);
        push_user_line(d, &av, 0);
        push_weft_flags(d, &av);
        int rc = run_cc(d, &av);
        tr_argv_free(&av);
        if (rc != 0 && status == 0)
            status = rc;
    }
    return status;
}

static int run_link_mode(struct driver *d) {
    struct tr_cmdline *cl = &d->cl;
    int status = 0;
    for (int i = 0; i < cl->ninputs; i++) {
        struct tr_input *in = &cl->inputs[i];
        if (!in->translate)
            continue;
        const char *dir = tr_tmp_subdir();
        if (!dir)
            return 1;
        char *stem = strip_ext(base_name(in->path));
        char *name = cat3(stem, ".o", "");
        in->object = xstrdup(tr_tmp_file(dir, name));
        free(stem);
        free(name);
        int rc = compile_one(d, in, in->object);
        if (rc != 0 && status == 0)
            status = rc;
    }
    if (status != 0)
        return status;
    struct tr_argv av = {0};
    tr_argv_push(&av, d->cc);
    push_user_line(d, &av, 1);
    push_weft_flags(d, &av);
    push_link_flags(d, &av);
    status = run_cc(d, &av);
    tr_argv_free(&av);
    return status;
}

static void print_weft_help(const struct driver *d) {
    printf(
        "Usage: weftcc [gcc options] files...\n"
        "weftcc %s is a drop-in C compiler: each C source (.c, .i, -x c) is\n"
        "translated (#pragma omp/weft parallel for -> libweft calls) and\n"
        "compiled by the real compiler; everything else passes through.\n"
        "\n"
        "weftcc options:\n"
        "  --weft-keep     keep each translation as <name>.weft.c next to\n"
        "                  the output (-save-temps does too; in a one-step\n"
        "                  compile and link, the real compiler's own\n"
        "                  -save-temps files go with the temporaries)\n"
        "  --weft-mpi      build an MPI program, as mpicc would: MPI's\n"
        "                  compile flags in every compile, its link flags\n"
        "                  in the link (WEFT_MPI=1 does the same)\n"
        "  --weft-help     this text\n"
        "  --weft-server-stop  stop this user's translation servers\n"
        "  -v              print every step (translation included)\n"
        "  -fopenmp, -fopenmp=*, -fno-openmp   accepted, not forwarded\n"
        "\n"
        "Environment:\n"
        "  WEFT_CC      the real compiler: one program name or path, no\n"
        "               arguments (default cc; now %s)\n"
        "  WEFT_PREFIX  where weft is installed (include/, lib/); default:\n"
        "               the parent of weftcc's directory (runtime now in %s)\n"
        "  WEFT_MPI=1   as --weft-mpi\n"
        "  WEFT_MPICC   the MPI compiler wrapper --weft-mpi asks for MPI's\n"
        "               flags (default: the MPI weftcc was built with, else\n"
        "               mpicc); WEFT_CC=mpicc compiles with the wrapper\n"
        "               itself\n"
        "  WEFT_TRANSLATE_SERVER=0  translate in this process, without the\n"
        "               persistent translation server\n"
        "  WEFT_TRANSLATE_SOCKDIR   the server's socket directory (mode\n"
        "               0700; default $XDG_RUNTIME_DIR/weft or /tmp/weft-$UID)\n"
        "  WEFT_TRANSLATE_IDLE      seconds an idle server lives (300)\n"
        "  WEFT_TRANSLATE_WORKERS   the server's worker processes (CPUs, 2-16)\n"
        "  WEFT_TRANSLATE_TIMEOUT   seconds to wait for the server (600)\n"
        "  WEFT_TRANSLATE_TIMES=1   print the time of each step\n"
        "  WEFT_TRANSLATE_LIB       the translator module (default\n"
        "               libweft-translate.so next to the runtime)\n"
        "\n"
        "Every compile gets -iquote <source dir> -isystem <weft include>\n"
        "-D_OPENMP=201511; every link -L<lib> -Wl,-rpath,<lib> -lweft\n"
        "-lpthread (-static: libweft.a and its dependencies). -E, -M and\n"
        "compiler queries (--version, -dumpversion, ...) go to the real\n"
        "compiler untranslated, with the same -isystem and -D_OPENMP.\n",
        WEFT_VERSION_STRING, d->cc, d->libdir);
}

int tr_driver_main(int argc, char **argv) {
    struct driver d;
    memset(&d, 0, sizeof d);
    /* The translation server (server.c) is weftcc re-executed. */
    if (argc > 1 && strcmp(argv[1], "--weft-server-run") == 0)
        return tr_server_main(argc, argv);
    tr_proc_init();

    if (getenv(RECURSION_GUARD)) {
        fputs("weftcc: the real compiler is weftcc itself; set WEFT_CC to "
              "a C compiler (gcc, clang)\n",
              stderr);
        return 1;
    }
    setenv(RECURSION_GUARD, "1", 1);
    d.cc = getenv("WEFT_CC");
    if (!d.cc || !*d.cc)
        d.cc = "cc";

    char err[512];
    char **args;
    int nargs;
    if (tr_args_expand(argc - 1, argv + 1, &args, &nargs, err, sizeof err) !=
            0 ||
        tr_cmdline_parse(&d.cl, args, nargs, err, sizeof err) != 0) {
        fprintf(stderr, "weftcc: error: %s\n", err);
        return 1;
    }
    locate_weft(&d);

    struct tr_cmdline *cl = &d.cl;
    int status;
    if (argc == 2 && strcmp(argv[1], "--weft-server-stop") == 0) {
        status = tr_server_stop();
        tr_cmdline_free(&d.cl);
        free(d.incdir);
        free(d.libdir);
        free(d.xlib);
        return status;
    }
    if (cl->verbose && cl->mode != TR_MODE_INFO)
        fprintf(stderr,
                "weftcc %s: real compiler %s, weft headers %s, "
                "runtime %s\n",
                WEFT_VERSION_STRING, d.cc, d.incdir, d.libdir);
    /* MPI's flags, for a build of an MPI program (or a wrapper as the
     * real compiler); queries and --weft-help need none. */
    if (!cl->weft_help && cl->mode != TR_MODE_INFO && cl->ninputs > 0 &&
        tr_mpi_setup(&d.mpi, d.cc, cl->mpi,
                     cl->ntranslate > 0 && cl->mode != TR_MODE_PREPROCESS,
                     cl->verbose) != 0) {
        tr_cmdline_free(&d.cl);
        free(d.incdir);
        free(d.libdir);
        free(d.xlib);
        return 1;
    }
    if (cl->weft_help) {
        print_weft_help(&d);
        status = 0;
    } else if (cl->mode == TR_MODE_INFO || cl->ninputs == 0) {
        /* Questions about the compiler, and "no input files": the real
         * compiler answers. */
        if (cl->verbose && cl->ninputs == 0)
            fprintf(stderr, "weftcc %s (weft), real compiler: %s\n",
                    WEFT_VERSION_STRING, d.cc);
        status = pass_through(&d, 0);
    } else if (cl->mode == TR_MODE_PREPROCESS) {
        /* -E keeps the user's source and its directives: the output is
         * what a later weftcc compile of it would translate. */
        status = pass_through(&d, 1);
    } else if (cl->mode == TR_MODE_LINK) {
        status = run_link_mode(&d);
    } else {
        status = run_compile_mode(&d);
    }
    tr_tmp_cleanup();
    tr_cmdline_free(&d.cl);
    tr_mpi_free(&d.mpi);
    free(d.incdir);
    free(d.libdir);
    free(d.xlib);
    return status;
}
