/* This file handles bodies that call through function pointers, use an
 * array of structs, and call functions taking the loop variable and
 * addresses of array elements. */
#include <stdio.h>

struct rec {
    int key;
    long val;
};

typedef long (*op_fn)(long, int);

static long op_add(long v, int k)
{
    return v + k;
}

static long op_mul(long v, int k)
{
    return v * (k % 5 + 1);
}

static void bump(long *p, int by)
{
    *p += by;
}

int main(void)
{
    enum { N = 12000 };
    static struct rec recs[N];
    op_fn ops[2] = {op_add, op_mul};
    int n = N;
#pragma omp parallel for schedule(static, 5)
    for (int i = 0; i < n; i++) {
        recs[i].key = i % 17;
        recs[i].val = ops[i & 1](i, recs[i].key);
        bump(&recs[i].val, i % 3);
    }
    unsigned long s = 0;
    for (int i = 0; i < n; i++)
        s = s * 3 + recs[i].val + recs[i].key;
    printf("s=%lu\n", s);
    return 0;
}
