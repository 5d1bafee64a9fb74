// This file handles a golden test: canonical loop forms: unsigned and char variables, negative
// steps, !=, the bound on the left, v = v + k, v = k + v, pointers.
// RUN: %weft-translate %s -o - | grep -v '^//' | %FileCheck %s
// RUN: %weft-translate %s -o %t && %cc -std=c99 -Wall -Wextra -Werror -Wno-unused-parameter -I%inc -fsyntax-only %t
#include <stddef.h>
void f(size_t n, double *a, char *s, int step)
{
    #pragma omp parallel for
    for (size_t u = n; u > 0; u--) a[u - 1] = 0;
    #pragma omp parallel for
    for (int i = 100; i != 0; i -= 4) a[i] = 1;
    #pragma omp parallel for
    for (long i = 0; (long)n >= i; i = i + step) a[i] = 2;
    #pragma omp parallel for
    for (short i = 0; i <= 10; i = 3 + i) a[i] = 3;
    #pragma omp parallel for
    for (char *p = s; p < s + n; p++) *p = 'x';
    #pragma omp parallel for
    for (unsigned char c = 'a'; c <= 'z'; ++c) s[c - 'a'] = (char)c;
}
// CHECK: static void __weft_body_5(
// CHECK: __typeof__(char *) p = __weft_lb0 + (int64_t)(__weft_lo * (uint64_t)__weft_st0);
// CHECK: __weft_k++, p += __weft_st0) {
// CHECK: __typeof__(size_t) __weft_ub_1_0 = (0); uint64_t __weft_n_1_0 = __weft_lb_1_0 > __weft_ub_1_0 ? (uint64_t)__weft_lb_1_0 - (uint64_t)__weft_ub_1_0 : 0;
// CHECK: int64_t __weft_st_2_0 = -(int64_t)(4);
// CHECK-SAME: WEFT_CMP_NE, 32u | WEFT_TYPE_SIGNED);
// CHECK: __typeof__(long) __weft_ub_3_0 = ((long)n); int64_t __weft_st_3_0 = (int64_t)(step);
// CHECK-SAME: WEFT_CMP_LE, 64u | WEFT_TYPE_SIGNED);
// CHECK: int64_t __weft_st_4_0 = (int64_t)(3);
// CHECK-SAME: WEFT_CMP_LE, 16u | WEFT_TYPE_SIGNED);
// CHECK: __typeof__(char *) __weft_lb_5_0 = (s); __typeof__(char *) __weft_ub_5_0 = (s + n);
// CHECK-SAME: WEFT_trip_count(&__weft_loc_5, 0, (uint64_t)(int64_t)(__weft_ub_5_0 - __weft_lb_5_0), __weft_st_5_0, WEFT_CMP_LT, 64u | WEFT_TYPE_SIGNED);
// CHECK: WEFT_trip_count(&__weft_loc_6, {{.*}}, WEFT_CMP_LE, 8u);
