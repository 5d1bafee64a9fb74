// This file handles a golden test: taskloop lowering (grainsize, num_tasks, nogroup, collapse, lastprivate, firstprivate, reduction with a section, if(taskloop:), final, untied, mergeable, priority): the ordinary chunk function, an adapter per taskloop and WEFT_taskloop with an argument block of values and addresses.
// RUN: %weft-translate %s -o - | grep -v '^//' | %FileCheck %s
// RUN: %weft-translate %s -o %t && %cc -std=c11 -Wall -Wextra -Werror -Wno-unused-parameter -I%inc -fsyntax-only %t
void loops(int n, double *a, long *h)
{
    int i, j, k = 3;
    long s = 0;
    #pragma omp taskloop grainsize(8) lastprivate(i) firstprivate(k) untied mergeable priority(2) final(n > 100) if(taskloop: n > 10)
    for (i = 0; i < n; i++)
        a[i] = i * k;
    #pragma omp taskloop collapse(2) num_tasks(4) nogroup shared(a)
    for (int x = 0; x < n; x++)
        for (j = n; j > 0; j -= 2)
            a[x] += j;
    #pragma omp taskloop reduction(+: s) reduction(+: h[0:4])
    for (int x = 0; x < n; x++) {
        s += x;
        h[x & 3]++;
    }
    a[0] = (double)(s + i + j);
}
// The chunk function is the one `for` uses; the adapter rebuilds its capture block from the task's copy of the argument block.
// CHECK-LABEL: static void __weft_body_{{[0-9]+}}(void *__weft_data, uint64_t __weft_lo, uint64_t __weft_hi, void *__weft_red)
// CHECK: if (__weft_hi == *(uint64_t *)__weft_cap[2])
// CHECK-LABEL: static void __weft_tl_{{[0-9]+}}(void *__weft_arg, uint64_t __weft_lo, uint64_t __weft_hi)
// CHECK: void *__weft_c[6] = { (char *)__weft_arg + __weft_s[0],
// CHECK-SAME: (char *)__weft_arg + __weft_s[4], (void *)__weft_s[5] };
// CHECK-NEXT: __weft_body_{{[0-9]+}}((void *)__weft_c, __weft_lo, __weft_hi, 0);
// CHECK-LABEL: static void __weft_tl_{{[0-9]+}}(
// CHECK-LABEL: static void __weft_red_init_{{[0-9]+}}(
// CHECK-LABEL: static void __weft_tl_{{[0-9]+}}(
// CHECK: void *__weft_rp = __builtin_alloca(((size_t *)__weft_c[5])[1]);
// CHECK: __weft_body_{{[0-9]+}}((void *)__weft_c, __weft_lo, __weft_hi, __weft_rp);
// CHECK-NEXT: WEFT_atomic_begin();
// CHECK-NEXT: __weft_red_fini_{{[0-9]+}}((void *)__weft_c, __weft_rp);
// CHECK-NEXT: WEFT_atomic_end();
// CHECK-LABEL: void loops(
// Values (bounds, k) are copied into the block; lastprivate i travels by address.
// CHECK: __builtin_memcpy((void *)__weft_ta_[[N:[0-9]+]].__weft_v4, (const void *)&(k), sizeof __weft_ta_[[N]].__weft_v4); __weft_ta_[[N]].__weft_s[5] = (uintptr_t)((void *)&i); (void)(2); WEFT_taskloop(&__weft_loc_[[N]], __weft_n_[[N]], __weft_tl_[[N]], (void *)&__weft_ta_[[N]], sizeof __weft_ta_[[N]], _Alignof(struct __weft_tla_[[N]]), (int64_t)(8), 0, 0u | ((n > 10) ? 0u : WEFT_TASK_IF_FALSE) | ((n > 100) ? WEFT_TASK_FINAL : 0u) | WEFT_TASK_UNTIED | WEFT_TASK_MERGEABLE);
// CHECK: WEFT_taskloop(&__weft_loc_{{[0-9]+}}, __weft_n_{{[0-9]+}}, __weft_tl_{{[0-9]+}}, {{.*}}, 0, (int64_t)(4), 0u | WEFT_TASKLOOP_NOGROUP);
// CHECK-NOT: struct weft_reduction
// CHECK: WEFT_taskloop(&__weft_loc_{{[0-9]+}}, __weft_n_{{[0-9]+}}, __weft_tl_{{[0-9]+}}, {{.*}}, 0, 0, 0u);
