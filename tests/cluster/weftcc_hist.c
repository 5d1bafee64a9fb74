/* This file handles an end-to-end cluster program built with weftcc: a
 * histogram as an array-section reduction with a run-time length
 * (hist[0:nb]), a scalar reduction, a struct and a firstprivate array
 * copied to the workers by value; the serial cc build must print the same
 * line (integer counts: the result does not depend on order). */
#include <stdio.h>
#include <stdlib.h>

struct cfg {
    int bins;
    double scale;
};

int main(void) {
    long n = 400000;
    int nb = 16;
    long *hist = calloc((size_t)nb, sizeof *hist);
    if (!hist)
        return 1;
    const int w[4] = {1, 2, 3, 4};
    struct cfg c = {16, 0.5};
    long long tot = 0;
#pragma weft parallel for cluster reduction(+: hist[0:nb], tot) firstprivate(w) schedule(dynamic, 512)
    for (long i = 0; i < n; i++) {
        long v = 0;
        for (int r = 0; r < 100; r++)
            v = (v * 31 + i + r) % 10007;
        hist[v % c.bins] += w[i & 3];
        tot += (long long)(v * c.scale);
    }
    long s = 0;
    for (int b = 0; b < nb; b++)
        s += hist[b] * (b + 1);
    printf("weighted %ld total %lld bin3 %ld\n", s, tot, hist[3]);
    free(hist);
    return 0;
}
