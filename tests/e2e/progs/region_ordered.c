/* This file handles `for ordered` with an `ordered` block: the ordered
 * parts run in iteration order, so the output sequence is the serial one. */
#include <stdio.h>

int main(void)
{
    enum { N = 200 };
    static int seq[N];
    int pos = 0;
    long work = 0;
#pragma omp parallel
    {
#pragma omp for ordered schedule(dynamic, 3) reduction(+:work)
        for (int i = 0; i < N; i++) {
            work += (long)i * i;
#pragma omp ordered
            seq[pos++] = i;
        }
    }
    int inorder = 1;
    for (int i = 0; i < N; i++)
        inorder &= seq[i] == i;
#pragma omp parallel for ordered
    for (int i = 0; i < 10; i++) {
#pragma omp ordered
        printf("%d ", i);
    }
    printf("\nwork=%ld inorder=%d pos=%d\n", work, inorder, pos);
    return 0;
}
