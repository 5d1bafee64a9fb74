/* This file handles user-defined reductions declared in a block scope:
 * used on a `parallel` region with a `for` inside, on `parallel sections`
 * and on a taskloop; an inner block redeclares the same identifier for the
 * same type (inner scope wins inside it, the outer one again after it). */
#include <stdio.h>

struct pair {
    long a, b;
};

static long run(int n) {
#pragma omp declare reduction(padd                                             \
                              : struct pair                                    \
                              : omp_out.a += omp_in.a, omp_out.b += omp_in.b)  \
    initializer(omp_priv = (struct pair){0, 0})
    struct pair t = {0, 0}, u = {1, 1};
#pragma omp parallel reduction(padd : t)
    {
        t.a += 1;
#pragma omp for reduction(padd : u)
        for (int i = 0; i < n; i++) {
            u.a += i;
            u.b += 2 * i;
        }
    }
    struct pair s = {0, 0};
#pragma omp parallel sections reduction(padd : s)
    {
#pragma omp section
        s.a += 10;
#pragma omp section
        s.b += 20;
#pragma omp section
        {
            s.a += 1;
            s.b += 2;
        }
    }
    struct pair k = {3, 4};
#pragma omp parallel
#pragma omp single
#pragma omp taskloop reduction(padd : k) grainsize(16)
    for (int i = 0; i < n; i++) {
        k.a += i % 5;
        k.b += 1;
    }
    struct pair m = {0, 0};
    {
        /* Inner scope: padd here counts elements only in b. */
#pragma omp declare reduction(padd                                             \
                              : struct pair                                    \
                              : omp_out.b += omp_in.b)                         \
    initializer(omp_priv = (struct pair){0, 0})
#pragma omp parallel for reduction(padd : m)
        for (int i = 0; i < n; i++)
            m.b += 1;
    }
#pragma omp parallel for reduction(padd : m)
    for (int i = 0; i < n; i++)
        m.a += 1;
    printf("region %s u %ld %ld\n", t.a >= 1 ? "ok" : "bad", u.a, u.b);
    printf("sections %ld %ld\n", s.a, s.b);
    printf("taskloop %ld %ld\n", k.a, k.b);
    printf("scopes %ld %ld\n", m.a, m.b);
    return u.a + s.a + k.a + m.a;
}

int main(void) {
    long r = run(3001);
    printf("%ld\n", r % 1000);
    return 0;
}
