// This file handles a golden test: a loop hint pragma between the directive and its loop moves
// with the loop: it stands right before the chunk function's loop.
// RUN: %weft-translate %s -o - | grep -v '^//' | %FileCheck %s
// RUN: %weft-translate %s -o %t && %cc -std=c99 -Wall -Werror -I%inc -fsyntax-only %t
void f(int n, double *a, const double *b)
{
    #pragma omp parallel for
    #pragma GCC ivdep
    for (int i = 0; i < n; i++)
        a[i] += b[i];
}
// CHECK-LABEL: static void __weft_body_1(
// CHECK: {{^}}#pragma GCC ivdep
// CHECK-NEXT: for (uint64_t __weft_k = __weft_lo; __weft_k < __weft_hi;
// CHECK: void f(int n, double *a, const double *b)
// CHECK-NOT: ivdep
