// This file handles a golden test: the spellings of a directive: #pragma weft, a pragma split
// over continuation lines, _Pragma in code, from a macro and from a
// stringizing macro with arguments; the lines
// after each construct keep their numbers.
// RUN: %weft-translate %s -o - | grep -v '^//' | %FileCheck %s
// RUN: %weft-translate %s -o %t && %cc -std=c99 -Wall -Werror -I%inc -fsyntax-only %t
#define PAR_FOR _Pragma("omp parallel for schedule(guided)")
#define STR(x) #x
#define PRAGMA(x) _Pragma(STR(x))
#define PAR_SCHED(kind, k) PRAGMA(omp parallel for schedule(kind, k))
void f(int n, double *a)
{
    #pragma weft parallel for \
        schedule(dynamic, 2) \
        num_threads(4)
    for (int i = 0; i < n; i++)
        a[i] = 0;
    _Pragma("omp parallel for schedule(static, 3)")
    for (int i = 0; i < n; i++)
        a[i] += 1;
    PAR_FOR
    for (int i = 0; i < n; i++)
        a[i] *= 2;
    PAR_SCHED(dynamic, 5)
    for (int i = 0; i < n; i++)
        a[i] -= 1;
    a[0] = -1;
}
// CHECK: {"{{.*}}pragma_forms.c", "f", 13, 5}
// CHECK-SAME: WEFT_SCHED_DYNAMIC, (int)(4), (int64_t)(2),
// CHECK-EMPTY:
// CHECK-EMPTY:
// CHECK-EMPTY:
// CHECK-EMPTY:
// CHECK-NEXT: {"{{.*}}pragma_forms.c", "f", 18, 5}
// CHECK-SAME: WEFT_SCHED_STATIC, 0, (int64_t)(3),
// CHECK-EMPTY:
// CHECK-EMPTY:
// CHECK-NEXT: {"{{.*}}pragma_forms.c", "f", 21, 5}
// CHECK-SAME: WEFT_SCHED_GUIDED, 0, 0,
// CHECK-EMPTY:
// CHECK-EMPTY:
// A pragma built by stringizing macro arguments.
// CHECK-NEXT: {"{{.*}}pragma_forms.c", "f", 24, 5}
// CHECK-SAME: WEFT_SCHED_DYNAMIC, 0, (int64_t)(5),
// CHECK-EMPTY:
// CHECK-EMPTY:
// CHECK-NEXT: a[0] = -1;
