/* This file handles the entry point of weftcc, the drop-in replacement for
 * cc that translates OpenMP-style parallel loops (see driver.c). */
#include "driver.h"

/* In -DWEFT_ENABLE_ASAN builds, weftcc itself is instrumented. Memory that
 * libclang keeps until exit is not a bug of the build being driven, and a
 * leak report would turn every compile into a failure; AddressSanitizer
 * reads this hook at start-up. Unused in other builds. */
const char *__asan_default_options(void);
const char *__asan_default_options(void) { return "detect_leaks=0"; }

int main(int argc, char **argv) { return tr_driver_main(argc, argv); }
