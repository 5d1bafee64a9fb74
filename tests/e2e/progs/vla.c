/* This file handles variable-length arrays: a VLA on the stack, a 2-D VLA
 * indexed in the body, and a pointer to a VLA row type (`double (*m)[cols]`)
 * pointing into heap memory, with sizes known only at run time. */
#include <stdio.h>
#include <stdlib.h>

static double frob(int rows, int cols)
{
    double v[rows];
    int grid[rows][cols];
    double (*m)[cols] = malloc(sizeof(double[rows][cols]));

#pragma omp parallel for
    for (int r = 0; r < rows; r++) {
        v[r] = r * 0.5;
        for (int c = 0; c < cols; c++) {
            grid[r][c] = r * cols + c;
            m[r][c] = grid[r][c] * 0.25;
        }
    }
#pragma omp parallel for collapse(2)
    for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols; c++)
            m[r][c] += v[r] + grid[rows - 1 - r][c];

    double s = 0;
    for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols; c++)
            s += m[r][c] * (c + 1);
    free(m);
    return s;
}

int main(int argc, char **argv)
{
    (void)argv;
    printf("%.17g\n", frob(40 + argc, 31 + argc));
    printf("%.17g\n", frob(3, 200));
    printf("%.17g\n", frob(1, 1));
    return 0;
}
