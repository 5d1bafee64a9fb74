/* This file handles a header with a parallel loop, for diag_header.c:
 * weft translates only the file being compiled, so this is an error. */
static inline void fill(int n, double *a)
{
    #pragma omp parallel for
    for (int i = 0; i < n; i++)
        a[i] = 0;
}
