// This file handles a golden test: atomic forms by type, single copyprivate, sections, ordered, weft spelling.
// RUN: %weft-translate %s -o - | grep -v '^//' | %FileCheck %s
// RUN: %weft-translate %s -o %t && %cc -std=c11 -Wall -Wextra -Werror -Wno-unused-parameter -I%inc -fsyntax-only %t
void sync(double *d, long double *ld, int *k, int n)
{
    #pragma weft parallel
    {
        int v = 0;
        long old;
        static long ctr;
        #pragma omp atomic
        *d += 0.5;
        #pragma omp atomic update
        *ld = *ld * 2;
        #pragma omp atomic capture
        old = ctr++;
        #pragma omp atomic read
        v = *k;
        #pragma omp atomic write
        *k = v + 1;
        #pragma omp single copyprivate(v)
        v = n;
        #pragma omp sections nowait
        {
            d[1] = v;
            #pragma omp section
            d[2] = (double)old;
        }
        #pragma omp for ordered
        for (int i = 0; i < n; i++) {
            #pragma omp ordered
            d[3] += i;
        }
    }
}
// CHECK-LABEL: static void __weft_body_{{[0-9]+}}(
// CHECK: WEFT_ordered_begin(&__weft_loc_{{[0-9]+}}, __weft_k);
// CHECK: WEFT_ordered_end(&__weft_loc_{{[0-9]+}}, __weft_k);
// CHECK-LABEL: static void __weft_body_{{[0-9]+}}(
// CHECK: switch (__weft_sec_{{[0-9]+}}) { case 0: {
// CHECK: } break; case 1: {
// CHECK-LABEL: static void __weft_region_{{[0-9]+}}(void *__weft_data, void *__weft_red)
// double: a compare-and-swap loop.
// CHECK: __atomic_compare_exchange(__weft_ap, &__weft_ao, &__weft_an, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)
// long double: the runtime's atomic lock.
// CHECK: WEFT_atomic_begin(); *ld = *ld * 2; WEFT_atomic_end();
// capture of the old value of an integer.
// CHECK: __atomic_fetch_add(__weft_ap, __weft_ae, __ATOMIC_SEQ_CST); {{.*}}old = __weft_ao;
// CHECK: __atomic_load(&(*k), &__weft_av, __ATOMIC_SEQ_CST); v = __weft_av;
// CHECK: __atomic_store(&(*k), &__weft_av, __ATOMIC_SEQ_CST);
// CHECK: void *__weft_cpv_{{[0-9]+}}[] = {(void *)&v};
// CHECK: WEFT_copyprivate(&__weft_loc_{{[0-9]+}}
// CHECK: __builtin_memcpy((void *)&v, __weft_cps_{{[0-9]+}}[0], sizeof v);
// CHECK: WEFT_LOOP_NOWAIT
// CHECK: WEFT_LOOP_ORDERED
// CHECK-LABEL: void sync(
// CHECK: WEFT_parallel(&__weft_rg_{{[0-9]+}});
