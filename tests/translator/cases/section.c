// This file handles a golden test: array-section reductions with constant and run-time
// lengths: offsets computed at run time, local pointers into the partial, the
// runtime's built-in table entries of the sections.
// RUN: %weft-translate %s -o - | grep -v '^//' | %FileCheck %s
// RUN: %weft-translate %s -o %t && %cc -std=c99 -Wall -Wextra -Werror -Wno-unused-parameter -I%inc -fsyntax-only %t
void histo(int n, const unsigned char *px, long *out, int lo, int len)
{
    long hist[256] = {0};
    #pragma omp parallel for reduction(+: hist[0:256], out[lo:len])
    for (int i = 0; i < n; i++) {
        hist[px[i]]++;
        out[lo + px[i] % len] += 1;
    }
}
// CHECK: struct __weft_red_1 { char __weft_unused; };
// H28: + on long is in the runtime's built-in table: no helpers; a section's
// entry names its base, length and offsets slots.
// CHECK-NEXT: static const struct weft_red_var __weft_rv_1[] = { {WEFT_RED_ADD, WEFT_RED_T_I64, 0, {{[0-9]+}}, {{[0-9]+}}, [[ROFF:[0-9]+]], 0}, {WEFT_RED_ADD, WEFT_RED_T_I64, 0, {{[0-9]+}}, {{[0-9]+}}, [[ROFF]], 1} };
// CHECK-NOT: __weft_red_init_1
// CHECK-LABEL: static void __weft_body_1(
// CHECK: long *hist = (long *)((char *)__weft_red + ((size_t *)__weft_cap[[[ROFF]]])[0]) - *(ptrdiff_t *)__weft_cap[{{[0-9]+}}];
// CHECK: long *out = (long *)((char *)__weft_red + ((size_t *)__weft_cap[[[ROFF]]])[1]) - *(ptrdiff_t *)__weft_cap[{{[0-9]+}}];
// CHECK: ptrdiff_t __weft_rlo_1_0 = (0); size_t __weft_rlen_1_0 = (size_t)(256); ptrdiff_t __weft_rlo_1_1 = (lo); size_t __weft_rlen_1_1 = (size_t)(len);
// CHECK-SAME: __weft_roff_1[0] = __weft_o; __weft_o += __weft_rlen_1_0 * sizeof(long);
// CHECK-SAME: struct weft_reduction __weft_rd_1 = { __weft_roff_1[2], 0, 0, 0, 0, __weft_rv_1, 2u, 0u };
// CHECK-SAME: (void *)&(hist)[__weft_rlo_1_0]
// CHECK-SAME: (void *)&(out)[__weft_rlo_1_1]
