/* This file handles reduction(min) and reduction(max) on int, long,
 * unsigned, float and double, with extremes placed at the ends, in the
 * middle and repeated. */
#include <stdio.h>

int main(void)
{
    enum { N = 100000 };
    static double d[N];
    int n = N;
    for (int i = 0; i < n; i++)
        d[i] = (double)((i * 7919) % 100003) - 50000.0;
    d[n - 1] = 123456.5;
    d[0] = -98765.25;

    int imin = 1 << 30, imax = -(1 << 30);
    long lmin = 1L << 60, lmax = -(1L << 60);
    unsigned umin = ~0u, umax = 0;
    float fmin = 1e30f, fmax = -1e30f;
    double dmin = 1e300, dmax = -1e300;

#pragma omp parallel for reduction(min: imin, dmin) reduction(max: imax, dmax)
    for (int i = 0; i < n; i++) {
        int v = (int)d[i];
        imin = v < imin ? v : imin;
        imax = v > imax ? v : imax;
        dmin = d[i] < dmin ? d[i] : dmin;
        dmax = d[i] > dmax ? d[i] : dmax;
    }
#pragma omp parallel for reduction(min: lmin, umin, fmin) reduction(max: lmax, umax, fmax)
    for (int i = 0; i < n; i++) {
        long lv = (long)d[i] * 1000000L;
        unsigned uv = (unsigned)(i * 2654435761u);
        float fv = (float)(i % 4096) - 2048.0f;
        if (lv < lmin) lmin = lv;
        if (lv > lmax) lmax = lv;
        if (uv < umin) umin = uv;
        if (uv > umax) umax = uv;
        if (fv < fmin) fmin = fv;
        if (fv > fmax) fmax = fv;
    }
    printf("int %d %d\nlong %ld %ld\nunsigned %u %u\n", imin, imax, lmin,
           lmax, umin, umax);
    printf("float %.9g %.9g\ndouble %.17g %.17g\n", fmin, fmax, dmin, dmax);
    return 0;
}
