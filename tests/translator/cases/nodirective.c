// This file handles a golden test: a file with no directive and no main() is copied through
// byte for byte (OpenMP in comments, strings and #if 0 is not a directive).
// RUN: %weft-translate %s -o %t && cmp %s %t
#include <stdio.h>
/* #pragma omp parallel for */
static const char *msg = "#pragma omp parallel for";
#if 0
#pragma omp parallel for
#endif
void hello(void) { puts(msg); }
