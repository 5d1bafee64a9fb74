/* This file handles atomic read, write, update and capture on every
 * arithmetic type OpenMP allows in C (char, short, int, long, long long,
 * unsigned, float, double, long double, _Bool), with the update operators
 * + - * / & | ^ << >> in both `x op= e` and `x = x op e` / `x = e op x`
 * spellings, and the capture forms `v = x++`, `v = ++x`, `v = x--`,
 * `v = x op= e`, `{v = x; x op= e;}`, `{x op= e; v = x;}` and the swap
 * `{v = x; x = e;}`. Captured values are checked to be all different (each
 * thread saw its own step), so a lost or torn update changes the output.
 * All values are exact (small integers, binary fractions). */
#include <stdio.h>
#include <string.h>

enum { N = 1200, SMALL = 100 };
static unsigned char seen[N + 1];

/* Number of captured values not in 0..n-1 or seen twice; clears seen. */
static int dups(const int *v, int n)
{
    int bad = 0;
    memset(seen, 0, sizeof seen);
    for (int i = 0; i < n; i++) {
        if (v[i] < 0 || v[i] >= n || seen[v[i]]++)
            bad++;
    }
    return bad;
}

static int cap_i[N], cap_l[N], cap_f[N], cap_d[N], cap_ld[N], cap_s[N];
static int cap_c[SMALL], cap_ll[N], cap_u[N], cap_pre[N], cap_post[N];

int main(void)
{
    char c = 0;
    short s = 0;
    int i32 = 0, down = N, up = 0, swapped = 0, firsts = 0;
    long l = 0;
    long long ll = 0;
    unsigned u = 0, bits = 0, sh = 1, shr = 1u << 30;
    float f = 0;
    double d = 0, dv = 1024.0, mulv = 1.0;
    long double ld = 0;
    _Bool b = 0, any = 0;
    int reads_ok = 1;
#pragma omp parallel reduction(&&:reads_ok)
    {
#pragma omp for schedule(dynamic, 8)
        for (int i = 0; i < N; i++) {
            int v;
            /* int: v = x++ */
#pragma omp atomic capture
            v = i32++;
            cap_i[i] = v;
            /* long: {v = x; x += e;} */
            long lv;
#pragma omp atomic capture
            {
                lv = l;
                l += 3;
            }
            cap_l[i] = (int)(lv / 3);
            /* long long: {x += e; v = x;} */
            long long llv;
#pragma omp atomic capture
            {
                ll += 5;
                llv = ll;
            }
            cap_ll[i] = (int)(llv / 5 - 1);
            /* unsigned: v = x += e */
            unsigned uv;
#pragma omp atomic capture
            uv = u += 2u;
            cap_u[i] = (int)(uv / 2 - 1);
            /* short: v = ++x */
            short sv;
#pragma omp atomic capture
            sv = ++s;
            cap_s[i] = sv - 1;
            /* int: v = x-- and v = --x */
            int dvv;
#pragma omp atomic capture
            dvv = down--;
            cap_pre[i] = dvv - 1;
            int pv;
#pragma omp atomic capture
            pv = --up;
            cap_post[i] = pv + N;
            /* float, double, long double: binary fractions are exact */
            float fv;
#pragma omp atomic capture
            {
                fv = f;
                f += 0.5f;
            }
            cap_f[i] = (int)(fv * 2);
            double dcv;
#pragma omp atomic capture
            {
                d = d + 0.25;
                dcv = d;
            }
            cap_d[i] = (int)(dcv * 4) - 1;
            long double ldv;
#pragma omp atomic capture
            ldv = ld += 0.125L;
            cap_ld[i] = (int)(ldv * 8) - 1;
            /* bitwise updates, both spellings */
#pragma omp atomic
            bits |= 1u << (i % 32);
#pragma omp atomic update
            bits = bits & ~(1u << 31);
#pragma omp atomic
            bits ^= 0u;
            /* _Bool: update, and the swap {v = x; x = e;}: one thread
             * sees the old value false */
#pragma omp atomic
            any |= i == N / 2;
            _Bool old;
#pragma omp atomic capture
            {
                old = b;
                b = 1;
            }
            if (!old) {
#pragma omp atomic
                firsts++;
            }
            /* atomic read and write */
            int r;
#pragma omp atomic read
            r = swapped;
            reads_ok = reads_ok && (r == 0 || r == 7);
#pragma omp atomic write
            swapped = 7;
        }
#pragma omp for
        for (int i = 0; i < SMALL; i++) {
            char cv;
#pragma omp atomic capture
            cv = c++;
            cap_c[i] = cv;
        }
#pragma omp for
        for (int i = 0; i < 10; i++) {
            /* * / << >> on few steps: every order gives the same */
#pragma omp atomic
            dv /= 2;
#pragma omp atomic
            mulv = 2.0 * mulv;
#pragma omp atomic
            sh <<= 1;
#pragma omp atomic
            shr = shr >> 1;
        }
    }
    printf("int=%d long=%ld ll=%lld unsigned=%u short=%d char=%d down=%d "
           "up=%d\n",
           i32, l, ll, u, s, c, down, up);
    printf("float=%.1f double=%.2f ldouble=%.3Lf bits=%x bool=%d any=%d "
           "firsts=%d swapped=%d reads_ok=%d\n",
           f, d, ld, bits, b, any, firsts, swapped, reads_ok);
    printf("div=%.0f mul=%.0f shl=%u shr=%u\n", dv, mulv, sh, shr);
    printf("captured duplicates: int=%d long=%d ll=%d unsigned=%d short=%d "
           "x--=%d --x=%d float=%d double=%d ldouble=%d char=%d\n",
           dups(cap_i, N), dups(cap_l, N), dups(cap_ll, N), dups(cap_u, N),
           dups(cap_s, N), dups(cap_pre, N), dups(cap_post, N),
           dups(cap_f, N), dups(cap_d, N), dups(cap_ld, N),
           dups(cap_c, SMALL));
    return 0;
}
