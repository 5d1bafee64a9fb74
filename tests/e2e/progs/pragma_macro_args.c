/* This file handles macros that take the loop body as an argument and
 * expand to the pragma and the whole loop: bodies with commas
 * (__VA_ARGS__), directives inside the argument (_Pragma critical and
 * atomic), token pasting and stringizing of arguments, the GNU
 * `, ## __VA_ARGS__`, the weft spelling, collapse over two loops, a
 * worksharing `for` macro inside a parallel region, and lastprivate. */
#include <stdio.h>
#include <string.h>

#define PAR_FOR(i, n, ...)                                                    \
    _Pragma("omp parallel for") for (int i = 0; i < (n); i++) { __VA_ARGS__ }

#define WEFT_FOR(i, n, body)                                                  \
    _Pragma("weft parallel for schedule(dynamic, 8)")                         \
    for (int i = 0; i < (n); i++) body

/* Pastes the array names together from a prefix. */
#define SCALE_ARR(pfx, k, n)                                                  \
    _Pragma("omp parallel for")                                               \
    for (int i = 0; i < (n); i++) pfx##_dst[i] = pfx##_src[i] * (k)

/* The body's text becomes a string the loop measures. */
#define TAG_LEN(dst, n, expr)                                                 \
    _Pragma("omp parallel for")                                               \
    for (int i = 0; i < (n); i++) dst[i] = (long)strlen(#expr) + (expr)

static long mix(long x, long y, long z) { return x * 7 + y * 3 + z; }
/* GNU: with no extra argument the comma goes too. */
#define MIX_FOR(dst, n, x, ...)                                               \
    _Pragma("omp parallel for")                                               \
    for (int i = 0; i < (n); i++) dst[i] = mix(x, i, 0 , ## __VA_ARGS__)
#define MIX3(x, y, z) ((x) * 7 + (y) * 3 + (z))

#define GRID(i, j, n, m)                                                      \
    _Pragma("omp parallel for collapse(2)")                                   \
    for (int i = 0; i < (n); i++)                                             \
        for (int j = 0; j < (m); j++)

#define WS_FOR(i, n) _Pragma("omp for") for (int i = 0; i < (n); i++)

int main(void)
{
    enum { N = 4000, R = 40, C = 50 };
    static long a[N], b[N], v_src[N], v_dst[N], g[R][C];
    int n = N;
    long hits = 0, count = 0, crit = 0;

    PAR_FOR(i, n, a[i] = i % 17, b[i] = (i * 7) % 31;)
    PAR_FOR(i, n, {
        long x = a[i] + b[i], y = x % 5;
        if (y == 2) {
            _Pragma("omp atomic")
            hits++;
        }
        if (x > 40) {
            _Pragma("omp critical")
            {
                crit += x;
                count++;
            }
        }
    })
    WEFT_FOR(i, n, { v_src[i] = a[i] * b[i]; })
    SCALE_ARR(v, 3, n);
    TAG_LEN(a, n, v_dst[i] % 11);
    MIX_FOR(b, n, a[i]);
    GRID(r, c, R, C) g[r][c] = MIX3(r, c, a[r * C + c]);

    long last = -1;
    _Pragma("omp parallel")
    {
        WS_FOR(i, n) v_src[i] += b[i] & 3;
        _Pragma("omp for lastprivate(last)")
        for (int i = 0; i < n; i++)
            last = v_src[i] - i;
    }

    unsigned long s = 0;
    for (int i = 0; i < n; i++)
        s = s * 5 + (unsigned long)(a[i] + b[i] + v_dst[i] + v_src[i]);
    for (int r = 0; r < R; r++)
        for (int c = 0; c < C; c++)
            s = s * 3 + (unsigned long)g[r][c];
    printf("s=%lu hits=%ld count=%ld crit=%ld last=%ld\n", s, hits, count,
           crit, last);
    return 0;
}
