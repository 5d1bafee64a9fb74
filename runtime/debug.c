/* This file handles fatal-error and warning output. Both write one whole
 * line with a single fprintf-sized buffer so lines from several threads do
 * not interleave. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "weft-internal.h"

noreturn void weft__fatal(const struct weft_loc *loc, const char *fmt, ...) {
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (loc && loc->file)
        fprintf(stderr, "%s:%u: weft: fatal: %s\n", loc->file, loc->line, msg);
    else
        fprintf(stderr, "weft: fatal: %s\n", msg);
    fflush(stderr);
    abort();
}

void weft__warn(const char *fmt, ...) {
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fprintf(stderr, "weft: warning: %s\n", msg);
}
