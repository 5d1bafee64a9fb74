/* This file handles the one symbol that libweft-translate.so exports: the
 * translator's entry point, looked up with dlsym by weftcc (server.c), so
 * that weftcc itself never links libclang and only pays for loading it
 * when a file is really translated. Everything else in the module is
 * hidden (the link uses --exclude-libs for the weft_translator archive). */
#include "server.h"
#include "translate.h"

__attribute__((visibility("default"))) int
weft__translate_file_v1(const char *in_path, const char *out_path,
                        const char *const *cc_args, int n_cc_args,
                        const struct tr_options *opt) {
    return tr_translate_file(in_path, out_path, cc_args, n_cc_args, opt);
}
