// This file handles a golden test: a firstprivate variable that the loop body changes gets one copy
// per thread, kept across the thread's chunks (a `parallel for`: in the thread's partial; a `for`:
// a local of each thread's call site); a read-only one and a taskloop's stay per chunk (per task).
// RUN: %weft-translate %s -o - | grep -v '^//' | %FileCheck %s
// RUN: %weft-translate %s -o %t && %cc -std=c99 -Wall -Wextra -Werror -Wno-unused-parameter -I%inc -fsyntax-only %t
void f(int n, long *a)
{
    long cnt = 0, k = 3;
    #pragma omp parallel for firstprivate(cnt, k) schedule(dynamic, 4)
    for (int i = 0; i < n; i++) {
        cnt += k;
        a[i] = cnt;
    }
    #pragma omp parallel
    {
        #pragma omp for firstprivate(cnt) schedule(guided)
        for (int i = 0; i < n; i++)
            a[i] = ++cnt;
    }
    #pragma omp taskloop firstprivate(cnt)
    for (int i = 0; i < n; i++)
        a[i] = cnt++;
}
// The partial holds the copy: init copies the original in once per thread, combine and fini leave it.
// CHECK-LABEL: static void __weft_red_init_1(
// CHECK: __builtin_memcpy((char *)__weft_slot + ((size_t *)__weft_cap[[[R:[0-9]+]]])[0], __weft_cap[[[C:[0-9]+]]], ((size_t *)__weft_cap[[[R]]])[2]);
// CHECK-LABEL: static void __weft_red_comb_1(
// CHECK-NOT: memcpy
// CHECK-LABEL: static void __weft_body_1(
// CHECK-DAG: __typeof__(long) cnt; __builtin_memcpy((void *)&cnt, (void *)((char *)__weft_red + ((size_t *)__weft_cap[[[R]]])[0]), sizeof cnt);
// CHECK-DAG: __typeof__(long) k = *(__typeof__(long) *)__weft_cap[{{[0-9]+}}];
// CHECK: for (uint64_t __weft_k
// CHECK: __builtin_memcpy((void *)((char *)__weft_red + ((size_t *)__weft_cap[[[R]]])[0]), (const void *)&cnt, sizeof cnt);
// CHECK-NEXT: (void)__weft_cap; (void)__weft_red;
// A `for`: the copy is the thread's call-site local, read and written back through its slot.
// CHECK-LABEL: static void __weft_body_5(
// CHECK: cnt; __builtin_memcpy((void *)&cnt, __weft_cap[[[F:[0-9]+]]], sizeof cnt);
// CHECK: __builtin_memcpy(__weft_cap[[[F]]], (const void *)&cnt, sizeof cnt);
// CHECK: __typeof__(cnt) __weft_ft_5_cnt; __builtin_memcpy((void *)&__weft_ft_5_cnt, (const void *)&cnt, sizeof __weft_ft_5_cnt);
// CHECK-SAME: (void *)&__weft_ft_5_cnt };
// CHECK-SAME: WEFT_for(&__weft_lp_5);
// A taskloop's copy is per task: taken from the task's argument block, never written back.
// CHECK-LABEL: static void __weft_body_4(
// CHECK: __typeof__(long) cnt = *(__typeof__(long) *)__weft_cap[{{[0-9]+}}];
// CHECK-NOT: &cnt, sizeof cnt
// CHECK-LABEL: static void __weft_tl_4(
// The `parallel for` passes its partial's size, the copy's offset and size, and the reduction.
// CHECK: __weft_roff_1[0] = __weft_o; __weft_roff_1[2] = sizeof cnt; __weft_o += sizeof cnt; __weft_roff_1[1] = __weft_o;
// CHECK-SAME: struct weft_reduction __weft_rd_1 = { __weft_roff_1[1], 0, __weft_red_init_1, __weft_red_comb_1, __weft_red_fini_1, 0, 0u, 0u };
// CHECK-SAME: (void *)&cnt, (void *)&k, (void *)&a, (void *)__weft_roff_1 };
// CHECK-SAME: __weft_body_1, (void *)__weft_cap_1, &__weft_rd_1 }; WEFT_parallel_for(&__weft_lp_1);
