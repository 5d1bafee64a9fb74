/* This file handles firstprivate(): scalars, a struct and a pointer are
 * copied into every thread, changed there, and the originals stay
 * unchanged. */
#include <stdio.h>

struct cfg {
    int scale;
    long offset;
};

int main(void)
{
    enum { N = 30000 };
    static long out[N];
    int n = N;
    int scale = 3;
    long off = 1000;
    struct cfg c = {5, -17};
    const long *base = out;

#pragma omp parallel for firstprivate(scale, off, c, base)
    for (int i = 0; i < n; i++) {
        /* Each iteration changes the private copies and restores them, so
         * a copy shared between threads would race and show up. */
        off += i;
        scale *= 2;
        c.scale -= 1;
        long v = (long)i * scale + off + c.scale * c.offset;
        off -= i;
        scale /= 2;
        c.scale += 1;
        out[i] = v + (base == out);
        base = out + 1;
        base--;
    }
    long s = 0;
    for (int i = 0; i < n; i++)
        s += out[i] ^ i;
    printf("s=%ld scale=%d off=%ld c=%d,%ld\n", s, scale, off, c.scale,
           c.offset);
    return 0;
}
