// This file handles a diagnostic test (H30): a threadprivate static local used in a parallel construct is refused (it used to be shared through the encountering thread's address), while one only used outside parallel constructs is fine.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
int count_calls(void)
{
    static int calls;
#pragma omp threadprivate(calls)
    return ++calls;
}

int per_thread(int n)
{
    static long seen;
#pragma omp threadprivate(seen)
    long total = 0;
#pragma omp parallel reduction(+ : total)
    {
        // CHECK: {{.*}}diag_threadprivate_local.c:[[@LINE+1]]:9: error: threadprivate variable 'seen' is declared in a function; a parallel construct cannot use it yet: declare it at file scope (static, with its threadprivate directive there)
        seen = n;
        total += seen;
    }
    return (int)total;
}
