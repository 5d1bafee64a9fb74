/* This file handles the interface between weftcc's driver and the
 * translator it loads on demand: libweft-translate.so (the passes and
 * libclang) is dlopen'ed only when a file is really translated, either in
 * the weftcc process itself or, by default, in a persistent per-user
 * translation server that has loaded it once and forks a child per
 * request (server.c). Everything here runs on weftcc's one thread. */
#ifndef WEFT_TR_SERVER_H
#define WEFT_TR_SERVER_H

struct tr_options;

/* The symbol libweft-translate.so exports (translate-so.c), with the
 * signature and result codes of tr_translate_file(). The suffix changes
 * whenever that signature or struct tr_options does. */
#define TR_TRANSLATE_SYMBOL "weft__translate_file_v1"
int weft__translate_file_v1(const char *in_path, const char *out_path,
                            const char *const *cc_args, int n_cc_args,
                            const struct tr_options *opt);

/* H29: the module's parsed-TU cache, for server workers only (one-shot
 * translations have nothing to reuse): configure (at most max_entries TUs,
 * none kept above rss_cap_kb of resident memory; 0 entries: off) and clear
 * (dispose every cached TU, and so delete its preamble file). Optional:
 * looked up with dlsym. Thread: the worker's one thread. */
#define TR_TUCACHE_CONFIG_SYMBOL "weft__tucache_config_v1"
#define TR_TUCACHE_CLEAR_SYMBOL "weft__tucache_clear_v1"
void weft__tucache_config_v1(int max_entries, long rss_cap_kb);
void weft__tucache_clear_v1(void);

/* Translates in_path into out_path exactly as tr_translate_file() does
 * (same arguments, same TR_* result, same diagnostics on stderr), through
 * the translation server unless WEFT_TRANSLATE_SERVER=0, falling back to
 * loading lib_path into this process whenever the server cannot be used.
 * lib_path is the translator module's path. Thread: weftcc's main thread.
 * Ownership: caller keeps all strings. */
int tr_xlate_file(const char *lib_path, const char *in_path,
                  const char *out_path, const char *const *cc_args,
                  int n_cc_args, const struct tr_options *opt);

/* Runs the server daemon (weftcc --weft-server-run SOCK LIB IDLE FD,
 * started by tr_xlate_file with a clean environment of file descriptors).
 * Returns the process exit status. Thread: main, single-threaded. */
int tr_server_main(int argc, char **argv);

/* weftcc --weft-server-stop: stops every translation server listening in
 * this user's socket directory. Returns 0, or 1 when one did not stop. */
int tr_server_stop(void);

/* WEFT_TRANSLATE_TIMES=1 (not empty, not "0"): weftcc and the server
 * print how long each step took, on stderr. */
int tr_times_on(void);

/* Monotonic clock in milliseconds, for those timings. */
double tr_now_ms(void);

#endif
