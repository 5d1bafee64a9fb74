/* This file handles the interface of the parsed-TU cache (tucache.c): a
 * translation-server worker keeps the last few libclang translation units
 * it parsed, so that compiling the same file again (the edit-compile
 * cycle, make after touching one file) re-parses it with
 * clang_reparseTranslationUnit and its precompiled preamble instead of
 * from scratch. One-shot processes (weft-translate, weftcc translating in
 * process) never turn it on: they have nothing to reuse.
 *
 * Thread: the cache belongs to the one thread of a server worker; nothing
 * here is safe to call from two threads. */
#ifndef WEFT_TR_TUCACHE_H
#define WEFT_TR_TUCACHE_H

#include <clang-c/Index.h>
#include <stddef.h>

/* Everything a parse depends on besides the files it reads: the path as
 * given and its realpath, the working directory, the exact arguments
 * handed to libclang, and the environment variables that change include
 * search. Two parses with equal keys and unchanged files give the same
 * translation unit. */
struct tr_tukey {
    char *s; /* NUL-separated fields, len bytes */
    size_t len;
    char *main_real; /* realpath of the main file (owned) */
    char **dirs;     /* include directories named by args and env (owned) */
    int ndirs;
    /* Signature of the main file's directive lines (not part of the
     * key): equal signatures, equal keys and unchanged files mean the
     * parse read the same files. */
    unsigned long long sig;
    /* The main file's bytes as this request read them (owned), and
     * whether the TU was last parsed from exactly them (0 after a
     * macro.c rewrite re-parsed other text into it). */
    char *text;
    unsigned size;
    int tu_is_text;
};

/* Configures this process's cache: at most max_entries translation units
 * (0 turns it off and drops what it holds), and none kept while the
 * process's resident memory is above rss_cap_kb (0: no cap). Called by a
 * server worker (server.c through translate-so.c) after its warm-up. */
void tr_tucache_configure(int max_entries, long rss_cap_kb);

/* Non-zero when this request may use the cache: configured on, and the
 * client's environment does not say WEFT_TRANSLATE_CACHE=0. */
int tr_tucache_active(void);

/* Builds the key of a parse of path with libclang arguments argv[0..argc)
 * and main-file text text[0..size) (for key->sig).
 * Returns 0, or -1 when the key cannot be made (no realpath, no cwd): the
 * parse then bypasses the cache. Ownership: caller frees with
 * tr_tukey_free() unless it hands the key to tr_tucache_put(). */
int tr_tukey_make(struct tr_tukey *key, const char *path,
                  const char *const *argv, int argc, const char *text,
                  unsigned size);
void tr_tukey_free(struct tr_tukey *key);

/* Takes the entry of key out of the cache when every file its last parse
 * read is unchanged (and no include could now resolve elsewhere). Returns
 * 1 with *index and *tu (now the caller's, until tr_tucache_put), or 0 (a
 * miss; a stale entry is disposed). *current is set when the TU was parsed
 * from exactly key->text: it is then the TU a parse would give, and needs
 * no re-parse. *why names the reason of a miss, for
 * WEFT_TRANSLATE_TIMES. */
int tr_tucache_take(const struct tr_tukey *key, CXIndex *index,
                    CXTranslationUnit *tu, int *current, const char **why);

/* Hands a parsed translation unit to the cache after its request (keyed by
 * key, main file main_file): records the files it read and the places an
 * include could newly be found, as of parse_start_ns (CLOCK_REALTIME when
 * the parse began; a file changed after that is never trusted). Evicts the
 * least recently used entry beyond the configured count, and everything
 * when the process is above its memory cap. Ownership: the cache takes
 * key's fields, index and tu (it disposes them). */
void tr_tucache_put(struct tr_tukey *key, CXIndex index, CXTranslationUnit tu,
                    CXFile main_file, long long parse_start_ns);

/* Disposes every cached translation unit (libclang then deletes their
 * preamble files). */
void tr_tucache_clear(void);

/* CLOCK_REALTIME in nanoseconds (the clock file times use). */
long long tr_tucache_now_ns(void);

#endif
