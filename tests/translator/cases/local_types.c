// This file handles a golden test: local typedefs and structs are re-declared in the chunk
// function, VLA sizes are captured first, #defines made inside the
// function are repeated before the chunk, and a recursive function gets a
// prototype before its chunk.
// RUN: %weft-translate %s -o - | grep -v '^//' | %FileCheck %s
// RUN: %weft-translate %s -o %t && %cc -std=c99 -Wall -Wextra -Werror -Wno-unused-parameter -I%inc -fsyntax-only %t
static long walk(int depth, int n)
{
#define TWICE(x) (2 * (x))
    typedef long acc_t;
    struct pair { acc_t a, b; };
    double grid[n][n + 1];
    struct pair out[16];
    if (depth == 0)
        return 0;
    #pragma omp parallel for
    for (int i = 0; i < 16; i++) {
        struct pair p = {TWICE(i), (acc_t)sizeof grid[0]};
        out[i] = p;
        out[i].b += depth > 5 ? walk(0, n) : 0;
        grid[i % n][0] = 0;
    }
    return out[3].a + walk(depth - 1, n);
}
// CHECK: static long walk(int depth, int n);
// CHECK-EMPTY:
// CHECK-NEXT: #line 9 "{{.*}}local_types.c"
// CHECK-NEXT: #define TWICE(x) (2 * (x))
// CHECK-LABEL: static void __weft_body_1(
// CHECK: __typeof__(int) n = *(__typeof__(int) *)__weft_cap[{{[0-9]+}}];
// CHECK: #line 10 "{{.*}}local_types.c"
// CHECK-NEXT: typedef long acc_t;
// CHECK: #line 11 "{{.*}}local_types.c"
// CHECK-NEXT: struct pair { acc_t a, b; };
// CHECK: __typeof__(double[n][n + 1]) *__weft_p_grid =
// CHECK: __typeof__(struct pair[16]) *__weft_p_out =
// CHECK: #line 7 "{{.*}}local_types.c"
// CHECK-NEXT: static long walk(int depth, int n)
