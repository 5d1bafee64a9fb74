/* This file handles firstprivate on worksharing loops whose threads run
 * several chunks: OpenMP makes one private copy per thread (implicit task),
 * initialised once, so a thread that changes its copy sees the change in
 * its next chunk. Each loop counts its iterations in a firstprivate
 * counter and every thread records its copy's latest value; the sum over
 * threads of (copy - start) is the trip count only when every copy was
 * initialised once. A copy re-initialised per chunk gives less, and the
 * printed lines would differ from the serial build's. The serial build
 * changes the original itself, so each loop starts from a fresh value. */
#include <stdio.h>
#ifdef _OPENMP
#include <omp.h>
#endif

// E2E-SCHEDULES: dynamic,2 guided,3 static,5 auto nonmonotonic:dynamic,4

enum { N = 1000, MAXT = 64, START = 7 };

struct acc {
    int hits;
    long sum;
};

static int tid(void)
{
#ifdef _OPENMP
    return omp_get_thread_num();
#else
    return 0;
#endif
}

static int team(void)
{
#ifdef _OPENMP
    return omp_get_num_threads();
#else
    return 1;
#endif
}

/* Sum over the threads that ran an iteration of their copy's last value
 * minus its start value. */
static long total(const long *last, const int *ran)
{
    long s = 0;
    for (int t = 0; t < MAXT; t++)
        if (ran[t])
            s += last[t] - START;
    return s;
}

static void clear(long *last, int *ran)
{
    for (int t = 0; t < MAXT; t++) {
        last[t] = 0;
        ran[t] = 0;
    }
}

/* Shared by the team that runs orphan(): a local of orphan() would be
 * private to each thread already. */
static long ocnt = START;

/* firstprivate+lastprivate on an orphaned `for` of a shared variable. */
static long ox = START;

/* The value firstprivate(v) lastprivate(v) schedule(static, 3) leaves in
 * v: chunk c runs on thread c % nth, so the thread of the last iteration
 * has added exactly the indices of its own chunks to its copy. */
static long first_last(int n, int nth)
{
    long want = START;
    for (int i = 0; i < n; i++)
        if ((i / 3) % nth == ((n - 1) / 3) % nth)
            want += i;
    return want;
}

/* An orphaned `for`: bound to the team of the region that calls it. */
static void orphan(int n, long *last, int *ran)
{
#pragma omp for firstprivate(ocnt) schedule(dynamic, 3)
    for (int i = 0; i < n; i++) {
        ocnt++;
        last[tid()] = ocnt;
        ran[tid()] = 1;
    }
#pragma omp for firstprivate(ox) lastprivate(ox) schedule(static, 3)
    for (int i = 0; i < n; i++)
        ox = ox + i;
}

int main(void)
{
    static long last[MAXT];
    static int ran[MAXT];
    int n = N;
    long cnt = START;

    /* Every schedule that gives a thread several chunks. */
    clear(last, ran);
    cnt = START;
#pragma omp parallel for firstprivate(cnt) schedule(dynamic, 3)
    for (int i = 0; i < n; i++) {
        cnt++;
        last[tid()] = cnt;
        ran[tid()] = 1;
    }
    printf("dynamic: %ld\n", total(last, ran));

    clear(last, ran);
    cnt = START;
#pragma omp parallel for firstprivate(cnt) schedule(guided, 2)
    for (int i = 0; i < n; i++) {
        cnt += 1;
        last[tid()] = cnt;
        ran[tid()] = 1;
    }
    printf("guided: %ld\n", total(last, ran));

    clear(last, ran);
    cnt = START;
#pragma omp parallel for firstprivate(cnt) schedule(static, 3)
    for (int i = 0; i < n; i++) {
        cnt = cnt + 1;
        last[tid()] = cnt;
        ran[tid()] = 1;
    }
    printf("static3: %ld\n", total(last, ran));

    clear(last, ran);
    cnt = START;
#pragma omp parallel for firstprivate(cnt) schedule(runtime)
    for (int i = 0; i < n; i++) {
        ++cnt;
        last[tid()] = cnt;
        ran[tid()] = 1;
    }
    printf("runtime: %ld\n", total(last, ran));

    clear(last, ran);
    cnt = START;
#pragma omp parallel for firstprivate(cnt) schedule(nonmonotonic : dynamic)
    for (int i = 0; i < n; i++) {
        cnt++;
        last[tid()] = cnt;
        ran[tid()] = 1;
    }
    printf("steal: %ld\n", total(last, ran));

    /* collapse(2): the copy lives across the chunks of the flattened
     * space. */
    clear(last, ran);
    cnt = START;
#pragma omp parallel for collapse(2) firstprivate(cnt) schedule(dynamic, 7)
    for (int i = 0; i < 40; i++)
        for (int j = 0; j < 25; j++) {
            cnt++;
            last[tid()] = cnt;
            ran[tid()] = 1;
        }
    printf("collapse: %ld\n", total(last, ran));

    /* With a reduction in the same loop. */
    long red = 0;
    clear(last, ran);
    cnt = START;
#pragma omp parallel for firstprivate(cnt) reduction(+ : red) schedule(dynamic, 5)
    for (int i = 0; i < n; i++) {
        cnt++;
        red += i;
        last[tid()] = cnt;
        ran[tid()] = 1;
    }
    printf("reduction: %ld red=%ld\n", total(last, ran), red);

    /* An array and a struct changed through a subscript and a member. */
    long arr[3] = {START, 0, START};
    struct acc a = {START, 0};
    static long last_a[MAXT], last_s[MAXT];
    clear(last, ran);
    for (int t = 0; t < MAXT; t++)
        last_a[t] = last_s[t] = 0;
#pragma omp parallel for firstprivate(arr, a) schedule(dynamic, 4)
    for (int i = 0; i < n; i++) {
        arr[0]++;
        arr[2] += 2;
        a.hits++;
        a.sum += i;
        last[tid()] = arr[0];
        last_a[tid()] = a.hits;
        last_s[tid()] = arr[2] - START - 2 * (arr[0] - START);
        ran[tid()] = 1;
    }
    long sa = 0, bad = 0;
    for (int t = 0; t < MAXT; t++)
        if (ran[t]) {
            sa += last_a[t] - START;
            bad += last_s[t] != 0;
        }
    printf("array: %ld struct: %ld bad=%ld\n", total(last, ran), sa, bad);

    /* firstprivate + lastprivate with schedule(static, 3): chunk c runs on
     * thread c % T, so the thread of the last iteration has added exactly
     * the indices of its own chunks to its copy. */
    long x = START;
    int nth = 1;
#pragma omp parallel for firstprivate(x) lastprivate(x) schedule(static, 3)
    for (int i = 0; i < n; i++) {
        x = x + i;
        if (i == 0)
            nth = team();
    }
    printf("first+last: %s\n", x == first_last(n, nth) ? "ok" : "WRONG");

    /* `for` inside a region, with and without nowait, and orphaned. */
    clear(last, ran);
    static long last2[MAXT], last3[MAXT];
    static int ran2[MAXT], ran3[MAXT];
    clear(last2, ran2);
    clear(last3, ran3);
    long c1 = START, c2 = START, c3 = START;
    nth = 1;
#pragma omp parallel
    {
#pragma omp single
        nth = team();
#pragma omp for firstprivate(c3) lastprivate(c3) schedule(static, 3)
        for (int i = 0; i < n; i++)
            c3 += i;
#pragma omp for firstprivate(c1) schedule(dynamic, 3)
        for (int i = 0; i < n; i++) {
            c1++;
            last[tid()] = c1;
            ran[tid()] = 1;
        }
#pragma omp for firstprivate(c2) schedule(guided) nowait
        for (int i = 0; i < n; i++) {
            c2++;
            last2[tid()] = c2;
            ran2[tid()] = 1;
        }
        orphan(n, last3, ran3);
    }
    printf("for: %ld nowait: %ld orphan: %ld\n", total(last, ran),
           total(last2, ran2), total(last3, ran3));
    printf("for first+last: %s orphan first+last: %s\n",
           c3 == first_last(n, nth) ? "ok" : "WRONG",
           ox == first_last(n, nth) ? "ok" : "WRONG");

    /* A read-only firstprivate keeps its value in every chunk. */
    long ro = 5, s = 0;
#pragma omp parallel for firstprivate(ro) reduction(+ : s) schedule(dynamic, 3)
    for (int i = 0; i < n; i++)
        s += ro * i;
    printf("read-only: %ld\n", s);
    return 0;
}
