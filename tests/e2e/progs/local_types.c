/* This file handles local struct, union, enum and typedef types declared
 * inside the function that holds the parallel loop, used in the body and in
 * captured variables. */
#include <stdio.h>

int main(void)
{
    typedef long acc_t;
    struct point {
        int x, y;
    };
    typedef struct point point_t;
    union bits {
        unsigned u;
        unsigned char b[4];
    };
    enum color { RED = 1, GREEN = 2, BLUE = 4 };

    enum { N = 5000 };
    static point_t pts[N];
    point_t origin = {3, -4};
    acc_t total = 0;
    enum color pick = GREEN;

#pragma omp parallel for reduction(+: total)
    for (int i = 0; i < N; i++) {
        point_t p = {i % 100 + origin.x, i / 100 + origin.y};
        union bits ub;
        ub.u = (unsigned)(p.x * 256 + p.y);
        pts[i] = p;
        enum color c = (i % 3 == 0) ? RED : (i % 3 == 1 ? pick : BLUE);
        total += (acc_t)ub.b[0] + c;
    }
    acc_t s = 0;
    for (int i = 0; i < N; i++)
        s += pts[i].x * 3 + pts[i].y;
    printf("total=%ld s=%ld\n", total, s);
    return 0;
}
