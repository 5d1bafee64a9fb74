/* This file is the translator's entry point as a library: weftcc (the
 * compiler wrapper) and weft-translate (the inspection tool) both call it.
 * It runs the pass pipeline parse -> find directives -> analyze -> outline
 * -> emit on one C source file. */
#ifndef WEFT_TRANSLATE_H
#define WEFT_TRANSLATE_H

struct tr_options {
    /* Name used in diagnostics and #line directives; NULL = in_path. */
    const char *display_name;
    /* Non-zero: print each pass's decisions to stderr (weftcc -v). */
    int verbose;
};

/* Result codes of tr_translate_file(). */
enum tr_status {
    TR_OK = 0,         /* out_path written */
    TR_USER_ERROR = 1, /* diagnostics printed as file:line:col; no output */
    TR_INTERNAL = 2    /* libclang or I/O failure, message printed */
};

/* Translates in_path into out_path. cc_args are the compiler flags that
 * matter for parsing (-I -D -U -include -std= -isystem -iquote ...),
 * exactly as the user gave them to the compiler. Thread: any, one call at a
 * time. Ownership: caller keeps all strings. */
int tr_translate_file(const char *in_path, const char *out_path,
                      const char *const *cc_args, int n_cc_args,
                      const struct tr_options *opt);

#endif
