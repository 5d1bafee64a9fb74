// This file handles a golden test: num_threads, if (with and without modifier), proc_bind and
// nowait (accepted, no flag: meaningless on parallel for) land in the loop
// descriptor; expressions are evaluated in place.
// RUN: %weft-translate %s -o - | grep -v '^//' | %FileCheck %s
// RUN: %weft-translate %s -o %t && %cc -std=gnu11 -Wall -Werror -I%inc -fsyntax-only %t
int threads(void);
void f(int n, double *a)
{
    #pragma omp parallel for num_threads(threads() + 1) if(n > 1000) proc_bind(spread)
    for (int i = 0; i < n; i++) a[i] = 0;
    #pragma omp parallel for if(parallel: n > 10) proc_bind(master) nowait
    for (int i = 0; i < n; i++) a[i] = 1;
    #pragma omp parallel for proc_bind(close) default(shared) shared(a)
    for (int i = 0; i < n; i++) a[i] = 2;
}
// CHECK: __weft_lp_1 = { &__weft_loc_1, __weft_n_1, 0, (int)(threads() + 1), 0, WEFT_BIND_SPREAD, 0u | ((n > 1000) ? 0u : WEFT_LOOP_IF_FALSE), __weft_body_1,
// CHECK: __weft_lp_2 = { &__weft_loc_2, __weft_n_2, 0, 0, 0, WEFT_BIND_PRIMARY, 0u | ((n > 10) ? 0u : WEFT_LOOP_IF_FALSE), __weft_body_2,
// CHECK: __weft_lp_3 = { &__weft_loc_3, __weft_n_3, 0, 0, 0, WEFT_BIND_CLOSE, 0u, __weft_body_3,
