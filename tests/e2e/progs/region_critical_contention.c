/* This file handles critical sections under contention: unnamed and named
 * ones guarding multi-step updates (read, work, write back: a lost update
 * shows in the totals), different names that nest, the same name used in
 * two places and in a function called from the region (one lock per name
 * for the whole program), and a critical held while a linked list grows. */
#include <stdio.h>
#include <stdlib.h>

struct node {
    int v;
    struct node *next;
};

static long hist[8];
static struct node *head;

static void push(int v)
{
    struct node *nd = malloc(sizeof *nd);
    nd->v = v;
#pragma omp critical(list)
    {
        nd->next = head;
        head = nd;
    }
}

static unsigned spin(unsigned x)
{
    for (int i = 0; i < 50; i++)
        x = x * 1103515245u + 12345u;
    return x;
}

int main(void)
{
    enum { N = 6000 };
    long total = 0, pairs = 0, named_a = 0, named_b = 0;
    unsigned junk = 0;
#pragma omp parallel
    {
#pragma omp for schedule(dynamic, 16)
        for (int i = 0; i < N; i++) {
#pragma omp critical
            {
                long t = total;      /* read */
                junk ^= spin((unsigned)i); /* work while holding it */
                total = t + i % 10;  /* write back */
            }
#pragma omp critical(a)
            {
                long t = named_a;
#pragma omp critical(b)
                named_b += 2;
                named_a = t + 1;
            }
            if (i % 3 == 0) {
#pragma omp critical(a)
                pairs += named_a > 0;
            }
#pragma omp critical(hist)
            hist[i % 8] += i;
            if (i % 50 == 0)
                push(i);
        }
    }
    long lsum = 0, lcount = 0;
    for (struct node *nd = head; nd;) {
        struct node *nx = nd->next;
        lsum += nd->v;
        lcount++;
        free(nd);
        nd = nx;
    }
    long hs = 0;
    for (int k = 0; k < 8; k++)
        hs += hist[k] * (k + 1);
    printf("total=%ld a=%ld b=%ld pairs=%ld hist=%ld list=%ld/%ld junk-set=%d\n",
           total, named_a, named_b, pairs, hs, lcount, lsum, junk != 1);
    return 0;
}
