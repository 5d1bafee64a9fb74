/* This file handles the built-in reduction table (struct weft_red_var):
 * setting a partial to its identities, combining two partials, and folding
 * a total into the original variables, for C's arithmetic scalar types and
 * the built-in operators, scalars and array sections alike. The
 * translator emits a table instead of three functions per construct for
 * these, which keeps the generated file cheap to compile.
 *
 * Pure functions, no synchronisation: the caller (reduce.c) owns the
 * partials and takes WEFT_atomic_begin for a WEFT_RED_LOCKED fini. The
 * update expressions are those the translator generates (outline.c,
 * add_combine / add_identity), written on the same C types, so results are
 * bit-identical to the generated helpers: `a = a + x` with the usual
 * promotions and the conversion back, `if (x < a) a = x` for min. */
#include <float.h>
#include <limits.h>
#include <stdint.h>

#include "weft-internal.h"

/* Which of the two updates a loop runs. */
enum { RB_INIT, RB_COMB };

/* One function per element type: a[0..n) = identity (RB_INIT), or
 * a[j] = a[j] OP b[j] (RB_COMB). The switch is outside the loops so each
 * loop is tight (sections may be megabytes); a and b never overlap. Only
 * integer types get the bitwise operators. Returns 0 for an operator the
 * type does not have. */
#define RB_LOOP(T, EXPR)                                                       \
    do {                                                                       \
        for (size_t j = 0; j < n; j++) {                                       \
            EXPR;                                                              \
        }                                                                      \
    } while (0)

#define RB_COMMON_OPS(T, MINID, MAXID)                                         \
    case WEFT_RED_ADD:                                                         \
        if (what == RB_INIT)                                                   \
            RB_LOOP(T, a[j] = (T)0);                                           \
        else                                                                   \
            RB_LOOP(T, a[j] = a[j] + b[j]);                                    \
        return 1;                                                              \
    case WEFT_RED_MUL:                                                         \
        if (what == RB_INIT)                                                   \
            RB_LOOP(T, a[j] = (T)1);                                           \
        else                                                                   \
            RB_LOOP(T, a[j] = (T)(0 + a[j] * b[j]));                           \
        return 1;                                                              \
    case WEFT_RED_LAND:                                                        \
        if (what == RB_INIT)                                                   \
            RB_LOOP(T, a[j] = (T)1);                                           \
        else                                                                   \
            RB_LOOP(T, a[j] = a[j] && b[j]);                                   \
        return 1;                                                              \
    case WEFT_RED_LOR:                                                         \
        if (what == RB_INIT)                                                   \
            RB_LOOP(T, a[j] = (T)0);                                           \
        else                                                                   \
            RB_LOOP(T, a[j] = a[j] || b[j]);                                   \
        return 1;                                                              \
    case WEFT_RED_MIN:                                                         \
        if (what == RB_INIT)                                                   \
            RB_LOOP(T, a[j] = (MINID));                                        \
        else                                                                   \
            RB_LOOP(T, if (b[j] < a[j]) a[j] = b[j]);                          \
        return 1;                                                              \
    case WEFT_RED_MAX:                                                         \
        if (what == RB_INIT)                                                   \
            RB_LOOP(T, a[j] = (MAXID));                                        \
        else                                                                   \
            RB_LOOP(T, if (b[j] > a[j]) a[j] = b[j]);                          \
        return 1;

#define RB_INT_FN(NAME, T, MINID, MAXID, ONES)                                 \
    static int NAME(int what, unsigned op, void *av, const void *bv,           \
                    size_t n) {                                                \
        T *a = (T *)av;                                                        \
        const T *b = (const T *)bv;                                            \
        switch (op) {                                                          \
            RB_COMMON_OPS(T, MINID, MAXID)                                     \
        case WEFT_RED_AND:                                                     \
            if (what == RB_INIT)                                               \
                RB_LOOP(T, a[j] = (ONES));                                     \
            else                                                               \
                RB_LOOP(T, a[j] = a[j] & b[j]);                                \
            return 1;                                                          \
        case WEFT_RED_OR:                                                      \
            if (what == RB_INIT)                                               \
                RB_LOOP(T, a[j] = (T)0);                                       \
            else                                                               \
                RB_LOOP(T, a[j] = a[j] | b[j]);                                \
            return 1;                                                          \
        case WEFT_RED_XOR:                                                     \
            if (what == RB_INIT)                                               \
                RB_LOOP(T, a[j] = (T)0);                                       \
            else                                                               \
                RB_LOOP(T, a[j] = a[j] ^ b[j]);                                \
            return 1;                                                          \
        default:                                                               \
            return 0;                                                          \
        }                                                                      \
    }

#define RB_FLT_FN(NAME, T, HUGE)                                               \
    static int NAME(int what, unsigned op, void *av, const void *bv,           \
                    size_t n) {                                                \
        T *a = (T *)av;                                                        \
        const T *b = (const T *)bv;                                            \
        switch (op) {                                                          \
            RB_COMMON_OPS(T, (T)(HUGE), (T)(-HUGE))                            \
        default:                                                               \
            return 0;                                                          \
        }                                                                      \
    }

/* min's identity is the type's largest value, max's the smallest (for
 * _Bool: 1 and 0), as add_identity spells them; &'s is all ones ((_Bool)~0
 * is 1). `0 + a * b` is a * b with the promotions spelled out (gcc warns
 * about `*` assigned to a _Bool otherwise). */
RB_INT_FN(rb_bool, _Bool, 1, 0, 1)
RB_INT_FN(rb_i8, signed char, SCHAR_MAX, SCHAR_MIN,
          (signed char)~(signed char)0)
RB_INT_FN(rb_u8, unsigned char, UCHAR_MAX, 0, (unsigned char)~(unsigned char)0)
RB_INT_FN(rb_i16, int16_t, INT16_MAX, INT16_MIN, (int16_t) ~(int16_t)0)
RB_INT_FN(rb_u16, uint16_t, UINT16_MAX, 0, (uint16_t) ~(uint16_t)0)
RB_INT_FN(rb_i32, int32_t, INT32_MAX, INT32_MIN, (int32_t) ~(int32_t)0)
RB_INT_FN(rb_u32, uint32_t, UINT32_MAX, 0, (uint32_t) ~(uint32_t)0)
RB_INT_FN(rb_i64, int64_t, INT64_MAX, INT64_MIN, (int64_t) ~(int64_t)0)
RB_INT_FN(rb_u64, uint64_t, UINT64_MAX, 0, (uint64_t) ~(uint64_t)0)
RB_FLT_FN(rb_f, float, __builtin_huge_valf())
RB_FLT_FN(rb_d, double, __builtin_huge_val())
RB_FLT_FN(rb_ld, long double, __builtin_huge_vall())

typedef int (*rb_fn)(int what, unsigned op, void *a, const void *b, size_t n);

/* Indexed by WEFT_RED_T_*. */
static const rb_fn rb_fns[] = {NULL,   rb_bool, rb_i8,  rb_u8,  rb_i16,
                               rb_u16, rb_i32,  rb_u32, rb_i64, rb_u64,
                               rb_f,   rb_d,    rb_ld};
#define RB_NTYPES (sizeof rb_fns / sizeof rb_fns[0])

int weft__red_table_valid(const struct weft_reduction *r) {
    if (!r->vars || !r->nvars)
        return 0;
    for (unsigned i = 0; i < r->nvars; i++) {
        const struct weft_red_var *v = &r->vars[i];
        if (v->type == 0 || v->type >= RB_NTYPES || v->op < WEFT_RED_ADD ||
            v->op > WEFT_RED_MAX || v->orig_cap < 0)
            return 0;
        if (v->type >= WEFT_RED_T_FLOAT &&
            (v->op == WEFT_RED_AND || v->op == WEFT_RED_OR ||
             v->op == WEFT_RED_XOR))
            return 0;
        if (v->len_cap >= 0 && (v->roff_cap < 0 || v->roff_idx < 0))
            return 0;
    }
    return 1;
}

/* Where variable v lives in partial p, and how many elements it has. */
static void *rb_place(const struct weft_red_var *v, void **cap, void *p,
                      size_t *n) {
    if (v->len_cap < 0) {
        *n = 1;
        return (char *)p + v->offset;
    }
    *n = *(const size_t *)cap[v->len_cap];
    return (char *)p + ((const size_t *)cap[v->roff_cap])[v->roff_idx];
}

void weft__red_table_init(const struct weft_reduction *r, void *data,
                          void *slot) {
    void **cap = (void **)data;
    for (unsigned i = 0; i < r->nvars; i++) {
        const struct weft_red_var *v = &r->vars[i];
        size_t n;
        void *a = rb_place(v, cap, slot, &n);
        rb_fns[v->type](RB_INIT, v->op, a, NULL, n);
    }
}

void weft__red_table_combine(const struct weft_reduction *r, void *data,
                             void *into, const void *from) {
    void **cap = (void **)data;
    for (unsigned i = 0; i < r->nvars; i++) {
        const struct weft_red_var *v = &r->vars[i];
        size_t n;
        void *a = rb_place(v, cap, into, &n);
        const void *b = (const char *)from + ((char *)a - (char *)into);
        rb_fns[v->type](RB_COMB, v->op, a, b, n);
    }
}

void weft__red_table_fini(const struct weft_reduction *r, void *data,
                          void *slot) {
    void **cap = (void **)data;
    for (unsigned i = 0; i < r->nvars; i++) {
        const struct weft_red_var *v = &r->vars[i];
        size_t n;
        const void *b = rb_place(v, cap, slot, &n);
        /* original = original OP total, element by element. */
        rb_fns[v->type](RB_COMB, v->op, cap[v->orig_cap], b, n);
    }
}
