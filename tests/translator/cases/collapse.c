// This file handles a golden test: collapse(3): trip counts multiply, the logical index is
// split back into the three loop variables, innermost fastest.
// RUN: %weft-translate %s -o - | grep -v '^//' | %FileCheck %s
// RUN: %weft-translate %s -o %t && %cc -std=c99 -Wall -Wextra -Werror -Wno-unused-parameter -I%inc -fsyntax-only %t
void f(int n, int m, float (*a)[m][4])
{
    #pragma omp parallel for collapse(3)
    for (int i = 0; i < n; i++)
        for (int j = m - 1; j >= 0; j--) {
            for (long k = 0; k < 4; k += 2)
                a[i][j][k] = (float)(i + j + k);
        }
}
// CHECK-LABEL: static void __weft_body_1(
// CHECK: __typeof__(int) m = *(__typeof__(int) *)__weft_cap[{{[0-9]+}}];
// CHECK: __typeof__(float (*)[m][4]) a =
// The start of the chunk is split once; the odometer in the increment carries, no per-iteration division.
// CHECK: uint64_t __weft_q = __weft_lo;
// CHECK-NEXT: uint64_t __weft_c2 = __weft_q % __weft_n2; __weft_q /= __weft_n2;
// CHECK-NEXT: uint64_t __weft_c1 = __weft_q % __weft_n1; __weft_q /= __weft_n1;
// CHECK-NEXT: uint64_t __weft_c0 = __weft_q;
// CHECK: __weft_k++, (void)(++__weft_c2 == __weft_n2 ? (__weft_c2 = 0, (++__weft_c1 == __weft_n1 ? (__weft_c1 = 0, ++__weft_c0) : 0)) : 0)) {
// CHECK-NEXT: uint64_t __weft_k2 = __weft_c2;
// CHECK-NEXT: __typeof__(long) k = (__typeof__(long))((uint64_t)__weft_lb2 + __weft_k2 * (uint64_t)__weft_st2);
// CHECK-NEXT: uint64_t __weft_k1 = __weft_c1;
// CHECK-NEXT: __typeof__(int) j = (__typeof__(int))((uint64_t)__weft_lb1 + __weft_k1 * (uint64_t)__weft_st1);
// CHECK-NEXT: uint64_t __weft_k0 = __weft_c0;
// CHECK-NOT: /= __weft_n
// CHECK: a[i][j][k] = (float)(i + j + k);
// CHECK: int64_t __weft_st_1_1 = -1;
// CHECK-SAME: WEFT_CMP_GE
// CHECK-SAME: int64_t __weft_st_1_2 = (int64_t)(2);
// CHECK-SAME: uint64_t __weft_n_1 = __weft_n_1_0 * __weft_n_1_1 * __weft_n_1_2;
