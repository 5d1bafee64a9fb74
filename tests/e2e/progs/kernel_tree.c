/* This file handles pointer-chasing traversals with tasks: a random binary
 * search tree walked recursively (a task per subtree above a depth
 * cut-off, results in shared variables of the parent's frame joined by a
 * taskwait: node count, key sum, height), a per-node update done by
 * fire-and-forget tasks whose counts meet in an atomic, and the OpenMP
 * spec's linked-list example: one thread walks the list in `single` and
 * creates a task per element with firstprivate(p), the team runs them.
 *
 * Deterministic output: integers only. */
#include <stdio.h>
#include <stdlib.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#define NKEYS 30000
#define DEPTH_CUTOFF 8
#define NLIST 3000

struct node {
    long key;
    long weight;
    struct node *left, *right;
};

struct item {
    int id;
    long value;
    struct item *next;
};

static long visited;

static struct node *insert(struct node *root, long key) {
    struct node **link = &root, *n;
    while (*link) {
        if (key < (*link)->key)
            link = &(*link)->left;
        else if (key > (*link)->key)
            link = &(*link)->right;
        else
            return root;
    }
    n = malloc(sizeof *n);
    if (!n) {
        perror("malloc");
        exit(1);
    }
    n->key = key;
    n->weight = 0;
    n->left = n->right = NULL;
    *link = n;
    return root;
}

/* Counts nodes and sums keys below t; returns the height. */
static int walk(struct node *t, int depth, long *count, long *sum) {
    long cl = 0, cr = 0, sl = 0, sr = 0;
    int hl = 0, hr = 0;
    if (!t)
        return 0;
    if (depth < DEPTH_CUTOFF) {
#pragma omp task shared(cl, sl, hl)
        hl = walk(t->left, depth + 1, &cl, &sl);
#pragma omp task shared(cr, sr, hr)
        hr = walk(t->right, depth + 1, &cr, &sr);
#pragma omp taskwait
    } else {
        hl = walk(t->left, depth + 1, &cl, &sl);
        hr = walk(t->right, depth + 1, &cr, &sr);
    }
    *count = cl + cr + 1;
    *sum = sl + sr + t->key;
    return 1 + (hl > hr ? hl : hr);
}

/* Sets every node's weight to its subtree's key sum mod 1000; tasks not
 * waited for here: the caller's barrier completes them. */
static long weigh(struct node *t, int depth) {
    long s;
    if (!t)
        return 0;
    s = t->key;
    if (depth < DEPTH_CUTOFF) {
        long l = 0, r = 0;
#pragma omp task shared(l) firstprivate(t, depth)
        l = weigh(t->left, depth + 1);
#pragma omp task shared(r) firstprivate(t, depth)
        r = weigh(t->right, depth + 1);
#pragma omp taskwait
        s += l + r;
    } else {
        s += weigh(t->left, depth + 1) + weigh(t->right, depth + 1);
    }
    t->weight = s % 1000;
#pragma omp atomic
    visited++;
    return s;
}

static long sum_weights(struct node *t) {
    return t ? t->weight + sum_weights(t->left) + sum_weights(t->right) : 0;
}

static void process(struct item *p) {
    long v = p->id, k;
    for (k = 0; k < 200; k++)
        v = (v * 1103515245 + 12345) % 2147483648L;
    p->value = v % 1000;
}

static void free_tree(struct node *t) {
    if (t) {
        free_tree(t->left);
        free_tree(t->right);
        free(t);
    }
}

int main(void) {
    struct node *root = NULL;
    struct item *head = NULL, *p, *q;
    unsigned long long s = 0x9E3779B97F4A7C15ULL;
    long count = 0, sum = 0, total, lsum;
    int i, height = 0;
    double t0;

    for (i = 0; i < NKEYS; i++) {
        s ^= s >> 12;
        s ^= s << 25;
        s ^= s >> 27;
        root = insert(root, (long)((s * 2685821657736338717ULL) >> 40));
    }
    for (i = NLIST; i > 0; i--) {
        p = malloc(sizeof *p);
        if (!p) {
            perror("malloc");
            return 1;
        }
        p->id = i;
        p->value = -1;
        p->next = head;
        head = p;
    }

    t0 = 0.0;
#ifdef _OPENMP
    t0 = omp_get_wtime();
#endif
    visited = 0;
#pragma omp parallel shared(root, count, sum, height, head) private(p)
    {
#pragma omp single
        height = walk(root, 0, &count, &sum);
#pragma omp single
        total = weigh(root, 0);
#pragma omp single
        {
            p = head;
            while (p) {
#pragma omp task firstprivate(p)
                process(p);
                p = p->next;
            }
        }
    }
#ifdef _OPENMP
    t0 = omp_get_wtime() - t0;
#endif
    (void)t0;

    lsum = 0;
    for (p = head; p; p = p->next)
        lsum += p->value * (p->id % 7 + 1);
    printf("tree: nodes=%ld height=%d keysum=%ld\n", count, height, sum);
    printf("tree: subtree total=%ld weights=%ld visited=%ld\n", total,
           sum_weights(root), visited);
    printf("list: items=%d checksum=%ld\n", NLIST, lsum);
    for (p = head; p; p = q) {
        q = p->next;
        free(p);
    }
    free_tree(root);
    return 0;
}
