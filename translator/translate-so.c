/* This file handles the one symbol that libweft-translate.so exports: the
 * translator's entry point, looked up with dlsym by weftcc (server.c), so
 * that weftcc itself never links libclang and only pays for loading it
 * when a file is really translated. Everything else in the module is
 * hidden (the link uses --exclude-libs for the weft_translator archive). */
#include "server.h"
#include "translate.h"
#include "tucache.h"

__attribute__((visibility("default"))) int
weft__translate_file_v1(const char *in_path, const char *out_path,
                        const char *const *cc_args, int n_cc_args,
                        const struct tr_options *opt) {
    return tr_translate_file(in_path, out_path, cc_args, n_cc_args, opt);
}

/* H29: a translation-server worker's parsed-TU cache (tucache.c), looked
 * up with dlsym by server.c; an older module without them simply has no
 * cache. */
__attribute__((visibility("default"))) void
weft__tucache_config_v1(int max_entries, long rss_cap_kb) {
    tr_tucache_configure(max_entries, rss_cap_kb);
}

__attribute__((visibility("default"))) void weft__tucache_clear_v1(void) {
    tr_tucache_clear();
}
