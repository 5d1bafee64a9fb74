// This file handles a golden test: the weft_loc of constructs nested in a region (lowered in later passes, inside generated functions) names the user's function, not the generated one.
// RUN: %weft-translate %s -o - | grep -v '^//' | %FileCheck %s --implicit-check-not='"__weft_'
void work(double *a, int n)
{
    double s = 0;
    // CHECK-DAG: {"{{.*}}region_loc_func.c", "work", [[@LINE+1]], 5}
    #pragma omp parallel
    {
        // CHECK-DAG: {"{{.*}}region_loc_func.c", "work", [[@LINE+1]], 9}
        #pragma omp for reduction(+:s)
        for (int i = 0; i < n; i++)
            s += a[i];
        // CHECK-DAG: {"{{.*}}region_loc_func.c", "work", [[@LINE+1]], 9}
        #pragma omp single
        {
            // CHECK-DAG: {"{{.*}}region_loc_func.c", "work", [[@LINE+1]], 13}
            #pragma omp task
            a[0] += 1;
        }
        // CHECK-DAG: {"{{.*}}region_loc_func.c", "work", [[@LINE+1]], 9}
        #pragma omp barrier
        // CHECK-DAG: {"{{.*}}region_loc_func.c", "work", [[@LINE+1]], 9}
        #pragma omp critical
        a[1] += s;
        // CHECK-DAG: {"{{.*}}region_loc_func.c", "work", [[@LINE+1]], 9}
        #pragma omp for
        for (int i = 0; i < n; i++) {
            // CHECK-DAG: {"{{.*}}region_loc_func.c", "work", [[@LINE+1]], 13}
            #pragma omp critical(inner)
            a[1] += 1;
        }
    }
}
