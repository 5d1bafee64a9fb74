/* This file handles the parsed-TU cache of a translation-server worker
 * (see tucache.h for why it exists and who may call it).
 *
 * A cached entry is only ever reused for a parse whose key (tr_tukey_make:
 * path, realpath, cwd, libclang arguments, include-related environment) is
 * byte-equal, and only when nothing its last parse read can have changed:
 * - the main file is never trusted: parse.c hands its current bytes to
 *   clang_reparseTranslationUnit as an unsaved file, so the parse reads
 *   exactly what the request read, whatever its size or mtime;
 * - every other file the parse read (clang_getInclusions) must have the
 *   same device, inode, size, mtime and ctime, to the nanosecond. libclang
 *   itself compares only size and the mtime's second, which misses a
 *   same-size edit within a second. A file whose mtime or ctime is not
 *   older than the parse's start by RACY_NS may have changed while it was
 *   being read, in the same tick of the kernel's coarse file clock: such
 *   an entry is never trusted (the next request parses afresh, and by then
 *   the file is old enough) - git's "racy clean" rule;
 * - no include may now resolve to another file: for each include, its
 *   spelled name is looked up in every include directory the parse could
 *   search (those of the arguments and environment, the includer's, and
 *   the ones headers were found in) and each place where it was absent
 *   must still be absent. A directory's mtime would say the same more
 *   cheaply, but the source directory changes at every compile (objects,
 *   kept translations), which would make every lookup a miss.
 * When an entry is stale it is disposed and the file parsed from scratch,
 * so a header edit costs one fresh parse, never a wrong translation.
 * Includes probed with __has_include and headers created in a subdirectory
 * that already existed next to an include directory searched earlier are
 * not tracked (see tr_tucache_put). */
#define _GNU_SOURCE
#include "tucache.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "tr.h"

/* A change this close to (or after) the start of the parse may not show
 * in the file's times: the kernel stamps them with a clock that advances
 * by ticks of 1 to 10 ms. */
#define RACY_NS 100000000LL
#define MAX_ENTRIES 64

/* One file the parse read (present) or one place an include was looked up
 * and not found (absent). */
struct dep {
    char *path;
    int present;
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtim, ctim;
};

struct entry {
    struct tr_tukey key;
    CXIndex index;
    CXTranslationUnit tu;
    struct dep *deps;
    int ndeps;
    int trusted; /* 0: a file changed around the parse: never reused */
    unsigned long long used;
};

/* The dependencies of the entry last taken out (valid as of that take),
 * for tr_tucache_put to keep when its parse read the same files: same key,
 * same directives (key.sig) in the main file. */
static struct {
    char *key;
    size_t len;
    unsigned long long sig;
    struct dep *deps;
    int ndeps;
} taken;

static void taken_free(void) {
    for (int i = 0; i < taken.ndeps; i++)
        free(taken.deps[i].path);
    free(taken.deps);
    free(taken.key);
    memset(&taken, 0, sizeof taken);
}

/* The worker's cache: entries[0..nentries), unordered; used orders them. */
static struct entry entries[MAX_ENTRIES];
static int nentries;
static int max_entries;
static long rss_cap_kb;
static unsigned long long use_clock;

long long tr_tucache_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static long long ts_ns(struct timespec t) {
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* Environment variables that change where includes are found. */
static const char *const include_env[] = {"CPATH",
                                          "C_INCLUDE_PATH",
                                          "CPLUS_INCLUDE_PATH",
                                          "OBJC_INCLUDE_PATH",
                                          "OBJCPLUS_INCLUDE_PATH",
                                          "SOURCE_DATE_EPOCH"};

void tr_tukey_free(struct tr_tukey *key) {
    free(key->s);
    free(key->text);
    free(key->main_real);
    for (int i = 0; i < key->ndirs; i++)
        free(key->dirs[i]);
    free(key->dirs);
    memset(key, 0, sizeof *key);
}

static void entry_free(struct entry *e) {
    if (e->tu)
        clang_disposeTranslationUnit(e->tu);
    if (e->index)
        clang_disposeIndex(e->index);
    for (int i = 0; i < e->ndeps; i++)
        free(e->deps[i].path);
    free(e->deps);
    tr_tukey_free(&e->key);
    memset(e, 0, sizeof *e);
}

static void remove_at(int i) {
    entry_free(&entries[i]);
    entries[i] = entries[--nentries];
    memset(&entries[nentries], 0, sizeof entries[nentries]);
}

void tr_tucache_clear(void) {
    taken_free();
    while (nentries > 0)
        remove_at(nentries - 1);
}

void tr_tucache_configure(int n, long cap_kb) {
    max_entries = n < 0 ? 0 : n > MAX_ENTRIES ? MAX_ENTRIES : n;
    rss_cap_kb = cap_kb > 0 ? cap_kb : 0;
    while (nentries > max_entries)
        remove_at(nentries - 1);
}

int tr_tucache_active(void) {
    if (max_entries == 0)
        return 0;
    const char *s = getenv("WEFT_TRANSLATE_CACHE");
    return !(s && strcmp(s, "0") == 0);
}

/* dir made absolute against cwd (no file system access: the directory
 * need not exist, and its later creation must be seen). */
static char *absolute(const char *cwd, const char *dir) {
    struct tr_buf b = {0};
    if (dir[0] != '/') {
        tr_buf_add(&b, cwd);
        tr_buf_add(&b, "/");
    }
    tr_buf_add(&b, dir[0] ? dir : ".");
    return b.s;
}

static void add_dir(struct tr_tukey *key, const char *cwd, const char *dir) {
    key->dirs =
        tr_xrealloc(key->dirs, ((size_t)key->ndirs + 1) * sizeof *key->dirs);
    key->dirs[key->ndirs++] = absolute(cwd, dir);
}

/* The argument of an include-directory option at argv[*i] (joined, as in
 * -Idir, or separate), advancing *i past a separate one; NULL when
 * argv[*i] is not one. */
static const char *dir_arg(const char *const *argv, int argc, int *i) {
    static const char *const opts[] = {"-I", "-iquote", "-isystem",
                                       "-idirafter", "--include-directory="};
    const char *a = argv[*i];
    for (size_t k = 0; k < sizeof opts / sizeof *opts; k++) {
        size_t n = strlen(opts[k]);
        if (strncmp(a, opts[k], n) != 0)
            continue;
        if (a[n])
            return a + n;
        if (*i + 1 < argc)
            return argv[++*i];
        return NULL;
    }
    return NULL;
}

/* FNV-1a over every main-file line that holds a '#' (or the digraph
 * "%:"), with its line number: the directives, which alone decide, with
 * the files and the key unchanged, which files the parse reads (a '#' in
 * a comment or string only makes the signature stricter). */
static unsigned long long directive_sig(const char *t, unsigned n) {
    unsigned long long h = 0xcbf29ce484222325ull;
    unsigned line = 1;
    for (unsigned b = 0; b < n;) {
        unsigned e = b;
        int hash = 0;
        while (e < n && t[e] != '\n') {
            if (t[e] == '#' || (t[e] == '%' && e + 1 < n && t[e + 1] == ':'))
                hash = 1;
            e++;
        }
        if (hash) {
            for (unsigned i = 0; i < sizeof line; i++) {
                h ^= (line >> (8 * i)) & 0xffu;
                h *= 0x100000001b3ull;
            }
            for (unsigned i = b; i < e; i++) {
                h ^= (unsigned char)t[i];
                h *= 0x100000001b3ull;
            }
            h ^= '\n';
            h *= 0x100000001b3ull;
        }
        line++;
        b = e + 1;
    }
    return h;
}

int tr_tukey_make(struct tr_tukey *key, const char *path,
                  const char *const *argv, int argc, const char *text,
                  unsigned size) {
    memset(key, 0, sizeof *key);
    key->sig = directive_sig(text, size);
    key->text = tr_xcalloc((size_t)size + 1, 1);
    memcpy(key->text, text, size);
    key->size = size;
    char cwd[PATH_MAX];
    char *real = realpath(path, NULL);
    if (!real || !getcwd(cwd, sizeof cwd)) {
        free(real);
        return -1;
    }
    key->main_real = real;
    struct tr_buf b = {0};
    /* Fields end in NUL, so that no two different lists join into the
     * same bytes. */
    const char *fixed[] = {"tucache-1", path, real, cwd};
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
        tr_buf_addn(&b, fixed[i], strlen(fixed[i]) + 1);
    tr_buf_printf(&b, "%d", argc);
    tr_buf_addn(&b, "", 1);
    for (int i = 0; i < argc; i++)
        tr_buf_addn(&b, argv[i], strlen(argv[i]) + 1);
    for (size_t i = 0; i < sizeof include_env / sizeof *include_env; i++) {
        const char *v = getenv(include_env[i]);
        /* "NAME" alone for unset, "NAME=" for set and empty. */
        tr_buf_add(&b, include_env[i]);
        if (v) {
            tr_buf_add(&b, "=");
            tr_buf_add(&b, v);
        }
        tr_buf_addn(&b, "", 1);
        if (v && strcmp(include_env[i], "SOURCE_DATE_EPOCH") != 0) {
            /* A path list; an empty element means the current directory
             * (absolute() makes "" the cwd). */
            char *list = tr_strdup(v);
            for (char *d = list, *colon;; d = colon + 1) {
                colon = strchr(d, ':');
                if (colon)
                    *colon = '\0';
                add_dir(key, cwd, d);
                if (!colon)
                    break;
            }
            free(list);
        }
    }
    key->s = b.s;
    key->len = b.len;
    for (int i = 0; i < argc; i++) {
        const char *d = dir_arg(argv, argc, &i);
        if (d)
            add_dir(key, cwd, d);
    }
    /* Searched before /usr/include by default, and usually empty: the
     * likeliest place for a header that shadows a system one. */
    add_dir(key, cwd, "/usr/local/include");
    return 0;
}

/* ------------------------------------------------------------------ */
/* Validation                                                          */
/* ------------------------------------------------------------------ */

static int same_stat(const struct dep *d, const struct stat *st) {
    return d->dev == st->st_dev && d->ino == st->st_ino &&
           d->size == st->st_size && ts_ns(d->mtim) == ts_ns(st->st_mtim) &&
           ts_ns(d->ctim) == ts_ns(st->st_ctim);
}

/* Returns NULL when every dependency is as recorded, else why not. */
static const char *stale(const struct entry *e) {
    if (!e->trusted)
        return "files changed while it was parsed";
    for (int i = 0; i < e->ndeps; i++) {
        const struct dep *d = &e->deps[i];
        struct stat st;
        int ok = stat(d->path, &st) == 0;
        if (d->present && (!ok || !same_stat(d, &st)))
            return "an included file changed";
        if (!d->present && ok)
            return "an include may resolve to a new file";
    }
    return NULL;
}

int tr_tucache_take(const struct tr_tukey *key, CXIndex *index,
                    CXTranslationUnit *tu, int *current, const char **why) {
    *why = "not cached";
    *current = 0;
    for (int i = 0; i < nentries; i++) {
        struct entry *e = &entries[i];
        if (e->key.len != key->len || memcmp(e->key.s, key->s, key->len) != 0)
            continue;
        const char *w = stale(e);
        if (w) {
            *why = w;
            remove_at(i);
            return 0;
        }
        *index = e->index;
        *tu = e->tu;
        *current = e->key.tu_is_text && e->key.size == key->size &&
                   memcmp(e->key.text, key->text, key->size) == 0;
        e->index = NULL;
        e->tu = NULL;
        taken_free();
        taken.key = e->key.s;
        taken.len = e->key.len;
        taken.sig = e->key.sig;
        taken.deps = e->deps;
        taken.ndeps = e->ndeps;
        e->key.s = NULL;
        e->deps = NULL;
        e->ndeps = 0;
        remove_at(i);
        return 1;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* Recording what a parse read                                         */
/* ------------------------------------------------------------------ */

/* One include seen by clang_getInclusions. */
struct incl {
    char *path; /* the file found (absolute) */
    char *name; /* as spelled between <> or "", or its last component */
    char *from; /* the includer's directory (absolute), or NULL */
    int quoted; /* "name" (or unknown): the includer's directory first */
};

struct collect {
    CXTranslationUnit tu;
    CXFile main_file;
    const char *cwd;
    struct incl *v;
    int n;
};

/* The spelled name of the include at loc (the position of the file-name
 * token in the includer, as libclang reports it), or NULL when it cannot
 * be read there (a computed include, a command-line -include). */
static char *spelled(CXTranslationUnit tu, CXSourceLocation loc, char **from,
                     int *quoted, const char *cwd) {
    CXFile f = NULL;
    unsigned off = 0;
    clang_getSpellingLocation(loc, &f, NULL, NULL, &off);
    if (!f)
        return NULL;
    char *includer = tr_cxstr(clang_getFileName(f));
    char *slash = strrchr(includer, '/');
    if (slash)
        *slash = '\0';
    *from = absolute(cwd, slash ? (includer[0] ? includer : "/") : ".");
    free(includer);
    size_t n = 0;
    const char *t = clang_getFileContents(tu, f, &n);
    if (!t || off >= n)
        return NULL;
    char close = t[off] == '<' ? '>' : t[off] == '"' ? '"' : 0;
    if (!close)
        return NULL;
    *quoted = close == '"';
    size_t e = off + 1;
    while (e < n && t[e] != close && t[e] != '\n')
        e++;
    if (e >= n || t[e] != close || e == off + 1)
        return NULL;
    char *s = tr_xcalloc(e - off, 1);
    memcpy(s, t + off + 1, e - off - 1);
    return s;
}

static void inclusion_visit(CXFile f, CXSourceLocation *stack, unsigned depth,
                            CXClientData data) {
    struct collect *c = data;
    if (depth == 0 || clang_File_isEqual(f, c->main_file))
        return;
    char *name = tr_cxstr(clang_getFileName(f));
    char *path = absolute(c->cwd, name);
    free(name);
    char *from = NULL;
    int quoted = 1;
    char *sp = spelled(c->tu, stack[0], &from, &quoted, c->cwd);
    c->v = tr_xrealloc(c->v, ((size_t)c->n + 1) * sizeof *c->v);
    struct incl *in = &c->v[c->n++];
    in->path = path;
    in->from = from;
    in->quoted = quoted;
    if (sp) {
        in->name = sp;
    } else {
        const char *base = strrchr(path, '/');
        in->name = tr_strdup(base ? base + 1 : path);
    }
}

static int dep_cmp(const void *a, const void *b) {
    const struct dep *x = a, *y = b;
    int c = strcmp(x->path, y->path);
    return c ? c : x->present - y->present;
}

static void add_dep(struct dep **v, int *n, int *cap, const char *path,
                    int present) {
    if (*n == *cap) {
        *cap = *cap ? 2 * *cap : 64;
        *v = tr_xrealloc(*v, (size_t)*cap * sizeof **v);
    }
    memset(&(*v)[*n], 0, sizeof **v);
    (*v)[*n].path = tr_strdup(path);
    (*v)[*n].present = present;
    (*n)++;
}

/* Records in e what its parse read. Returns 0, or -1 when the entry
 * cannot be trusted (a file changed around the parse, or one vanished). */
static int record(struct entry *e, CXFile main_file, long long start_ns) {
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd))
        return -1;
    struct collect c = {e->tu, main_file, cwd, NULL, 0};
    clang_getInclusions(e->tu, inclusion_visit, &c);
    /* Where each include could newly be found: the directories of the
     * arguments and environment (and /usr/local/include), and for a
     * quoted include its includer's directory. The system directories
     * themselves change only when packages are installed: a header added
     * there is not looked for (a known limit, like __has_include). */
    struct dep *v = NULL;
    int n = 0, cap = 0;
    for (int i = 0; i < c.n; i++) {
        struct incl *in = &c.v[i];
        add_dep(&v, &n, &cap, in->path, 1);
        if (in->name[0] == '/')
            continue;
        for (int k = -1; k < e->key.ndirs; k++) {
            const char *d = k < 0 ? in->from : e->key.dirs[k];
            if (!d || (k < 0 && !in->quoted))
                continue;
            struct tr_buf p = {0};
            tr_buf_add(&p, d);
            tr_buf_add(&p, "/");
            tr_buf_add(&p, in->name);
            /* A place where the name exists already is searched after
             * the one it was found in (or is that one): watched like a
             * file the parse read. */
            struct stat st;
            add_dep(&v, &n, &cap, p.s, stat(p.s, &st) == 0);
            tr_buf_free(&p);
        }
    }
    for (int i = 0; i < c.n; i++) {
        free(c.v[i].path);
        free(c.v[i].name);
        free(c.v[i].from);
    }
    free(c.v);
    qsort(v, (size_t)n, sizeof *v, dep_cmp);
    int m = 0, rc = 0;
    for (int i = 0; i < n; i++) {
        if (m > 0 && strcmp(v[m - 1].path, v[i].path) == 0) {
            /* present sorts last: keep the stronger check. */
            free(v[m - 1].path);
            v[m - 1] = v[i];
            continue;
        }
        v[m++] = v[i];
    }
    for (int i = 0; i < m; i++) {
        struct stat st;
        if (!v[i].present)
            continue;
        if (stat(v[i].path, &st) != 0) {
            rc = -1;
            continue;
        }
        v[i].dev = st.st_dev;
        v[i].ino = st.st_ino;
        v[i].size = st.st_size;
        v[i].mtim = st.st_mtim;
        v[i].ctim = st.st_ctim;
        if (ts_ns(st.st_mtim) >= start_ns - RACY_NS ||
            ts_ns(st.st_ctim) >= start_ns - RACY_NS)
            rc = -1;
    }
    e->deps = v;
    e->ndeps = m;
    return rc;
}

/* The process's resident set, in KiB (0 if unknown). */
static long rss_kb(void) {
    FILE *f = fopen("/proc/self/statm", "r");
    long size = 0, res = 0;
    if (!f)
        return 0;
    if (fscanf(f, "%ld %ld", &size, &res) != 2)
        res = 0;
    fclose(f);
    return res * (sysconf(_SC_PAGESIZE) / 1024);
}

void tr_tucache_put(struct tr_tukey *key, CXIndex index, CXTranslationUnit tu,
                    CXFile main_file, long long parse_start_ns) {
    if (max_entries == 0) {
        clang_disposeTranslationUnit(tu);
        clang_disposeIndex(index);
        tr_tukey_free(key);
        return;
    }
    if (nentries == max_entries) {
        int lru = 0;
        for (int i = 1; i < nentries; i++)
            if (entries[i].used < entries[lru].used)
                lru = i;
        remove_at(lru);
    }
    struct entry *e = &entries[nentries++];
    memset(e, 0, sizeof *e);
    e->key = *key;
    memset(key, 0, sizeof *key);
    e->index = index;
    e->tu = tu;
    e->used = ++use_clock;
    if (taken.deps && taken.len == e->key.len && taken.sig == e->key.sig &&
        memcmp(taken.key, e->key.s, taken.len) == 0) {
        /* Re-parsed with the same directives: it read the files it read
         * before, found unchanged when it was taken out (a change since
         * then shows as a different stat next time). */
        e->deps = taken.deps;
        e->ndeps = taken.ndeps;
        taken.deps = NULL;
        taken.ndeps = 0;
        e->trusted = 1;
    } else {
        e->trusted = record(e, main_file, parse_start_ns) == 0;
    }
    taken_free();
    if (rss_cap_kb > 0 && rss_kb() > rss_cap_kb)
        tr_tucache_clear();
}
