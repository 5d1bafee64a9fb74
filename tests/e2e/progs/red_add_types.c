/* This file handles reduction(+) on every integer type: int, long, long
 * long, unsigned (wrapping on purpose: modular sums do not depend on the
 * order), unsigned char, signed char and short with values that stay in
 * range. */
#include <stdio.h>

int main(void)
{
    int n = 100000;
    int si = 0;
    long sl = 0;
    long long sll = 0;
    unsigned su = 0;
    unsigned char suc = 0;
    signed char ssc = 0;
    short ss = 0;
    unsigned short sus = 0;

#pragma omp parallel for reduction(+: si)
    for (int i = 0; i < n; i++)
        si += i % 100 - 49;
#pragma omp parallel for reduction(+: sl)
    for (int i = 0; i < n; i++)
        sl += (long)i * i;
#pragma omp parallel for reduction(+: sll)
    for (int i = 0; i < n; i++)
        sll += (long long)i * 100003;
#pragma omp parallel for reduction(+: su)
    for (int i = 0; i < n; i++)
        su += (unsigned)i * 2654435761u;
#pragma omp parallel for reduction(+: suc)
    for (int i = 0; i < n; i++)
        suc += (unsigned char)(i * 7);
#pragma omp parallel for reduction(+: ssc)
    for (int i = 0; i < 200; i++)
        ssc += (signed char)(i % 2 ? 1 : -1);
#pragma omp parallel for reduction(+: ss)
    for (int i = 0; i < 3000; i++)
        ss += (short)(i % 7 - 3);
#pragma omp parallel for reduction(+: sus)
    for (int i = 0; i < n; i++)
        sus += (unsigned short)(i * 3);

    printf("int %d\nlong %ld\nlong long %lld\nunsigned %u\n", si, sl, sll, su);
    printf("uchar %u\nschar %d\nshort %d\nushort %u\n", (unsigned)suc,
           (int)ssc, (int)ss, (unsigned)sus);
    return 0;
}
