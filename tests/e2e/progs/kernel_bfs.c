/* This file handles graph kernels on a random undirected graph in CSR
 * form, as in Graph500-style OpenMP codes: a level-synchronous
 * breadth-first search whose frontier is built by claiming each vertex
 * with an atomic capture on its visited flag (first writer wins) and
 * appending it
 * at a position taken by an atomic capture on the queue tail, and
 * connected components by label propagation (min label of the
 * neighbourhood) where each vertex's label is updated under its own lock
 * from an omp_lock_t array, iterated until no label changes (a logical-or
 * reduction).
 *
 * Deterministic output: the BFS level of a vertex and the component
 * labels (the smallest vertex of each component) do not depend on the
 * order of discovery. */
#include <stdio.h>
#include <stdlib.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#define NV 20000
#define DEG 3 /* random edges added per vertex (both directions stored) */
#define NE (2 * NV * DEG)

static int xadj[NV + 1], adj[NE], deg[NV];
static int eu[NV * DEG], ev[NV * DEG];
static int visited[NV], level[NV], queue[NV], next_queue[NV], label[NV];

static unsigned long long rng = 0xDEADBEEFCAFEF00DULL;

static int rnd(int n) {
    rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return (int)((rng >> 33) % (unsigned long long)n);
}

static void build_graph(void) {
    int i, k, e = 0, u, v;
    for (i = 0; i < NV; i++)
        deg[i] = 0;
    for (i = 0; i < NV; i++)
        for (k = 0; k < DEG; k++) {
            /* mostly local edges: several components, long paths */
            v = i % 5 == 0 ? rnd(NV) : (i + 1 + rnd(40)) % NV;
            if (v == i || (i % 997 == 0) || (v % 997 == 0))
                continue;
            eu[e] = i;
            ev[e] = v;
            deg[i]++;
            deg[v]++;
            e++;
        }
    xadj[0] = 0;
    for (i = 0; i < NV; i++)
        xadj[i + 1] = xadj[i] + deg[i];
    for (i = 0; i < NV; i++)
        deg[i] = xadj[i];
    for (k = 0; k < e; k++) {
        u = eu[k];
        v = ev[k];
        adj[deg[u]++] = v;
        adj[deg[v]++] = u;
    }
}

int main(void) {
    int i, k, lev, nfront, ntail, changed, iters, ncomp, maxlev, reached;
    long levsum;
    double t0;
#ifdef _OPENMP
    static omp_lock_t locks[NV];
#endif

    build_graph();
    t0 = 0.0;
#ifdef _OPENMP
    t0 = omp_get_wtime();
#endif

    /* BFS from vertex 1 */
#pragma omp parallel for
    for (i = 0; i < NV; i++) {
        level[i] = -1;
        visited[i] = 0;
    }
    level[1] = 0;
    visited[1] = 1;
    queue[0] = 1;
    nfront = 1;
    lev = 0;
    while (nfront > 0) {
        ntail = 0;
#pragma omp parallel for private(k) schedule(dynamic, 32)                      \
    shared(ntail, nfront, lev)
        for (i = 0; i < nfront; i++) {
            int u = queue[i];
            for (k = xadj[u]; k < xadj[u + 1]; k++) {
                int v = adj[k], old, pos;
#pragma omp atomic capture
                {
                    old = visited[v];
                    visited[v] = 1;
                }
                if (!old) {
                    level[v] = lev + 1;
#pragma omp atomic capture
                    pos = ntail++;
                    next_queue[pos] = v;
                }
            }
        }
#pragma omp parallel for
        for (i = 0; i < ntail; i++)
            queue[i] = next_queue[i];
        nfront = ntail;
        lev++;
    }

    reached = 0;
    maxlev = 0;
    levsum = 0;
#pragma omp parallel for reduction(+ : reached, levsum) reduction(max : maxlev)
    for (i = 0; i < NV; i++)
        if (level[i] >= 0) {
            reached++;
            levsum += level[i];
            if (level[i] > maxlev)
                maxlev = level[i];
        }
    printf("BFS: reached %d of %d vertices, depth %d, level sum %ld\n", reached,
           NV, maxlev, levsum);

    /* connected components by min-label propagation under per-vertex locks */
#ifdef _OPENMP
    for (i = 0; i < NV; i++)
        omp_init_lock(&locks[i]);
#endif
#pragma omp parallel for
    for (i = 0; i < NV; i++)
        label[i] = i;
    iters = 0;
    do {
        changed = 0;
#pragma omp parallel for private(k) reduction(|| : changed) schedule(guided)
        for (i = 0; i < NV; i++) {
            int best, cur, lu;
#ifdef _OPENMP
            omp_set_lock(&locks[i]);
#endif
            best = label[i];
#ifdef _OPENMP
            omp_unset_lock(&locks[i]);
#endif
            for (k = xadj[i]; k < xadj[i + 1]; k++) {
                int v = adj[k];
#ifdef _OPENMP
                omp_set_lock(&locks[v]);
#endif
                lu = label[v];
#ifdef _OPENMP
                omp_unset_lock(&locks[v]);
#endif
                if (lu < best)
                    best = lu;
            }
#ifdef _OPENMP
            omp_set_lock(&locks[i]);
#endif
            cur = label[i];
            if (best < cur) {
                label[i] = best;
                changed = changed || 1;
            }
#ifdef _OPENMP
            omp_unset_lock(&locks[i]);
#endif
        }
        iters++;
    } while (changed && iters < 10000);
#ifdef _OPENMP
    for (i = 0; i < NV; i++)
        omp_destroy_lock(&locks[i]);
    t0 = omp_get_wtime() - t0;
#endif
    (void)t0;

    ncomp = 0;
    levsum = 0;
#pragma omp parallel for reduction(+ : ncomp, levsum)
    for (i = 0; i < NV; i++) {
        if (label[i] == i)
            ncomp++;
        levsum += label[i];
    }
    printf("CC: %d components, label sum %ld, converged %s\n", ncomp, levsum,
           iters < 10000 ? "yes" : "no");
    return 0;
}
