// This file handles a golden test: task depend items (variable, element, section, *p, member, mutexinoutset and inoutset as inout), final, untied, mergeable, priority, if(task:) and taskwait depend.
// RUN: %weft-translate %s -o - | grep -v '^//' | %FileCheck %s
// RUN: %weft-translate %s -o %t && %cc -std=c11 -Wall -Wextra -Werror -Wno-unused-parameter -I%inc -fsyntax-only %t
struct pt {
    int x, y;
};

void deps(int n, double *a, int *p, struct pt *q)
{
    int v = 0;
    #pragma omp task depend(out: v) depend(in: a[n - 1], *p) shared(v)
    v = n;
    #pragma omp task depend(inout: a[2:n], q->y) depend(mutexinoutset: v) depend(inoutset: p[0]) shared(v)
    v += q->x;
    #pragma omp task depend(in: a[:4]) final(n > 3) untied mergeable priority(n % 4) if(task: n > 1)
    a[0] = 1;
    #pragma omp taskwait depend(in: v)
}
// CHECK-LABEL: static void __weft_task_{{[0-9]+}}(void *__weft_arg)
// CHECK-LABEL: void deps(
// CHECK: struct weft_depend __weft_dp_{{[0-9]+}}[3] = { {(void *)(&(v)), WEFT_DEP_OUT}, {(void *)(&(a[n - 1])), WEFT_DEP_IN}, {(void *)(&(*p)), WEFT_DEP_IN} };
// CHECK-SAME: , 0u, __weft_dp_{{[0-9]+}}, 3u); }
// CHECK: struct weft_depend __weft_dp_{{[0-9]+}}[4] = { {(void *)(&(a)[2]), WEFT_DEP_INOUT}, {(void *)(&(q->y)), WEFT_DEP_INOUT}, {(void *)(&(v)), WEFT_DEP_INOUT}, {(void *)(&(p[0])), WEFT_DEP_INOUT} };
// CHECK: struct weft_depend __weft_dp_{{[0-9]+}}[1] = { {(void *)(&(a)[0]), WEFT_DEP_IN} }; (void)(n % 4);
// CHECK-SAME: 0u | ((n > 1) ? 0u : WEFT_TASK_IF_FALSE) | ((n > 3) ? WEFT_TASK_FINAL : 0u) | WEFT_TASK_UNTIED | WEFT_TASK_MERGEABLE, __weft_dp_{{[0-9]+}}, 1u); }
// CHECK: WEFT_taskwait(&__weft_loc_{{[0-9]+}});
