/* This file handles OMP_PLACES: the abstract place kinds computed from the
 * topology snapshot, and a recursive-descent parser for explicit place
 * lists. Pure functions: they read a string and a snapshot and fill a
 * caller-owned list, with errors as a status and a message. */
#include "places.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Limits that keep a hostile value from making the parser allocate or loop
 * without bound: CPU numbers above WEFT__PLACES_MAX_CPU and intervals longer
 * than WEFT__PLACES_MAX_LEN are syntax errors. */
#define WEFT__PLACES_MAX_CPU (1 << 22)
#define WEFT__PLACES_MAX_LEN (1 << 16)

/* A growable int vector. */
struct ivec {
    int n, cap;
    int *v;
};

static int ivec_push(struct ivec *a, int x) {
    if (a->n == a->cap) {
        int cap = a->cap ? 2 * a->cap : 16;
        int *v = realloc(a->v, (size_t)cap * sizeof(int));
        if (!v)
            return -ENOMEM;
        a->v = v;
        a->cap = cap;
    }
    a->v[a->n++] = x;
    return 0;
}

static int cmp_int(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* Sorts and removes duplicates. */
static void ivec_normalize(struct ivec *a) {
    if (a->n < 2)
        return;
    qsort(a->v, (size_t)a->n, sizeof(int), cmp_int);
    int k = 1;
    for (int i = 1; i < a->n; i++)
        if (a->v[i] != a->v[k - 1])
            a->v[k++] = a->v[i];
    a->n = k;
}

/* A place list under construction: offsets and CPUs, as in the result. */
struct builder {
    struct ivec off; /* starts of places; the end offset is pus.n */
    struct ivec pus;
};

static int builder_add(struct builder *b, const int *cpus, int n) {
    if (n == 0)
        return 0;
    int rc = ivec_push(&b->off, b->pus.n);
    for (int i = 0; rc == 0 && i < n; i++)
        rc = ivec_push(&b->pus, cpus[i]);
    return rc;
}

static void builder_free(struct builder *b) {
    free(b->off.v);
    free(b->pus.v);
}

/* Moves the builder's arrays into *out. */
static int builder_finish(struct builder *b, struct weft__places *out) {
    if (ivec_push(&b->off, b->pus.n) < 0)
        return -ENOMEM;
    out->n = b->off.n - 1;
    out->off = b->off.v;
    out->pus = b->pus.v;
    if (!out->pus) {
        out->pus = malloc(sizeof(int));
        if (!out->pus) {
            out->off = NULL;
            out->n = 0;
            return -ENOMEM;
        }
    }
    b->off.v = b->pus.v = NULL;
    return 0;
}

void weft__places_destroy(struct weft__places *p) {
    free(p->off);
    free(p->pus);
    p->off = p->pus = NULL;
    p->n = 0;
}

int weft__places_count(const struct weft__places *pl, int p) {
    if (p < 0 || p >= pl->n)
        return 0;
    return pl->off[p + 1] - pl->off[p];
}

/* Appends text to buf[0..cap) at *len, truncating but always terminating;
 * *len counts the full length. */
static void append(char *buf, size_t cap, size_t *len, const char *text) {
    for (const char *c = text; *c; c++, (*len)++)
        if (*len + 1 < cap)
            buf[*len] = *c;
    if (cap > 0)
        buf[*len < cap ? *len : cap - 1] = '\0';
}

int weft__places_format(const struct weft__places *pl, int p, char *buf,
                        size_t cap) {
    size_t len = 0;
    char num[16];
    if (cap > 0)
        buf[0] = '\0';
    append(buf, cap, &len, "{");
    if (p >= 0 && p < pl->n) {
        for (int i = pl->off[p]; i < pl->off[p + 1]; i++) {
            snprintf(num, sizeof(num), "%s%d", i > pl->off[p] ? "," : "",
                     pl->pus[i]);
            append(buf, cap, &len, num);
        }
    }
    append(buf, cap, &len, "}");
    return (int)len;
}

/* The group id of PU i for a place kind. */
static int group_of(const struct weft__topo *t, int i,
                    enum weft__place_kind k) {
    switch (k) {
    case WEFT__PLACES_THREADS:
        return i;
    case WEFT__PLACES_CORES:
        return t->pu[i].core;
    case WEFT__PLACES_LL_CACHES:
        return t->pu[i].llc;
    case WEFT__PLACES_NUMA_DOMAINS:
        return t->pu[i].numa;
    case WEFT__PLACES_SOCKETS:
        return t->pu[i].package;
    }
    return 0;
}

int weft__places_abstract(const struct weft__topo *t,
                          enum weft__place_kind kind, int count,
                          struct weft__places *out) {
    struct builder b = {{0, 0, NULL}, {0, 0, NULL}};
    struct ivec cpus = {0, 0, NULL};
    int ngroups = 0;
    int rc = 0;
    memset(out, 0, sizeof(*out));
    for (int i = 0; i < t->npus; i++)
        if (group_of(t, i, kind) + 1 > ngroups)
            ngroups = group_of(t, i, kind) + 1;
    /* Group ids follow logical order, so walking ids in order gives places
     * in logical order. Groups without PUs (a memory-only NUMA node) give
     * no place. */
    for (int g = 0; g < ngroups && rc == 0; g++) {
        if (count > 0 && b.off.n >= count)
            break;
        cpus.n = 0;
        for (int i = 0; i < t->npus && rc == 0; i++)
            if (group_of(t, i, kind) == g)
                rc = ivec_push(&cpus, t->pu[i].os);
        ivec_normalize(&cpus);
        if (rc == 0)
            rc = builder_add(&b, cpus.v, cpus.n);
    }
    if (rc == 0)
        rc = builder_finish(&b, out);
    builder_free(&b);
    free(cpus.v);
    return rc;
}

/* Parser state: the text, a cursor, the topology, and the error slot. */
struct parser {
    const char *s;
    size_t pos;
    const struct weft__topo *t;
    char *msg;
    size_t msg_cap;
};

static int fail(struct parser *p, const char *fmt, ...) {
    if (p->msg_cap > 0) {
        char reason[160];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(reason, sizeof(reason), fmt, ap);
        va_end(ap);
        snprintf(p->msg, p->msg_cap, "%s at offset %zu", reason, p->pos);
    }
    return -EINVAL;
}

static void skip_ws(struct parser *p) {
    while (isspace((unsigned char)p->s[p->pos]))
        p->pos++;
}

static int peek(struct parser *p) {
    skip_ws(p);
    return (unsigned char)p->s[p->pos];
}

static int accept_ch(struct parser *p, int c) {
    if (peek(p) == c) {
        p->pos++;
        return 1;
    }
    return 0;
}

/* A (possibly negative, when allow_neg) decimal number within the limits. */
static int parse_num(struct parser *p, int allow_neg, int *out) {
    int neg = 0;
    if (allow_neg && (peek(p) == '-' || peek(p) == '+'))
        neg = p->s[p->pos++] == '-';
    skip_ws(p);
    if (!isdigit((unsigned char)p->s[p->pos]))
        return fail(p, "expected a number");
    long v = 0;
    while (isdigit((unsigned char)p->s[p->pos])) {
        v = v * 10 + (p->s[p->pos++] - '0');
        if (v > WEFT__PLACES_MAX_CPU)
            return fail(p, "number too large");
    }
    *out = neg ? -(int)v : (int)v;
    return 0;
}

/* Optional ":len[:stride]" after a number or a place; len >= 1. */
static int parse_interval(struct parser *p, int *len, int *stride) {
    *len = 1;
    *stride = 1;
    if (!accept_ch(p, ':'))
        return 0;
    int rc = parse_num(p, 0, len);
    if (rc < 0)
        return rc;
    if (*len < 1 || *len > WEFT__PLACES_MAX_LEN)
        return fail(p, "interval length must be between 1 and %d",
                    WEFT__PLACES_MAX_LEN);
    if (accept_ch(p, ':'))
        return parse_num(p, 1, stride);
    return 0;
}

/* Pushes num, num+stride, ... (len values); all must be >= 0. */
static int push_interval(struct parser *p, struct ivec *v, int num, int len,
                         int stride) {
    for (int k = 0; k < len; k++) {
        long x = (long)num + (long)k * stride;
        if (x < 0 || x > WEFT__PLACES_MAX_CPU)
            return fail(p, "CPU number %ld out of range", x);
        if (ivec_push(v, (int)x) < 0)
            return -ENOMEM;
    }
    return 0;
}

/* "{res,res,...}" into *raw: the included numbers minus the excluded ones,
 * sorted, without duplicates. A resource is num[:len[:stride]] or !res. */
static int parse_place(struct parser *p, struct ivec *raw) {
    struct ivec excl = {0, 0, NULL};
    int rc = 0;
    raw->n = 0;
    if (!accept_ch(p, '{'))
        return fail(p, "expected '{'");
    do {
        int neg = accept_ch(p, '!');
        int num = 0, len = 1, stride = 1;
        rc = parse_num(p, 0, &num);
        if (rc == 0)
            rc = parse_interval(p, &len, &stride);
        if (rc == 0)
            rc = push_interval(p, neg ? &excl : raw, num, len, stride);
    } while (rc == 0 && accept_ch(p, ','));
    if (rc == 0 && !accept_ch(p, '}'))
        rc = fail(p, "expected ',' or '}'");
    if (rc == 0) {
        ivec_normalize(raw);
        ivec_normalize(&excl);
        int k = 0, j = 0;
        for (int i = 0; i < raw->n; i++) {
            while (j < excl.n && excl.v[j] < raw->v[i])
                j++;
            if (j == excl.n || excl.v[j] != raw->v[i])
                raw->v[k++] = raw->v[i];
        }
        raw->n = k;
    }
    free(excl.v);
    return rc;
}

/* Adds the CPUs of raw shifted by `shift` that the topology has, as one
 * place (nothing when none is left). */
static int add_shifted(struct parser *p, struct builder *b,
                       const struct ivec *raw, long shift, struct ivec *tmp) {
    tmp->n = 0;
    for (int i = 0; i < raw->n; i++) {
        long x = raw->v[i] + shift;
        if (x < 0)
            return fail(p, "place interval reaches negative CPU %ld", x);
        if (x <= WEFT__PLACES_MAX_CPU &&
            weft__topo_pu_of_os(p->t, (int)x) >= 0 &&
            ivec_push(tmp, (int)x) < 0)
            return -ENOMEM;
    }
    return builder_add(b, tmp->v, tmp->n);
}

static int same_place(const struct builder *b, int i, const struct builder *x,
                      int j) {
    int ni = (i + 1 < b->off.n ? b->off.v[i + 1] : b->pus.n) - b->off.v[i];
    int nj = (j + 1 < x->off.n ? x->off.v[j + 1] : x->pus.n) - x->off.v[j];
    return ni == nj && memcmp(b->pus.v + b->off.v[i], x->pus.v + x->off.v[j],
                              (size_t)ni * sizeof(int)) == 0;
}

/* Explicit list: place[:len[:stride]] or !place[...], comma separated. */
static int parse_list(struct parser *p, struct builder *b) {
    struct builder excl = {{0, 0, NULL}, {0, 0, NULL}};
    struct ivec raw = {0, 0, NULL}, tmp = {0, 0, NULL};
    int rc = 0;
    do {
        int neg = accept_ch(p, '!');
        int len = 1, stride = 1;
        rc = parse_place(p, &raw);
        if (rc == 0)
            rc = parse_interval(p, &len, &stride);
        for (int k = 0; rc == 0 && k < len; k++)
            rc = add_shifted(p, neg ? &excl : b, &raw, (long)k * stride, &tmp);
    } while (rc == 0 && accept_ch(p, ','));
    if (rc == 0 && peek(p) != '\0')
        rc = fail(p, "unexpected '%c'", p->s[p->pos]);
    /* Exclusions remove every equal place, wherever it appears. */
    if (rc == 0 && excl.off.n > 0) {
        struct builder kept = {{0, 0, NULL}, {0, 0, NULL}};
        for (int i = 0; rc == 0 && i < b->off.n; i++) {
            int drop = 0;
            for (int j = 0; !drop && j < excl.off.n; j++)
                drop = same_place(b, i, &excl, j);
            int end = i + 1 < b->off.n ? b->off.v[i + 1] : b->pus.n;
            if (!drop)
                rc = builder_add(&kept, b->pus.v + b->off.v[i],
                                 end - b->off.v[i]);
        }
        builder_free(b);
        *b = kept;
    }
    builder_free(&excl);
    free(raw.v);
    free(tmp.v);
    return rc;
}

static const struct {
    const char *name;
    enum weft__place_kind kind;
} abstract_names[] = {
    {"threads", WEFT__PLACES_THREADS},
    {"cores", WEFT__PLACES_CORES},
    {"ll_caches", WEFT__PLACES_LL_CACHES},
    {"numa_domains", WEFT__PLACES_NUMA_DOMAINS},
    {"sockets", WEFT__PLACES_SOCKETS},
};

static int parse_abstract(struct parser *p, struct weft__places *out) {
    size_t start = p->pos;
    while (isalpha((unsigned char)p->s[p->pos]) || p->s[p->pos] == '_')
        p->pos++;
    size_t n = p->pos - start;
    int kind = -1;
    for (size_t i = 0; i < sizeof(abstract_names) / sizeof(abstract_names[0]);
         i++)
        if (strlen(abstract_names[i].name) == n &&
            strncasecmp(abstract_names[i].name, p->s + start, n) == 0)
            kind = (int)abstract_names[i].kind;
    if (kind < 0) {
        p->pos = start;
        return fail(p, "unknown place kind '%.*s'", (int)n, p->s + start);
    }
    int count = 0;
    if (accept_ch(p, '(')) {
        int rc = parse_num(p, 0, &count);
        if (rc < 0)
            return rc;
        if (count < 1)
            return fail(p, "place count must be at least 1");
        if (!accept_ch(p, ')'))
            return fail(p, "expected ')'");
    }
    if (peek(p) != '\0')
        return fail(p, "unexpected '%c'", p->s[p->pos]);
    return weft__places_abstract(p->t, (enum weft__place_kind)kind, count, out);
}

int weft__places_parse(const struct weft__topo *t, const char *s,
                       struct weft__places *out, char *msg, size_t msg_cap) {
    struct parser p = {s ? s : "", 0, t, msg, msg_cap};
    memset(out, 0, sizeof(*out));
    if (msg_cap > 0)
        msg[0] = '\0';
    int c = peek(&p);
    if (c == '\0')
        return fail(&p, "empty place list");
    if (isalpha(c))
        return parse_abstract(&p, out);
    struct builder b = {{0, 0, NULL}, {0, 0, NULL}};
    int rc = parse_list(&p, &b);
    if (rc == 0 && b.off.n == 0)
        rc = fail(&p, "no place holds a CPU of this machine");
    if (rc == 0)
        rc = builder_finish(&b, out);
    builder_free(&b);
    if (rc == -ENOMEM && msg_cap > 0)
        snprintf(msg, msg_cap, "out of memory");
    return rc;
}
