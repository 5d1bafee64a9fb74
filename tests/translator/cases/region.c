// This file handles a golden test: a parallel region with worksharing and synchronisation inside, lowered over several passes.
// RUN: %weft-translate %s -o - | grep -v '^//' | %FileCheck %s
// RUN: %weft-translate %s -o %t && %cc -std=c11 -Wall -Wextra -Werror -Wno-unused-parameter -I%inc -fsyntax-only %t
static int tp;
#pragma omp threadprivate(tp)
void work(double *a, int n)
{
    double sum = 0;
    int i, hits = 0;
    long cnt = 0;
    #pragma omp parallel num_threads(4) copyin(tp) reduction(+:cnt)
    {
        #pragma omp for nowait
        for (i = 0; i < n; i++)
            a[i] = i + tp;
        #pragma omp barrier
        #pragma omp for reduction(+:sum) schedule(dynamic, 8)
        for (i = 0; i < n; i++)
            sum += a[i];
        #pragma omp critical(upd)
        hits++;
        #pragma omp atomic
        cnt += 2;
        #pragma omp single
        a[0] = sum;
        #pragma omp master
        a[1] = hits;
        #pragma omp flush
    }
}
// CHECK: _Thread_local static int tp;
// CHECK-NOT: #pragma
// The inner loops' chunk functions come from the second pass.
// CHECK-LABEL: static void __weft_body_{{[0-9]+}}(void *__weft_data, uint64_t __weft_lo, uint64_t __weft_hi, void *__weft_red)
// CHECK: a[i] = i + tp;
// CHECK-LABEL: static void __weft_region_{{[0-9]+}}(void *__weft_data, void *__weft_red)
// CHECK: __typeof__(int) i;
// CHECK: long cnt = ((struct __weft_red_{{[0-9]+}} *)__weft_red)->cnt;
// CHECK: if ((void *)&tp != __weft_cap[{{[0-9]+}}]) __builtin_memcpy((void *)&tp, __weft_cap[{{[0-9]+}}], sizeof tp);
// CHECK: WEFT_barrier(&__weft_cl);
// CHECK: | WEFT_LOOP_NOWAIT
// CHECK: WEFT_for(&__weft_lp_{{[0-9]+}});
// CHECK: WEFT_barrier(&__weft_loc_{{[0-9]+}});
// CHECK: WEFT_for(&__weft_lp_{{[0-9]+}});
// CHECK: WEFT_critical_begin(&__weft_loc_{{[0-9]+}}, "upd", &__weft_crit_{{[0-9]+}});
// CHECK: WEFT_critical_end(
// CHECK: __atomic_fetch_add(__weft_ap, __weft_ae, __ATOMIC_SEQ_CST)
// CHECK: if (WEFT_single_begin(&__weft_loc_{{[0-9]+}})) {
// CHECK: WEFT_single_end(&__weft_loc_{{[0-9]+}}, 0u);
// CHECK: if (weft_thread_num() == 0)
// CHECK: __atomic_thread_fence(__ATOMIC_SEQ_CST);
// CHECK: ((struct __weft_red_{{[0-9]+}} *)__weft_red)->cnt = cnt;
// CHECK-LABEL: void work(double *a, int n)
// CHECK: struct weft_region __weft_rg_{{[0-9]+}} = { &__weft_loc_{{[0-9]+}}, __weft_region_{{[0-9]+}}, (void *)__weft_cap_{{[0-9]+}}, (int)(4), WEFT_BIND_UNSET, 0u, &__weft_rd_{{[0-9]+}} }; WEFT_parallel(&__weft_rg_{{[0-9]+}});
