// This file handles a golden test: lastprivate on '#pragma omp parallel sections' (with default(none) and a variable that is also firstprivate): the clause goes to the inner 'sections nowait', the region shares the variable, and the last section's value is written back through the region's pointer.
// RUN: %weft-translate %s -o %t && %weft-translate %s -o - | grep -v '^//' | %FileCheck %s
// RUN: %cc -std=c11 -Wall -Wextra -Werror -Wno-unused-parameter -I%inc -fsyntax-only %t
void f(int n, int *out)
{
    int a = 0, x = 0, y = 5, z = 1;
    // The chunk function of the sections: x private and uninitialised, y
    // initialised from the value the region captured, both written back by
    // the chunk that runs the last section.
    // CHECK: static void __weft_body_{{[0-9]+}}(
    // CHECK: __weft_lv___weft_p_x; __builtin_memset((void *)&__weft_lv___weft_p_x, 0,
    // CHECK: __weft_lv___weft_p_y; __builtin_memcpy((void *)&__weft_lv___weft_p_y, __weft_cap[{{[0-9]+}}],
    // CHECK: switch (__weft_sec_{{[0-9]+}}) { case 0: {
    // CHECK: (*__weft_p_x) = 10;
    // CHECK: } break; case 1: {
    // CHECK: (*__weft_p_x) = 20 + z;
    // CHECK: if (__weft_hi == *(uint64_t *)__weft_cap[2]) __builtin_memcpy(*(void **)__weft_cap[{{[0-9]+}}], &__weft_lv___weft_p_x, sizeof __weft_lv___weft_p_x);
    // CHECK: if (__weft_hi == *(uint64_t *)__weft_cap[2]) __builtin_memcpy(*(void **)__weft_cap[{{[0-9]+}}], &__weft_lv___weft_p_y, sizeof __weft_lv___weft_p_y);
    // The region shares x and y (pointers to f's variables), z is its own.
    // CHECK-LABEL: static void __weft_region_{{[0-9]+}}(
    // CHECK: __typeof__(int) *__weft_p_x = (__typeof__(int) *)__weft_cap[{{[0-9]+}}];
    // CHECK: __typeof__(int) *__weft_p_y = (__typeof__(int) *)__weft_cap[{{[0-9]+}}];
    // CHECK: __typeof__(int) z = *(__typeof__(int) *)__weft_cap[{{[0-9]+}}];
    // CHECK: WEFT_SCHED_DYNAMIC, 0, (int64_t)(1), WEFT_BIND_UNSET, 0u | WEFT_LOOP_NOWAIT
    // CHECK-LABEL: void f(int n, int *out)
    // CHECK: void *__weft_cap_{{[0-9]+}}[] = { (void *)&a, (void *)&n, (void *)&x, (void *)&y, (void *)&z };
    // CHECK: WEFT_parallel(&__weft_rg_{{[0-9]+}});
    #pragma omp parallel sections default(none) shared(a, n) firstprivate(y, z) lastprivate(x, y)
    {
        #pragma omp section
        { a = n; x = 10; y += 1; }
        #pragma omp section
        { x = 20 + z; y += 2; }
    }
    out[0] = a + x + y;
}
