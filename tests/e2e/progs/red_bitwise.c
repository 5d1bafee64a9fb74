/* This file handles reduction(&), reduction(|) and reduction(^) on int,
 * unsigned, long and unsigned char. */
#include <stdio.h>

int main(void)
{
    int n = 65536;
    unsigned a = ~0u;
    unsigned o = 0;
    unsigned x = 0;
    long la = -1, lo = 0, lx = 0;
    int ia = 0x7fffffff;
    unsigned char cx = 0;

#pragma omp parallel for reduction(&: a) reduction(|: o) reduction(^: x)
    for (int i = 0; i < n; i++) {
        unsigned v = (unsigned)i * 2246822519u;
        a &= v | 0x80000001u;
        o |= 1u << (i % 23);
        x ^= v;
    }
#pragma omp parallel for reduction(&: la, ia) reduction(|: lo) reduction(^: lx)
    for (long i = 0; i < n; i++) {
        la &= ~(i == 4242 ? 0x10L : 0L);
        ia &= (i == 100 ? 0x7ffffff0 : 0x7fffffff);
        lo |= i << 20;
        lx ^= i * 1000003L;
    }
#pragma omp parallel for reduction(^: cx)
    for (int i = 0; i < n; i++)
        cx ^= (unsigned char)(i * 13);

    printf("and=%08x or=%08x xor=%08x\n", a, o, x);
    printf("land=%lx lor=%lx lxor=%lx iand=%x cxor=%u\n", la, lo, lx, ia,
           (unsigned)cx);
    return 0;
}
