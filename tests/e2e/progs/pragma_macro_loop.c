/* This file handles a macro that expands to a _Pragma directive together
 * with the whole loop it applies to (a common idiom in code that hides
 * OpenMP behind its own macros). */
// E2E-WEFT-REJECTS: expands to both the pragma and its loop
#include <stdio.h>

#define FILL(arr, n, expr)                                                    \
    _Pragma("omp parallel for")                                               \
    for (int i_ = 0; i_ < (n); i_++)                                          \
        (arr)[i_] = (expr)

int main(void)
{
    enum { N = 9000 };
    static long a[N], b[N];
    int n = N;
    FILL(a, n, i_ % 123);
    FILL(b, n, a[i_] * 2 + i_);
    unsigned long s = 0;
    for (int i = 0; i < n; i++)
        s = s * 3 + b[i];
    printf("s=%lu\n", s);
    return 0;
}
