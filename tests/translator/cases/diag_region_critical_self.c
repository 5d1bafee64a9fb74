// This file handles a diagnostic test: a critical section nested in one of the same name.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
void f(int n, double *a)
{
    #pragma omp parallel
    {
        #pragma omp critical(upd)
        {
            a[0] += n;
            // CHECK: {{.*}}diag_region_critical_self.c:[[@LINE+1]]:13: error: '#pragma omp critical(upd)' inside a critical section of the same name would wait for itself forever; use another name
            #pragma omp critical(upd)
            a[1] += n;
        }
    }
}
