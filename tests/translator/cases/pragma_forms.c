// Golden test: the spellings of a directive: #pragma weft, a pragma split
// over continuation lines, _Pragma in code and from a macro; the lines
// after each construct keep their numbers.
// RUN: %weft-translate %s -o - | grep -v '^//' | %FileCheck %s
// RUN: %weft-translate %s -o %t && %cc -std=c99 -Wall -Werror -I%inc -fsyntax-only %t
#define PAR_FOR _Pragma("omp parallel for schedule(guided)")
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
    a[0] = -1;
}
// CHECK: {"{{.*}}pragma_forms.c", "f", 9, 5}
// CHECK-SAME: WEFT_SCHED_DYNAMIC, (int)(4), (int64_t)(2),
// CHECK-EMPTY:
// CHECK-EMPTY:
// CHECK-EMPTY:
// CHECK-EMPTY:
// CHECK-NEXT: {"{{.*}}pragma_forms.c", "f", 14, 5}
// CHECK-SAME: WEFT_SCHED_STATIC, 0, (int64_t)(3),
// CHECK-EMPTY:
// CHECK-EMPTY:
// CHECK-NEXT: {"{{.*}}pragma_forms.c", "f", 17, 5}
// CHECK-SAME: WEFT_SCHED_GUIDED, 0, 0,
// CHECK-EMPTY:
// CHECK-EMPTY:
// CHECK-NEXT: a[0] = -1;
