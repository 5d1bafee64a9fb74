/* This file handles an end-to-end cluster program built with weftcc: a
 * step-2 loop with a non-zero lower bound and tofrom slices of w elements
 * (row[(i - lo) * w : w]), a min reduction and a local array mapped 'to';
 * the serial cc build of the same file must print the same lines. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 6001, w = 16, lo = 7;
    int coef[4] = {3, 1, 4, 1};
    long *row = malloc((size_t)(n + 2) * w * sizeof *row);
    if (!row)
        return 1;
    for (long k = 0; k < (long)(n + 2) * w; k++)
        row[k] = k % 97;
    long mn = 1L << 60;
    #pragma weft parallel for cluster map(tofrom: row[(i - lo) * w : w]) map(to: coef) reduction(min: mn)
    for (int i = lo; i < n; i += 2) {
        for (int j = 0; j < w; j++) {
            long v = row[(long)(i - lo) * w + j];
            for (int r = 0; r < 300; r++)
                v = (v * coef[r & 3] + i + j) % 100003;
            row[(long)(i - lo) * w + j] = v;
            if (v < mn)
                mn = v;
        }
    }
    long sum = 0;
    for (long k = 0; k < (long)(n + 2) * w; k++)
        sum += row[k] * (k % 5 + 1);
    printf("min %ld sum %ld\n", mn, sum);
    free(row);
    return 0;
}
