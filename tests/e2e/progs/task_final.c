/* This file handles final(expr) and omp_in_final(): a recursive task tree
 * whose tasks become final below a depth; inside a final task
 * omp_in_final() is true, every descendant is final too, and a task
 * created there is included (it has run when its construct ends, with no
 * taskwait). Above the cut, tasks are not final. The serial build has no
 * omp_in_final() and prints the expected counts directly. */
#include <stdio.h>
#ifdef _OPENMP
#include <omp.h>
#endif

static int mismatches, finals, included_late;

static long walk(int depth, int expect_final)
{
    long here = 1;
#ifdef _OPENMP
    if (!omp_in_final() != !expect_final) {
#pragma omp atomic
        mismatches++;
    }
#endif
    if (expect_final) {
#pragma omp atomic
        finals++;
    }
    if (depth == 6)
        return here;
    long a = 0, b = 0;
    int f = depth >= 3; /* this task's children are final from depth 3 */
#pragma omp task shared(a) final(f)
    a = walk(depth + 1, f || expect_final);
#pragma omp task shared(b) final(depth >= 3)
    b = walk(depth + 1, f || expect_final);
    if (expect_final) {
        /* children of a final task are included: they have finished */
        if (a == 0 || b == 0) {
#pragma omp atomic
            included_late++;
        }
    }
#pragma omp taskwait
    return here + a + b;
}

int main(void)
{
    long n = 0;
#pragma omp parallel
    {
#pragma omp single
        n = walk(0, 0);
    }
    printf("nodes=%ld finals=%d mismatches=%d included_late=%d\n", n, finals,
           mismatches, included_late);
    return 0;
}
