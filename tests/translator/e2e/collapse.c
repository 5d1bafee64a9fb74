/* This file handles a translate + compile + run test: collapse(2) and collapse(3) nests,
 * lastprivate (also of the loop variable), firstprivate and private. */
#include <stdio.h>

int main(void)
{
    static double m[30][40];
    int rows = 30, cols = 40;
    #pragma omp parallel for collapse(2) schedule(dynamic, 7)
    for (int i = 0; i < rows; i++)
        for (int j = cols - 1; j >= 0; j--)
            m[i][j] = i * 100 + j;
    double s = 0;
    for (int i = 0; i < rows; i++)
        for (int j = 0; j < cols; j++)
            s += m[i][j];
    printf("collapse2 %.1f\n", s);

    static int cube[5][6][7];
    #pragma omp parallel for collapse(3)
    for (int i = 0; i < 5; i++) {
        for (int j = 0; j < 6; j += 2) {
            for (int k = 0; k < 7; k++) {
                cube[i][j][k] = i * 42 + j * 7 + k;
            }
        }
    }
    long c = 0;
    for (int i = 0; i < 5; i++)
        for (int j = 0; j < 6; j++)
            for (int k = 0; k < 7; k++)
                c += cube[i][j][k];
    printf("collapse3 %ld\n", c);

    int last = -1, i;
    double scale = 1.5, tmp;
    double v[64];
    #pragma omp parallel for lastprivate(last, i) firstprivate(scale) private(tmp)
    for (i = 0; i < 64; i++) {
        tmp = i * scale;
        v[i] = tmp;
        last = i * 3;
        scale = 1.5;
    }
    printf("lastprivate %d %d %.1f\n", last, i, v[63]);
    return 0;
}
