// This file handles a diagnostic test: a directive in an included user header is an error at
// the header's line, not a silently serial loop.
// RUN: not %weft-translate %s -o %t 2>&1 | %FileCheck %s --implicit-check-not=error:
// RUN: test ! -e %t
#include "include/pragma_header.h"
void g(double *a) { fill(4, a); }
// CHECK: {{.*}}pragma_header.h:5:5: error: OpenMP directives in included files are not supported yet; move the loop into a .c file that weft translates
