/* This file handles a translate + compile + run test: reductions with every operator, several
 * variables and clauses, min/max on integers and floating point, and
 * array sections (constant and run-time lengths). */
#include <stdio.h>

int main(int argc, char **argv)
{
    int n = 1000 + argc - 1;
    long sum = 0, prod = 1, diff = 0;
    unsigned bits_and = ~0u, bits_or = 0, bits_xor = 0;
    int all = 1, any = 0;
    double dmin = 1e300, dmax = -1e300;
    int imin = 1 << 30;
    unsigned char cmax = 0;
    (void)argv;
    #pragma omp parallel for reduction(+: sum) reduction(*: prod) \
        reduction(-: diff) reduction(&: bits_and) reduction(|: bits_or) \
        reduction(^: bits_xor) reduction(&&: all) reduction(||: any) \
        schedule(guided)
    for (int i = 1; i <= n; i++) {
        sum += i;
        if (i % 100 == 0)
            prod *= 2;
        diff -= i % 3;
        bits_and &= (unsigned)i | 0x1000u;
        bits_or |= 1u << (i % 20);
        bits_xor ^= (unsigned)i * 2654435761u;
        all = all && (i > 0);
        any = any || (i == 777);
    }
    printf("ops %ld %ld %ld %u %u %u %d %d\n", sum, prod, diff, bits_and,
           bits_or, bits_xor, all, any);

    #pragma omp parallel for reduction(min: dmin, imin) reduction(max: dmax, cmax)
    for (int i = 0; i < n; i++) {
        double x = (i - 400) * (i - 400) * 0.25 - 3;
        if (x < dmin) dmin = x;
        if (x > dmax) dmax = x;
        int y = (i * 37) % 1001 - 500;
        imin = y < imin ? y : imin;
        unsigned char z = (unsigned char)(i % 200);
        cmax = z > cmax ? z : cmax;
    }
    printf("minmax %.2f %.2f %d %d\n", dmin, dmax, imin, cmax);

    long hist[16] = {0};
    int bins = 8;
    long *h2 = hist + 8;
    #pragma omp parallel for reduction(+: hist[0:8]) reduction(+: h2[0:bins])
    for (int i = 0; i < n; i++) {
        hist[i % 8] += 1;
        h2[(i * 7) % bins] += i;
    }
    long hs = 0;
    for (int i = 0; i < 16; i++)
        hs = hs * 3 + hist[i];
    printf("sections %ld %ld %ld\n", hs, hist[0], hist[15]);

    double total = 0;
    #pragma omp parallel for reduction(+: total) schedule(runtime)
    for (int i = 0; i < n; i++)
        total += 0.5;
    printf("double %.1f\n", total);
    return 0;
}
