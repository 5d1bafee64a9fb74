/* This file handles an image convolution kernel in modern C99 style: image
 * planes passed as variably modified parameters (`int img[h][w]`), size_t
 * loop counters, a 5x5 integer filter applied through a function pointer
 * chosen at run time for the edge policy (clamp or wrap), collapse(2) over
 * rows and columns, statistics in a struct updated with atomics on its
 * members, and a threshold pass whose per-row counts go into a
 * heap-allocated array section reduction.
 *
 * Deterministic output: integer arithmetic throughout. */
#include <stdio.h>
#include <stdlib.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#define H 300
#define W 257
#define K 2 /* filter radius */

struct stats {
    long sum;
    long count_hi;
    int maxval;
    unsigned checksum;
};

typedef size_t (*edge_fn)(long i, size_t n);

static size_t clamp_edge(long i, size_t n) {
    return i < 0 ? 0 : (size_t)i >= n ? n - 1 : (size_t)i;
}

static size_t wrap_edge(long i, size_t n) {
    return (size_t)((i % (long)n + (long)n) % (long)n);
}

static void convolve(size_t h, size_t w, int out[h][w], int in[h][w],
                     int filt[2 * K + 1][2 * K + 1], int norm, edge_fn edge,
                     struct stats *st) {
    size_t r, c;
#pragma omp parallel for collapse(2) schedule(static)
    for (r = 0; r < h; r++)
        for (c = 0; c < w; c++) {
            int dr, dc, acc = 0;
            for (dr = -K; dr <= K; dr++)
                for (dc = -K; dc <= K; dc++)
                    acc += filt[dr + K][dc + K] *
                           in[edge((long)r + dr, h)][edge((long)c + dc, w)];
            acc /= norm;
            out[r][c] = acc;
#pragma omp atomic
            st->sum += acc;
            if (acc > 180) {
#pragma omp atomic update
                st->count_hi++;
            }
#pragma omp atomic
            st->checksum ^= (unsigned)acc * 2654435761u;
        }
}

int main(void) {
    static int img[H][W], tmp[H][W], out[H][W];
    int filt[2 * K + 1][2 * K + 1] = {{1, 4, 6, 4, 1},
                                      {4, 16, 24, 16, 4},
                                      {6, 24, 36, 24, 6},
                                      {4, 16, 24, 16, 4},
                                      {1, 4, 6, 4, 1}};
    struct stats s1 = {0, 0, 0, 0}, s2 = {0, 0, 0, 0};
    long *rowcnt;
    size_t r, c;
    int mx;
    long total;
    double t0;

    for (r = 0; r < H; r++)
        for (c = 0; c < W; c++)
            img[r][c] = (int)((r * 7 + c * 13 + (r * c) % 31) % 256);
    rowcnt = calloc(H, sizeof *rowcnt);
    if (!rowcnt)
        return 1;

    t0 = 0.0;
#ifdef _OPENMP
    t0 = omp_get_wtime();
#endif
    convolve(H, W, tmp, img, filt, 256, clamp_edge, &s1);
    convolve(H, W, out, tmp, filt, 256, wrap_edge, &s2);

    mx = 0;
#pragma omp parallel for private(c) reduction(max : mx) reduction(+ : rowcnt[:H])
    for (r = 0; r < H; r++)
        for (c = 0; c < W; c++) {
            if (out[r][c] > mx)
                mx = out[r][c];
            if (out[r][c] > 128)
                rowcnt[r]++;
        }
#ifdef _OPENMP
    t0 = omp_get_wtime() - t0;
#endif
    (void)t0;
    total = 0;
    for (r = 0; r < H; r++)
        total += rowcnt[r] * (long)(r % 5 + 1);
    printf("pass 1: sum=%ld high=%ld checksum=%08x\n", s1.sum, s1.count_hi,
           s1.checksum);
    printf("pass 2: sum=%ld high=%ld checksum=%08x\n", s2.sum, s2.count_hi,
           s2.checksum);
    printf("max=%d weighted bright-pixel count=%ld out[0][0]=%d "
           "out[H-1][W-1]=%d\n",
           mx, total, out[0][0], out[H - 1][W - 1]);
    free(rowcnt);
    return 0;
}
