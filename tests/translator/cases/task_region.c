// This file handles a golden test: a task and a taskloop inside single in a region, privatising a variable the region shares (the copy is made next to the task), a depend item and a reduction on region-shared variables.
// RUN: %weft-translate %s -o - | grep -v '^//' | %FileCheck %s
// RUN: %weft-translate %s -o %t && %cc -std=c11 -Wall -Wextra -Werror -Wno-unused-parameter -I%inc -fsyntax-only %t
int main(void)
{
    int k = 4, i;
    long sum = 0;
    double x[100];
    #pragma omp parallel
    {
        #pragma omp single
        {
            #pragma omp task firstprivate(k) depend(out: x[0]) depend(in: k)
            x[0] = k++;
            #pragma omp taskloop reduction(+: sum) firstprivate(k)
            for (i = 0; i < 100; i++)
                sum += i + k;
            k = 7;
        }
    }
    return (int)sum + k;
}
// CHECK-LABEL: static void __weft_task_{{[0-9]+}}(void *__weft_arg)
// CHECK: __typeof__(__typeof__(int)) k; __builtin_memcpy((void *)&k, (const void *)&__weft_t->k, sizeof k);
// CHECK-LABEL: static void __weft_tl_{{[0-9]+}}(
// CHECK: WEFT_atomic_begin();
// CHECK-LABEL: static void __weft_region_{{[0-9]+}}(void *__weft_data, void *__weft_red)
// CHECK: { __typeof__(int) k; __builtin_memcpy((void *)&k, (const void *)__weft_p_k, sizeof k);
// The depend item names the region's k, not the task's copy.
// CHECK: struct weft_depend __weft_dp_{{[0-9]+}}[2] = { {(void *)(&((*__weft_p_x)[0])), WEFT_DEP_OUT}, {(void *)(&((*__weft_p_k))), WEFT_DEP_IN} };
// CHECK: WEFT_task(
// CHECK: { __typeof__(int) k; __builtin_memcpy((void *)&k, (const void *)__weft_p_k, sizeof k);
// CHECK: WEFT_taskloop(
// CHECK: (*__weft_p_k) = 7;
// CHECK-LABEL: int main(void)
// CHECK: WEFT_parallel(&__weft_rg_{{[0-9]+}});
