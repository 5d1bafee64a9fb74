/* This file handles an end-to-end check (H30, from the OpenMP Examples
 * sweep): a worksharing loop whose body opens a parallel region that names
 * the outer loop variable in shared(...). The outer loop variable is the
 * chunk's own iteration variable, so the region must share that one
 * (it used to be captured a second time: "redefinition of 'row'"). */
#include <stdio.h>

#define ROWS 23
#define COLS 17

static long grid[ROWS][COLS];

static long cell(int r, int c) { return (long)(r + 1) * 1000 + c * 7 - r; }

/* `parallel` + orphan-style `for`, the inner region sharing row. */
static void fill_region(int cols) {
    int row, col;
#pragma omp parallel default(shared)
    {
#pragma omp for
        for (row = 0; row < ROWS; row++) {
#pragma omp parallel shared(row, cols)
            {
#pragma omp for
                for (col = 0; col < cols; col++)
                    grid[row][col] = cell(row, col);
            }
        }
    }
}

/* `parallel for` whose body's region shares the loop variable and a
 * scale, and updates the row through it. */
static void scale_rows(int scale) {
    int row;
#pragma omp parallel for schedule(dynamic, 2)
    for (row = 0; row < ROWS; row++) {
#pragma omp parallel shared(row) firstprivate(scale)
        {
#pragma omp for
            for (int col = 0; col < COLS; col++)
                grid[row][col] = grid[row][col] * scale + row;
        }
    }
}

int main(void) {
    fill_region(COLS);
    scale_rows(3);
    long sum = 0, weighted = 0;
    for (int r = 0; r < ROWS; r++)
        for (int c = 0; c < COLS; c++) {
            sum += grid[r][c];
            weighted += grid[r][c] * (r * COLS + c + 1);
        }
    printf("sum=%ld weighted=%ld corner=%ld last=%ld\n", sum, weighted,
           grid[0][0], grid[ROWS - 1][COLS - 1]);
    return 0;
}
