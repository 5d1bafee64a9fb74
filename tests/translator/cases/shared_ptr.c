// This file handles a golden test: shared variables that are written or address-taken, arrays,
// structs, volatiles and static locals are used through a pointer, and
// every reference in the body is rewritten (macro bodies get a #define).
// RUN: %weft-translate %s -o - | grep -v '^//' | %FileCheck %s
// RUN: %weft-translate %s -o %t && %cc -std=c99 -Wall -Werror -I%inc -fsyntax-only %t
struct cfg { int scale; };
#define BUMP() (flag = 1)
void g(int *p);
void f(int n, int *out)
{
    static int calls;
    int flag = 0, seen = 0, ro = 3;
    int tab[8] = {0};
    struct cfg c = {2};
    volatile int v = 1;
    #pragma omp parallel for
    for (int i = 0; i < n; i++) {
        out[i] = tab[i % 8] * c.scale + v + calls + ro;
        if (out[i] < 0)
            BUMP();
        g(&seen);
    }
}
// CHECK-LABEL: static void __weft_body_1(
// CHECK-DAG: __typeof__(int *) out = *(__typeof__(int *) *)__weft_cap[{{[0-9]+}}];
// CHECK-DAG: __typeof__(int) ro = *(__typeof__(int) *)__weft_cap[{{[0-9]+}}];
// CHECK-DAG: __typeof__(int[8]) *__weft_p_tab = (__typeof__(int[8]) *)__weft_cap[{{[0-9]+}}];
// CHECK-DAG: __typeof__(struct cfg) *__weft_p_c = (__typeof__(struct cfg) *)__weft_cap[{{[0-9]+}}];
// CHECK-DAG: __typeof__(volatile int) *__weft_p_v = (__typeof__(volatile int) *)__weft_cap[{{[0-9]+}}];
// CHECK-DAG: __typeof__(int) *__weft_p_calls = (__typeof__(int) *)__weft_cap[{{[0-9]+}}];
// CHECK-DAG: __typeof__(int) *__weft_p_flag = (__typeof__(int) *)__weft_cap[{{[0-9]+}}];
// CHECK-DAG: __typeof__(int) *__weft_p_seen = (__typeof__(int) *)__weft_cap[{{[0-9]+}}];
// CHECK: #define flag (*__weft_p_flag)
// CHECK: out[i] = (*__weft_p_tab)[i % 8] * (*__weft_p_c).scale + (*__weft_p_v) + (*__weft_p_calls) + ro;
// CHECK: g(&(*__weft_p_seen));
// CHECK: #undef flag
