// This file handles a golden test: the simplest loop; prologue, chunk function, call site.
// RUN: %weft-translate %s -o - | grep -v '^//' | %FileCheck %s
// RUN: %weft-translate %s -o %t && %cc -std=c99 -Wall -Wextra -Werror -Wno-unused-parameter -I%inc -fsyntax-only %t
void scale(double *a, const double *b, int n)
{
    #pragma omp parallel for
    for (int i = 0; i < n; i++)
        a[i] = 2 * b[i];
}
// CHECK: #include <weft/abi.h>
// CHECK-NEXT: #if WEFT_ABI_VERSION != 1
// CHECK-NEXT: #error
// CHECK-NEXT: #endif
// CHECK-NEXT: #line 1 "{{.*}}basic.c"
// The chunk function comes right before the enclosing function; read-only
// pointers and scalars become same-named local copies.
// CHECK-LABEL: static void __weft_body_1(void *__weft_data, uint64_t __weft_lo, uint64_t __weft_hi, void *__weft_red)
// CHECK: __typeof__(double *) a = *(__typeof__(double *) *)__weft_cap[{{[0-9]+}}];
// CHECK: __typeof__(const double *) b = *(__typeof__(const double *) *)__weft_cap[{{[0-9]+}}];
// CHECK: const int64_t __weft_st0 = 1;
// CHECK: __typeof__(int) i = (__typeof__(int))((uint64_t)__weft_lb0 + __weft_lo * (uint64_t)__weft_st0);
// CHECK: for (uint64_t __weft_k = __weft_lo; __weft_k < __weft_hi; __weft_k++, i += __weft_stv) {
// CHECK-NEXT: #line 8 "{{.*}}basic.c"
// CHECK-NEXT: {{^        }}a[i] = 2 * b[i];
// CHECK: #line 4 "{{.*}}basic.c"
// CHECK-NEXT: void scale(double *a, const double *b, int n)
// The call site: one line where the pragma was, then the loop's lines.
// CHECK: { static const struct weft_loc __weft_loc_1 = {"{{.*}}basic.c", "scale", 6, 5};
// CHECK-SAME: uint64_t __weft_n_1_0 = __weft_lb_1_0 < __weft_ub_1_0 ? (uint64_t)__weft_ub_1_0 - (uint64_t)__weft_lb_1_0 : 0;
// CHECK-SAME: void *__weft_cap_1[] = {
// CHECK-SAME: (void *)&a, (void *)&b
// CHECK-SAME: struct weft_loop __weft_lp_1 = { &__weft_loc_1, __weft_n_1, 0, 0, 0, WEFT_BIND_UNSET, 0u, __weft_body_1, (void *)__weft_cap_1, 0 }; WEFT_parallel_for(&__weft_lp_1); }
// CHECK-EMPTY:
// CHECK-EMPTY:
// CHECK-NEXT: }
