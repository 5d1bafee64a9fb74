/* This file handles the interface between the parts of weftcc, the compiler
 * wrapper: the parsed command line (driver-args.c), child processes and
 * temporary files (driver-proc.c), and the build plan that translates each C
 * source and runs the real compiler (driver.c). Everything here runs on the
 * one thread of the weftcc process. */
#ifndef WEFT_TR_DRIVER_H
#define WEFT_TR_DRIVER_H

#include <stddef.h>

/* ------------------------------------------------------------------ */
/* Growable argument vectors                                           */
/* ------------------------------------------------------------------ */

/* A NULL-terminated argv under construction. Ownership: the vector owns
 * every string in it (each push copies); free with tr_argv_free(). */
struct tr_argv {
    char **v;
    int n;
    int cap;
};

/* Appends a copy of s. Aborts on out-of-memory (weftcc cannot continue). */
void tr_argv_push(struct tr_argv *av, const char *s);
/* Appends the concatenation a + b (for joined forms like -L<dir>). */
void tr_argv_push_cat(struct tr_argv *av, const char *a, const char *b);
void tr_argv_free(struct tr_argv *av);

/* ------------------------------------------------------------------ */
/* Command line                                                        */
/* ------------------------------------------------------------------ */

/* What the command line asks for, in gcc's sense. */
enum tr_mode {
    TR_MODE_LINK,       /* no -c/-S/-E: compile everything, then link */
    TR_MODE_COMPILE,    /* -c */
    TR_MODE_ASSEMBLE,   /* -S (stops after producing assembly) */
    TR_MODE_SYNTAX,     /* -fsyntax-only */
    TR_MODE_PREPROCESS, /* -E, or -M / -MM without -MD */
    TR_MODE_INFO        /* --version, -dumpversion, -print-*, -###: forward */
};

/* Role of one command-line element (an option with its value, or an
 * input). */
enum tr_arg_kind {
    TR_ARG_OPT,    /* forwarded as written */
    TR_ARG_INPUT,  /* a file operand (index into inputs[]) */
    TR_ARG_OUTPUT, /* -o <file> */
    TR_ARG_MODE,   /* -c, -S, -E (weftcc re-adds what each step needs) */
    TR_ARG_XLANG,  /* -x <lang>: recorded per input, re-emitted as needed */
    TR_ARG_DEP,    /* -MD -MMD -MF -MT -MQ -MP -Wp,-MD,f: rewritten per file */
    TR_ARG_DROP    /* accepted, never forwarded (-fopenmp, --weft-keep) */
};

/* One element: a0 alone (joined value included) or a0 followed by its
 * separate value a1. Both point into tr_cmdline.argv. */
struct tr_arg {
    enum tr_arg_kind kind;
    const char *a0;
    const char *a1;
    int parse;     /* non-zero: relevant to parsing, handed to the translator */
    int link_only; /* non-zero: a linker option (-l -L -Wl, -shared ...) */
    int input;     /* TR_ARG_INPUT: index into tr_cmdline.inputs */
};

/* One input file and what weftcc does with it. */
struct tr_input {
    const char *path;  /* as the user wrote it ("-" is stdin) */
    const char *xlang; /* -x language in effect, NULL = by extension */
    int translate;     /* non-zero: a C source that goes through libclang */
    char *object;      /* link mode: the temporary object (owned) */
};

/* The parsed command line. Ownership: owns argv (the response-file
 * expansion), args, inputs and each input's object; release with
 * tr_cmdline_free(). */
struct tr_cmdline {
    char **argv; /* expanded arguments, argv[0] excluded */
    int argc;
    struct tr_arg *args;
    int nargs;
    struct tr_input *inputs;
    int ninputs;
    int ntranslate; /* inputs with translate set */
    enum tr_mode mode;
    const char *output; /* -o value or NULL */
    int verbose;        /* -v */
    int keep;           /* --weft-keep or -save-temps */
    int weft_help;      /* --weft-help */
    int is_static;      /* -static */
    int mpi;            /* --weft-mpi */
    int dep_md;         /* 0, 1 = -MD, 2 = -MMD */
    const char *dep_mf; /* -MF value (last one wins, as in gcc) */
    int dep_mp;         /* -MP */
    int dep_targets;    /* number of -MT/-MQ options */
};

/* Expands response files (@file, recursively, with gcc's quoting rules:
 * whitespace separates, '...' and "..." group, backslash escapes the next
 * character). An @file that cannot be read stays a literal argument, as in
 * gcc. On success returns 0 and stores a NULL-terminated vector in *out and
 * its length in *outc. Returns -1 with a message in err on a recursion loop
 * (depth over 64) or a read error. Ownership: caller frees each string and
 * the vector (tr_strv_free). */
int tr_args_expand(int argc, char *const *argv, char ***out, int *outc,
                   char *err, size_t errlen);
void tr_strv_free(char **v);

/* Classifies the expanded arguments argv[0..argc) (program name excluded)
 * into cl. Returns 0, or -1 with a message in err for a command line gcc
 * would reject the same way (a missing option value, -o with -c and several
 * inputs). Ownership: cl takes argv and frees it in tr_cmdline_free(). */
int tr_cmdline_parse(struct tr_cmdline *cl, char **argv, int argc, char *err,
                     size_t errlen);
void tr_cmdline_free(struct tr_cmdline *cl);

/* ------------------------------------------------------------------ */
/* Processes and temporary files                                      */
/* ------------------------------------------------------------------ */

/* Installs the SIGINT/SIGTERM/SIGHUP/SIGQUIT handlers that remove every
 * registered temporary and forward the signal to the running child before
 * weftcc dies of the same signal. Call once, first thing in main. */
void tr_proc_init(void);

/* Creates (on first call) the private temporary directory, then a fresh
 * numbered subdirectory in it, and returns its path. Each translated
 * source gets its own subdirectory so that `#include "x"` searched next to
 * the temporary file can never find another temporary. Returns NULL with a
 * message printed when the directory cannot be created. Ownership: the
 * string belongs to the registry; valid until tr_tmp_cleanup(). */
const char *tr_tmp_subdir(void);
/* Registers a file path for removal by tr_tmp_cleanup() (and by the
 * signal handler). Returns the registered copy. */
const char *tr_tmp_file(const char *dir, const char *name);
/* Removes every registered file and directory. Safe to call twice. */
void tr_tmp_cleanup(void);

/* Runs av (av->v[0] searched in PATH) and waits for it. Prints the command
 * to stderr first when verbose. Returns the exit status, 128+signal when
 * the child died of a signal other than an interrupt (for an interrupt,
 * weftcc cleans up and dies of the same signal), or 127 when the program
 * cannot be started (message printed). */
int tr_run(const struct tr_argv *av, int verbose);

/* Prints av to stderr as a shell-quoted command line, prefixed by tag. */
void tr_print_cmd(const char *tag, char *const *v);

/* Runs av like tr_run() but quietly: its stdout is collected into *out
 * (when out is not NULL), its stderr discarded, nothing printed when it
 * cannot be started. For questions to other tools (mpicc --showme, a
 * probe compile). Returns the exit status, 128+signal, or 127 when the
 * program cannot be started. Ownership: caller frees *out (NUL-terminated;
 * NULL when the program could not be started or waited for). */
int tr_run_capture(const struct tr_argv *av, int verbose, char **out);

/* ------------------------------------------------------------------ */
/* MPI programs (driver-mpi.c)                                         */
/* ------------------------------------------------------------------ */

/* The flags that make weftcc build an MPI program, the way mpicc would.
 * Ownership: owns every vector and string; release with tr_mpi_free(). */
struct tr_mpi {
    int active;             /* non-zero: the flags below are in use */
    struct tr_argv parse;   /* only for the translator's parse: WEFT_CC
                               is an MPI wrapper that adds its own flags */
    struct tr_argv compile; /* every real-compiler step, and the parse */
    struct tr_argv link;    /* the link step, after -lweft */
    char *source;           /* where they came from, for -v */
};

/* Finds MPI's flags when the command line (--weft-mpi: asked != 0) or
 * WEFT_MPI=1 asks for them, or when cc (WEFT_CC) is an MPI compiler
 * wrapper (mpicc, mpicc.openmpi, ...), which gets them for the parse only
 * (asked only when translating: some C source goes through the parse).
 * Sources, first that answers: $WEFT_MPICC (--showme:compile/--showme:link
 * of Open MPI, else -show of MPICH), the flags CMake found when weftcc was
 * built, `mpicc` in PATH. Returns 0 (m->active set when flags are in use)
 * or 1 after printing why MPI was asked for and cannot be found. */
int tr_mpi_setup(struct tr_mpi *m, const char *cc, int asked, int translating,
                 int verbose);
void tr_mpi_free(struct tr_mpi *m);

/* After a failed translation of src without MPI flags: when src includes
 * <mpi.h> and the real compiler cc cannot find it with the same flags
 * (parse_args), prints a note telling the user to build with --weft-mpi.
 * Prints nothing otherwise. */
void tr_mpi_hint(const char *src, const char *cc, char *const *parse_args);

/* ------------------------------------------------------------------ */
/* Driver                                                              */
/* ------------------------------------------------------------------ */

/* Runs weftcc with the process's argc/argv and returns its exit status:
 * the real compiler's status, 1 for a translation error or a bad command
 * line. Thread: the main thread, once. */
int tr_driver_main(int argc, char **argv);

#endif
