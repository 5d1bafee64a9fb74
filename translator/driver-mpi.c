/* This file handles weftcc's MPI programs: `weftcc --weft-mpi` (or
 * WEFT_MPI=1) compiles and links a program the way mpicc would, with MPI's
 * compile flags in every compile (the translator's parse included) and its
 * link flags in the link; WEFT_CC=mpicc keeps the wrapper as the real
 * compiler and only hands its flags to the parse. The flags come from the
 * MPI CMake found when weftcc was built, or from asking a compiler wrapper
 * (Open MPI's --showme:compile/--showme:link, MPICH's -show). It also
 * explains a failed translation of a program that includes <mpi.h>
 * without those flags. Everything here runs on weftcc's one thread. */
#define _GNU_SOURCE
#include "driver.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* Baked in by translator/CMakeLists.txt when CMake found MPI: compile and
 * link flags (space separated, as mpicc would add them) and the path of
 * that MPI's mpi.h, which tells whether the MPI is still installed. */
#if defined(WEFT_MPI_CFLAGS) && defined(WEFT_MPI_LDFLAGS) &&                   \
    defined(WEFT_MPI_HEADER)
#define HAVE_BAKED_MPI 1
#else
#define HAVE_BAKED_MPI 0
#endif

static char *xstrdup(const char *s) {
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (!d) {
        fputs("weftcc: out of memory\n", stderr);
        exit(1);
    }
    return memcpy(d, s, n);
}

/* Is cc (a name or a path) an MPI compiler wrapper: mpicc, mpicc.openmpi,
 * mpicc.mpich, mpigcc, mpiicc, mpiclang...? */
static int is_wrapper(const char *cc) {
    const char *slash = strrchr(cc, '/');
    const char *base = slash ? slash + 1 : cc;
    return strncmp(base, "mpi", 3) == 0 && base[3] != '\0';
}

/* Where a word of a wrapper's combined command line (-show) goes. */
enum dest { TO_COMPILE, TO_LINK, TO_BOTH };

static enum dest classify(const char *w) {
    if (strcmp(w, "-pthread") == 0)
        return TO_BOTH;
    if (strncmp(w, "-I", 2) == 0 || strncmp(w, "-D", 2) == 0 ||
        strncmp(w, "-U", 2) == 0 || strncmp(w, "-isystem", 8) == 0 ||
        strncmp(w, "-idirafter", 10) == 0 || strcmp(w, "-include") == 0 ||
        strncmp(w, "-std=", 5) == 0)
        return TO_COMPILE;
    return TO_LINK;
}

/* Options of a -show line whose value is the next word. */
static int takes_value(const char *w) {
    static const char *const opts[] = {
        "-I",       "-D", "-U", "-isystem", "-idirafter",
        "-include", "-L", "-l", "-Xlinker", NULL};
    for (const char *const *o = opts; *o; o++)
        if (strcmp(*o, w) == 0)
            return 1;
    return 0;
}

static void push(struct tr_argv *v, const char *w) {
    if (v)
        tr_argv_push(v, w);
}

/* Splits text at whitespace into words. Ownership: caller frees with
 * tr_argv_free(). Wrappers print flags unquoted, so paths with spaces are
 * not supported (nor are they by mpicc's own users' makefiles). */
static void split_words(const char *text, struct tr_argv *out) {
    char *copy = xstrdup(text);
    char *save = NULL;
    for (char *w = strtok_r(copy, " \t\r\n", &save); w;
         w = strtok_r(NULL, " \t\r\n", &save))
        tr_argv_push(out, w);
    free(copy);
}

/* Adds the words of text: all to dest (one of Open MPI's --showme:*
 * answers or a baked list), or, with mixed set, each by its kind (a -show
 * line, whose first word is the compiler itself). lv NULL: link words are
 * not wanted. */
static void add_words(const char *text, int mixed, struct tr_argv *cv,
                      struct tr_argv *lv, enum dest all) {
    struct tr_argv w = {0};
    split_words(text, &w);
    for (int i = mixed ? 1 : 0; i < w.n; i++) {
        enum dest d = mixed ? classify(w.v[i]) : all;
        const char *val =
            mixed && takes_value(w.v[i]) && i + 1 < w.n ? w.v[i + 1] : NULL;
        if (d != TO_LINK) {
            push(cv, w.v[i]);
            if (val)
                push(cv, val);
        }
        if (d != TO_COMPILE) {
            push(lv, w.v[i]);
            if (val)
                push(lv, val);
        }
        if (val)
            i++;
    }
    tr_argv_free(&w);
}

/* Does text look like a flag list (every word an option)? Guards against a
 * wrapper that answered an unknown --showme by compiling something. */
static int all_options(const char *text) {
    struct tr_argv w = {0};
    split_words(text, &w);
    int ok = 1;
    for (int i = 0; i < w.n; i++)
        ok &= w.v[i][0] == '-';
    tr_argv_free(&w);
    return ok;
}

/* Runs `wrapper opt` quietly; returns its stdout or NULL when it failed.
 * Ownership: caller frees. */
static char *ask(const char *wrapper, const char *opt, int verbose) {
    struct tr_argv av = {0};
    tr_argv_push(&av, wrapper);
    tr_argv_push(&av, opt);
    char *out = NULL;
    int rc = tr_run_capture(&av, verbose, &out);
    tr_argv_free(&av);
    if (rc != 0) {
        free(out);
        return NULL;
    }
    return out;
}

/* Asks an MPI compiler wrapper for its flags: Open MPI first (two
 * questions, exact answers), then MPICH and its derivatives (Intel MPI,
 * MVAPICH), whose -show prints the whole command line it would run.
 * Returns 0 with the flags added to cv and lv (lv may be NULL), else -1. */
static int query(const char *wrapper, struct tr_argv *cv, struct tr_argv *lv,
                 int verbose) {
    char *c = ask(wrapper, "--showme:compile", verbose);
    char *l = c ? ask(wrapper, "--showme:link", verbose) : NULL;
    if (c && l && all_options(c) && all_options(l)) {
        add_words(c, 0, cv, NULL, TO_COMPILE);
        add_words(l, 0, NULL, lv, TO_LINK);
        free(c);
        free(l);
        return 0;
    }
    free(c);
    free(l);
    char *s = ask(wrapper, "-show", verbose);
    if (!s)
        return -1;
    struct tr_argv w = {0};
    split_words(s, &w);
    int ok = w.n >= 2 && w.v[0][0] != '-';
    tr_argv_free(&w);
    if (ok)
        add_words(s, 1, cv, lv, TO_BOTH);
    free(s);
    return ok ? 0 : -1;
}

/* WEFT_MPI=1 asks for MPI like --weft-mpi does. */
static int env_wants_mpi(void) {
    const char *v = getenv("WEFT_MPI");
    if (!v || !*v)
        return 0;
    static const char *const on[] = {"1", "yes", "on", "true", NULL};
    static const char *const off[] = {"0", "no", "off", "false", NULL};
    for (const char *const *o = on; *o; o++)
        if (strcasecmp(v, *o) == 0)
            return 1;
    for (const char *const *o = off; *o; o++)
        if (strcasecmp(v, *o) == 0)
            return 0;
    fprintf(stderr,
            "weftcc: warning: WEFT_MPI=%s is not 1 or 0; MPI not added\n", v);
    return 0;
}

static void print_flags(const char *tag, const struct tr_argv *v) {
    if (v->n > 0)
        tr_print_cmd(tag, v->v);
}

int tr_mpi_setup(struct tr_mpi *m, const char *cc, int asked, int translating,
                 int verbose) {
    memset(m, 0, sizeof *m);
    const char *why = asked ? "--weft-mpi" : "WEFT_MPI=1";
    asked |= env_wants_mpi();
    if (is_wrapper(cc)) {
        /* The wrapper adds its flags to every compile and link itself;
         * only the translator's parse, which never runs it, needs them
         * (a link or -E step asks nothing). */
        if (!translating)
            return 0;
        if (query(cc, &m->parse, NULL, verbose) == 0) {
            m->active = 1;
            m->source = xstrdup("the MPI wrapper in WEFT_CC, for the parse");
        } else if (asked) {
            fprintf(stderr,
                    "weftcc: error: %s: the real compiler '%s' (WEFT_CC) "
                    "answers neither --showme:compile (Open MPI) nor -show "
                    "(MPICH)\n",
                    why, cc);
            return 1;
        } else {
            fprintf(stderr,
                    "weftcc: warning: cannot ask '%s' (WEFT_CC) for MPI's "
                    "flags (--showme:compile, -show): the translation may "
                    "not find <mpi.h>\n",
                    cc);
        }
    } else if (asked) {
        const char *w = getenv("WEFT_MPICC");
        if (w && *w) {
            if (query(w, &m->compile, &m->link, verbose) != 0) {
                fprintf(stderr,
                        "weftcc: error: %s: WEFT_MPICC=%s answers neither "
                        "--showme:compile (Open MPI) nor -show (MPICH)\n",
                        why, w);
                return 1;
            }
            m->source = xstrdup("WEFT_MPICC");
        }
#if HAVE_BAKED_MPI
        if (!m->source && access(WEFT_MPI_HEADER, R_OK) == 0) {
            add_words(WEFT_MPI_CFLAGS, 0, &m->compile, NULL, TO_COMPILE);
            add_words(WEFT_MPI_LDFLAGS, 0, NULL, &m->link, TO_LINK);
            m->source = xstrdup("the MPI found when weftcc was built");
        }
#endif
        if (!m->source && query("mpicc", &m->compile, &m->link, verbose) == 0)
            m->source = xstrdup("mpicc in PATH");
        if (!m->source) {
            fprintf(stderr,
                    "weftcc: error: %s: no MPI found: %s, and no mpicc in "
                    "PATH answers --showme:compile (Open MPI) or -show "
                    "(MPICH); install an MPI (Debian: libopenmpi-dev or "
                    "libmpich-dev) or name its mpicc in WEFT_MPICC\n",
                    why,
                    HAVE_BAKED_MPI ? "the MPI weftcc was built with is gone"
                                   : "weftcc was built without MPI");
            return 1;
        }
        m->active = 1;
    }
    if (verbose && m->active) {
        fprintf(stderr, "weftcc: MPI flags from %s\n", m->source);
        print_flags("weftcc: MPI parse flags:", &m->parse);
        print_flags("weftcc: MPI compile flags:", &m->compile);
        print_flags("weftcc: MPI link flags:", &m->link);
    }
    return 0;
}

void tr_mpi_free(struct tr_mpi *m) {
    tr_argv_free(&m->parse);
    tr_argv_free(&m->compile);
    tr_argv_free(&m->link);
    free(m->source);
    memset(m, 0, sizeof *m);
}

/* Does the line p start a directive `# include <mpi.h>` or "mpi.h"? */
static int is_mpi_include(const char *p) {
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p++ != '#')
        return 0;
    while (*p == ' ' || *p == '\t')
        p++;
    if (strncmp(p, "include", 7) != 0)
        return 0;
    p += 7;
    while (*p == ' ' || *p == '\t')
        p++;
    char close = *p == '<' ? '>' : *p == '"' ? '"' : 0;
    return close && strncmp(p + 1, "mpi.h", 5) == 0 && p[6] == close;
}

static int includes_mpi_h(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char line[4096];
    int found = 0, at_start = 1;
    while (!found && fgets(line, sizeof line, f)) {
        /* Only the start of a line can hold a directive; the rest of a
         * line longer than the buffer comes in later pieces. */
        if (at_start)
            found = is_mpi_include(line);
        at_start = strchr(line, '\n') != NULL;
    }
    fclose(f);
    return found;
}

void tr_mpi_hint(const char *src, const char *cc, char *const *parse_args) {
    if (!includes_mpi_h(src))
        return;
    /* The source may include mpi.h and fail for another reason, with the
     * user's own -I finding MPI: ask the real compiler whether the header
     * is found with the same flags before blaming it. */
    const char *dir = tr_tmp_subdir();
    if (!dir)
        return;
    const char *probe = tr_tmp_file(dir, "mpi-probe.c");
    FILE *f = fopen(probe, "w");
    if (!f)
        return;
    fputs("#include <mpi.h>\n", f);
    if (fclose(f) != 0)
        return;
    struct tr_argv av = {0};
    tr_argv_push(&av, cc);
    for (char *const *a = parse_args; a && *a; a++)
        tr_argv_push(&av, *a);
    /* The output goes to a temporary, never to /dev/null: a compiler
     * that fails deletes its output file, and run as root gcc deletes
     * /dev/null itself. */
    tr_argv_push(&av, "-E");
    tr_argv_push(&av, "-o");
    tr_argv_push(&av, tr_tmp_file(dir, "mpi-probe.i"));
    tr_argv_push(&av, probe);
    int rc = tr_run_capture(&av, 0, NULL);
    tr_argv_free(&av);
    if (rc != 0)
        fprintf(stderr,
                "weftcc: note: %s includes <mpi.h>, which is not found "
                "without MPI's flags: build MPI programs with "
                "`weftcc --weft-mpi` (or WEFT_MPI=1, or WEFT_CC=mpicc)\n",
                src);
}
