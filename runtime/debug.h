/* This file handles fatal errors and debug-only invariant checks. The ABI
 * has no error returns: an impossible state ends the program with the user's
 * file:line taken from the construct's struct weft_loc. */
#ifndef WEFT_DEBUG_H
#define WEFT_DEBUG_H

#include <stdnoreturn.h>

#include "weft/abi.h"

#ifndef WEFT_INTERNAL
#define WEFT_INTERNAL __attribute__((visibility("hidden")))
#endif

/* Prints "file:line: weft: fatal: <message>" (or "weft: fatal: <message>"
 * when loc is NULL) to stderr and aborts. Any thread may call it. */
WEFT_INTERNAL noreturn void weft__fatal(const struct weft_loc *loc,
                                        const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Prints "weft: warning: <message>" to stderr. Any thread may call it. */
WEFT_INTERNAL void weft__warn(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* WEFT_ASSERT checks an invariant in Debug builds only; it never validates
 * input (use weft__fatal for that). */
#ifdef NDEBUG
#define WEFT_ASSERT(cond) ((void)0)
#else
#define WEFT_ASSERT(cond)                                                      \
    ((cond) ? (void)0                                                          \
            : weft__fatal(                                                     \
                  &(const struct weft_loc){__FILE__, __func__, __LINE__, 0},   \
                  "assertion failed: %s", #cond))
#endif

#endif
