/* This file handles directives produced by macros: _Pragma("omp parallel
 * for") written directly, inside a macro, and with clauses built from
 * macro arguments by stringizing. A macro that expands to the pragma and
 * its whole loop: see pragma_macro_loop.c. */
#include <stdio.h>

#define PAR_FOR _Pragma("omp parallel for")
#define STR(x) #x
#define PRAGMA(x) _Pragma(STR(x))
#define PAR_FOR_SCHED(kind, k) PRAGMA(omp parallel for schedule(kind, k))

int main(void)
{
    enum { N = 9000 };
    static long a[N], b[N];
    int n = N;
    long s = 0;

    _Pragma("omp parallel for")
    for (int i = 0; i < n; i++)
        a[i] = i % 123;
    PAR_FOR
    for (int i = 0; i < n; i++)
        b[i] = a[i] * 2;
    PAR_FOR_SCHED(dynamic, 16)
    for (int i = 0; i < n; i++)
        a[i] += b[n - 1 - i];
    PAR_FOR
    for (int i = 0; i < n; i++)
        b[i] = i * 3L;
    PRAGMA(omp parallel for reduction(+: s))
    for (int i = 0; i < n; i++)
        s += a[i] ^ b[i];
    printf("s=%ld\n", s);
    return 0;
}
