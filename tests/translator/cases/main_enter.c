// This file handles a golden test: main() gets WEFT_main_enter as its first statement even
// without directives, on main's own line.
// RUN: %weft-translate %s -o - | grep -v '^//' | %FileCheck %s
// RUN: %weft-translate %s -o %t && %cc -std=c99 -Wall -Werror -I%inc -fsyntax-only %t
#include <stdio.h>
int main(void)
{
    puts("hi");
    return 0;
}
// CHECK: #include <weft/abi.h>
// CHECK: int main(void)
// CHECK-NEXT: { static const struct weft_loc __weft_main_loc = {"{{.*}}main_enter.c", "main", 7, 1}; WEFT_main_enter(&__weft_main_loc, WEFT_ABI_VERSION);
// CHECK-NEXT: puts("hi");
