/* This file handles a translate + compile + run test: captured variables of every kind (local
 * struct and typedef types, VLAs, pointers to VLAs, static locals,
 * globals, parameters, const and volatile). Prints results that the
 * serial build must reproduce exactly. */
#include <stdio.h>
#include <string.h>

int g_scale = 3;
static long g_hits[64];

static void vla(int n, double (*m)[n])
{
    double row[n];
    for (int j = 0; j < n; j++)
        row[j] = j * 0.5;
    #pragma omp parallel for
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            m[i][j] = row[j] + i * n;
    double sum = 0;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            sum += m[i][j];
    printf("vla %.1f\n", sum);
}

static void vla_local(int n)
{
    int k = n * 2;
    double grid[n][k];
    #pragma omp parallel for
    for (int i = 0; i < n; i++)
        for (int j = 0; j < k; j++)
            grid[i][j] = i - j;
    double s = 0;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < k; j++)
            s += grid[i][j] * (j + 1);
    printf("vla_local %.1f %zu\n", s, sizeof grid);
}

static void locals(const int n)
{
    struct pt { int x, y; };
    typedef struct pt pt_t;
    typedef long acc_t;
    pt_t pts[100];
    acc_t out[100];
    static int calls;
    const int off = 7;
    volatile int vol = 2;
    calls++;
    #pragma omp parallel for
    for (int i = 0; i < n; i++) {
        pt_t p = {i, i * 2};
        pts[i] = p;
        out[i] = (acc_t)(p.x + p.y) * g_scale + off + vol + calls;
        g_hits[i % 64] += 0;
    }
    acc_t t = 0;
    for (int i = 0; i < n; i++)
        t += out[i] + pts[i].y;
    printf("locals %ld\n", (long)t);
}

struct big { double v[4]; int tag; };

static void records(int n)
{
    struct big b = {{1, 2, 3, 4}, 9};
    double res[50];
    int written = 0;
    #pragma omp parallel for
    for (int i = 0; i < n; i++) {
        res[i] = b.v[i % 4] * b.tag;
        if (i == n - 1)
            written = i;
    }
    double s = 0;
    for (int i = 0; i < n; i++)
        s += res[i];
    printf("records %.1f %d\n", s, written);
}

static void addr(int n)
{
    int counter = 0;
    int *pc = &counter;
    long vals[40];
    #pragma omp parallel for
    for (int i = 0; i < n; i++) {
        const int *p = &counter;
        vals[i] = *p + i + (pc == &counter);
    }
    long s = 0;
    for (int i = 0; i < n; i++)
        s += vals[i];
    printf("addr %ld\n", s);
}

int main(void)
{
    double m[6][6];
    memset(m, 0, sizeof m);
    vla(6, m);
    vla_local(5);
    locals(100);
    locals(50);
    records(50);
    addr(40);
    return 0;
}
