// This file handles a golden test: simd and declare simd are hints that disappear (the loop
// runs in order), and for simd / parallel for simd / taskloop simd lower like for / parallel
// for / taskloop with the simd-only clauses dropped; lines stay where they were.
// RUN: %weft-translate %s -o - | grep -v '^//' | %FileCheck %s
// RUN: %weft-translate %s -o - | grep -v "^//" | not grep -n -e 'pragma omp' -e safelen
// RUN: %weft-translate %s -o %t && %cc -std=c99 -Wall -Werror -I%inc -fsyntax-only %t
#pragma omp declare simd uniform(a) linear(i : 1) simdlen(4) notinbranch
double twice(const double *a, int i);

double dot(int n, const double *a, const double *b)
{
    double s = 0;
    #pragma omp simd reduction(+ : s) aligned(a, b : 32) safelen(8) private(n)
    for (int i = 0; i < n; i++)
        s += a[i] * b[i];
    return s;
}

void scale(int n, double *a)
{
    #pragma omp parallel for simd schedule(static) safelen(4) simdlen(8) aligned(a) nontemporal(a) order(concurrent) if(simd: n > 8)
    for (int i = 0; i < n; i++)
        a[i] *= 2;
    #pragma omp parallel
    {
        #pragma omp for simd nowait
        for (int i = 0; i < n; i++)
            a[i] += 1;
    }
    #pragma omp taskloop simd grainsize(4) safelen(2)
    for (int i = 0; i < n; i++)
        a[i] -= 1;
}
// CHECK-NOT: #pragma omp
// CHECK: double twice(const double *a, int i);
// CHECK-LABEL: double dot(int n, const double *a, const double *b)
// CHECK-NEXT: {
// CHECK-NEXT: double s = 0;
// CHECK: for (int i = 0; i < n; i++)
// CHECK-NEXT: s += a[i] * b[i];
// CHECK-LABEL: void scale(int n, double *a)
// CHECK-NOT: #pragma omp
// CHECK: WEFT_parallel_for(
// CHECK: WEFT_parallel(
// CHECK: WEFT_taskloop(
// CHECK-NOT: #pragma omp
