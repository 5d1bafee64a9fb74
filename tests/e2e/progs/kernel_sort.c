/* This file handles two recursive sorts with tasks, in the shape of the
 * usual task examples: a top-down mergesort whose halves are tasks above a
 * cut-off size (serial insertion sort below it), started by one thread of
 * the team inside `single`, the merge after a taskwait; and a quicksort
 * whose recursion spawns tasks with the `if` clause as the cut-off, the
 * array and bounds passed as firstprivate values, all joined by a
 * taskgroup. A final check runs as a worksharing loop with a reduction.
 *
 * Deterministic output: integers only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#define N 200000
#define CUTOFF 2048
#define QCUTOFF 4096

static void insertion_sort(int *a, long n) {
    long i, j;
    int v;
    for (i = 1; i < n; i++) {
        v = a[i];
        for (j = i - 1; j >= 0 && a[j] > v; j--)
            a[j + 1] = a[j];
        a[j + 1] = v;
    }
}

static void merge(const int *a, long na, const int *b, long nb, int *out) {
    long i = 0, j = 0, k = 0;
    while (i < na && j < nb)
        out[k++] = a[i] <= b[j] ? a[i++] : b[j++];
    while (i < na)
        out[k++] = a[i++];
    while (j < nb)
        out[k++] = b[j++];
}

/* Sorts a[0..n) using tmp[0..n) as scratch. */
static void mergesort_task(int *a, int *tmp, long n) {
    long half;
    if (n <= CUTOFF) {
        insertion_sort(a, n);
        return;
    }
    half = n / 2;
#pragma omp task firstprivate(a, tmp, half)
    mergesort_task(a, tmp, half);
#pragma omp task firstprivate(a, tmp, half, n)
    mergesort_task(a + half, tmp + half, n - half);
#pragma omp taskwait
    merge(a, half, a + half, n - half, tmp);
    memcpy(a, tmp, (size_t)n * sizeof *a);
}

static void swap(int *x, int *y) {
    int t = *x;
    *x = *y;
    *y = t;
}

static void quicksort_task(int *a, long lo, long hi) {
    long i, j;
    int pivot;
    if (hi - lo < 16) {
        insertion_sort(a + lo, hi - lo + 1);
        return;
    }
    /* median of three as pivot, Hoare partition */
    if (a[(lo + hi) / 2] < a[lo])
        swap(&a[(lo + hi) / 2], &a[lo]);
    if (a[hi] < a[lo])
        swap(&a[hi], &a[lo]);
    if (a[hi] < a[(lo + hi) / 2])
        swap(&a[hi], &a[(lo + hi) / 2]);
    pivot = a[(lo + hi) / 2];
    i = lo - 1;
    j = hi + 1;
    for (;;) {
        do
            i++;
        while (a[i] < pivot);
        do
            j--;
        while (a[j] > pivot);
        if (i >= j)
            break;
        swap(&a[i], &a[j]);
    }
#pragma omp task default(none) firstprivate(a, lo, j) if (j - lo > QCUTOFF)
    quicksort_task(a, lo, j);
#pragma omp task default(none) firstprivate(a, hi, j) if (hi - j > QCUTOFF)
    quicksort_task(a, j + 1, hi);
}

int main(void) {
    static int data[N], work[N], tmp[N], qs[N];
    unsigned int seed = 2463534242u;
    long i, bad_m, bad_q, sum_m, sum_q;
    double t0;

    for (i = 0; i < N; i++) {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        data[i] = (int)(seed % 1000003u);
        work[i] = data[i];
        qs[i] = data[i];
    }

    t0 = 0.0;
#ifdef _OPENMP
    t0 = omp_get_wtime();
#endif
#pragma omp parallel
    {
#pragma omp single nowait
        mergesort_task(work, tmp, N);
#pragma omp single
        {
#pragma omp taskgroup
            quicksort_task(qs, 0, N - 1);
        }
    }
#ifdef _OPENMP
    t0 = omp_get_wtime() - t0;
#endif
    (void)t0;

    bad_m = bad_q = sum_m = sum_q = 0;
#pragma omp parallel for reduction(+ : bad_m, bad_q, sum_m, sum_q)
    for (i = 0; i < N; i++) {
        if (i > 0 && work[i - 1] > work[i])
            bad_m++;
        if (i > 0 && qs[i - 1] > qs[i])
            bad_q++;
        sum_m += (long)work[i] * (i % 101);
        sum_q += (long)qs[i] * (i % 101);
    }
    printf("sort: n=%d mergesort out of order=%ld quicksort out of order=%ld\n",
           N, bad_m, bad_q);
    printf("sort: weighted sums %ld %ld %s\n", sum_m, sum_q,
           sum_m == sum_q ? "equal" : "differ");
    printf("sort: min=%d median=%d max=%d\n", work[0], work[N / 2],
           work[N - 1]);
    return 0;
}
