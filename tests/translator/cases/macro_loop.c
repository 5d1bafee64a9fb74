// This file handles a golden test: macros that expand to the pragma and its whole loop are
// replaced by their one-level expansion before the passes run: each construct keeps the
// invocation's line and column, a loop body passed as an argument keeps its own lines, the
// lines after each invocation keep their numbers, and nested macros, stringizing, pasting and
// the GNU `, ## __VA_ARGS__` expand as the preprocessor would.
// RUN: %weft-translate %s -o - | grep -v '^//' | %FileCheck --strict-whitespace %s
// RUN: %weft-translate %s -o %t && %cc -std=c99 -Wall -Werror -I%inc -fsyntax-only %t
#define PFOR(i, n) _Pragma("omp parallel for") for (int i = 0; i < (n); i++)
#define PAR_FOR(i, n, ...) _Pragma("omp parallel for schedule(dynamic, 4)") \
    for (int i = 0; i < (n); i++) { __VA_ARGS__ }
#define PRAGMA(x) _Pragma(#x)
#define PFOR_SCHED(kind, i, n) PRAGMA(omp parallel for schedule(kind)) PFOR_PLAIN(i, n)
#define PFOR_PLAIN(i, n) for (int i = 0; i < (n); i++)
#define STR(x) #x
#define PFOR_STR(i, n) _Pragma(STR(omp parallel for schedule(guided))) PFOR_PLAIN(i, n)
#define COPY(pfx, n) PFOR(i, n) pfx##_dst[i] = pfx##_src[i]
#define NAMED(dst, n, e) PFOR(i, n) dst[i] = sizeof(#e) + (e)
#define PFOR3(dst, n, x, ...) PFOR(i, n) dst[i] = add(x, i , ## __VA_ARGS__)
double add(double x, int i, ...);
void f(int n, double *a, double *v_src, double *v_dst)
{
    PFOR(i, n) a[i] = 0;
    a[1] = 1;
    PAR_FOR(j,
            n,
            a[j] += 1;
            a[j] *= 2;)
    a[2] = 2;
    PFOR_SCHED(static, k, n) a[k] -= 1;
    PFOR_STR(k, n) a[k] += 3;
    COPY(v, n);
    NAMED(a, n, v_src[i] * 2);
    PFOR3(a, n, v_src[i]);
    PFOR3(a, n, v_src[i], 5);
    a[3] = 3;
}
// The body passed after the invocation: its own line and column.
// CHECK: { (void)i;
// CHECK-NEXT: #line 22 "{{.*}}macro_loop.c"
// CHECK-NEXT: {{^ {15}a}}[i] = 0;
// The body passed as an argument: its lines.
// CHECK: { (void)j;
// CHECK-NEXT: #line 24 "{{.*}}macro_loop.c"
// CHECK-NEXT: {{^    \{ *$}}
// CHECK-NEXT: {{^ {14}$}}
// CHECK-NEXT: {{^ {12}a}}[j] += 1;
// CHECK-NEXT: {{^ {12}a}}[j] *= 2; }
// CHECK: { (void)k;
// CHECK-NEXT: #line 29 "{{.*}}macro_loop.c"
// CHECK-NEXT: {{^ {29}a}}[k] -= 1;
// CHECK: { (void)k;
// CHECK-NEXT: #line 30 "{{.*}}macro_loop.c"
// CHECK-NEXT: {{^ {19}a}}[k] += 3;
// CHECK: v_dst [ i ] = v_src [ i ] ;
// The stringized argument is spelled as written.
// CHECK: a [ i ] = sizeof ( "v_src[i] * 2" ) + (  v_src[i] * 2 ) ;
// CHECK: a [ i ] = add (  v_src[i] , i ) ;
// CHECK: a [ i ] = add (  v_src[i] , i ,5 ) ;
// The call sites: one per invocation, at its line and column, and the lines after them.
// CHECK: {"{{.*}}macro_loop.c", "f", 22, 5}
// CHECK-SAME: WEFT_parallel_for
// CHECK-NEXT: a[1] = 1;
// CHECK-NEXT: {"{{.*}}macro_loop.c", "f", 24, 5}
// CHECK-SAME: WEFT_SCHED_DYNAMIC, 0, (int64_t)(4),
// CHECK-EMPTY:
// CHECK-EMPTY:
// CHECK-EMPTY:
// CHECK-NEXT: a[2] = 2;
// CHECK-NEXT: {"{{.*}}macro_loop.c", "f", 29, 5}
// CHECK-SAME: WEFT_SCHED_STATIC, 0, 0,
// CHECK-NEXT: {"{{.*}}macro_loop.c", "f", 30, 5}
// CHECK-SAME: WEFT_SCHED_GUIDED, 0, 0,
// CHECK-NEXT: {"{{.*}}macro_loop.c", "f", 31, 5}
// CHECK-NEXT: {"{{.*}}macro_loop.c", "f", 32, 5}
// CHECK-NEXT: {"{{.*}}macro_loop.c", "f", 33, 5}
// CHECK-NEXT: {"{{.*}}macro_loop.c", "f", 34, 5}
// CHECK-NEXT: a[3] = 3;
