/* This file handles macros that expand to a _Pragma directive together
 * with the whole loop it applies to (a common idiom in code that hides
 * OpenMP behind its own macros): the loop body written after the macro,
 * the whole statement inside it (do { } while (0)), a reduction variable
 * that is a macro argument, macros nested in macros, macros defined in a
 * header, multi-line invocations, one macro used several times, and a
 * macro whose expansion is wrapped in another macro's argument. */
#include <stdio.h>

#include "pragma_macro_loop.h"

#define FILL(arr, n, expr)                                                    \
    _Pragma("omp parallel for")                                               \
    for (int i_ = 0; i_ < (n); i_++)                                          \
        (arr)[i_] = (expr)

#define PFOR(i, n) _Pragma("omp parallel for") for (int i = 0; i < (n); i++)

/* The reduction variable is named in the pragma's text, so it is spelled
 * there as the program's variable (a parameter is not replaced inside a
 * string literal). */
#define PAR_SUM(a, n)                                                         \
    do {                                                                      \
        _Pragma("omp parallel for reduction(+:total)")                        \
        for (int i_ = 0; i_ < (n); i_++)                                      \
            total += (a)[i_];                                                 \
    } while (0)

/* Nested: one macro builds on another, which builds on PML_PRAGMA. */
#define PFOR_DYN(i, n) PFOR_SCHED(dynamic, 16, i, n)
#define PFOR_SCHED(kind, chunk, i, n)                                         \
    PML_PRAGMA(omp parallel for schedule(kind, chunk))                        \
    for (int i = 0; i < (n); i++)

#define STR_(x) #x
#define PFOR_GUIDED(i, n)                                                     \
    _Pragma(STR_(omp parallel for schedule(guided)))                          \
    for (int i = 0; i < (n); i++)

#define WRAP(stmt) do { stmt } while (0)

int main(void)
{
    enum { N = 9000 };
    static long a[N], b[N], c[N];
    int n = N;
    long total = 0, sum2 = 0, sum3 = 0;

    FILL(a, n, i_ % 123);
    FILL(b, n, a[i_] * 2 + i_);
    PFOR(i, n) c[i] = a[i] + b[i];
    PFOR(i, n)
        c[i] += 3 * (i & 7);
    PFOR(
        j,
        n) {
        a[j] = c[j] - b[j];
        b[j] = a[j] ^ (long)j;
    }
    PAR_SUM(c, n);
    PAR_SUM(b, n);
    PFOR_DYN(k, n) a[k] = a[k] * 5 % 1001;
    PFOR_GUIDED(k, n) c[k] += a[k];
    PML_FOR(m, 1, n, schedule(static, 7)) b[m] = c[m - 1] / 2 + a[m];
    PML_SUM(sum2, b, n);
    PML_SUM(sum3, c,
            n / 2);
    WRAP(PFOR(i, n) a[i] += i;);

    unsigned long s = 0;
    for (int i = 0; i < n; i++)
        s = s * 3 + (unsigned long)(a[i] + b[i] + c[i]);
    printf("s=%lu total=%ld sum2=%ld sum3=%ld\n", s, total, sum2, sum3);
    return 0;
}
