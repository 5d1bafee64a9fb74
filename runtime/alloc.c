/* This file handles the runtime's own heap allocations. The ABI has no
 * failure path, so running out of memory ends the program with a message
 * instead of returning NULL (libgomp's gomp_malloc). */
#include <stdlib.h>
#include <string.h>

#include "weft-internal.h"

void *weft__malloc(size_t size) {
    void *p = malloc(size ? size : 1);
    if (!p)
        weft__fatal(NULL, "out of memory allocating %zu bytes", size);
    return p;
}

void *weft__calloc(size_t n, size_t size) {
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        weft__fatal(NULL, "out of memory allocating %zu x %zu bytes", n, size);
    return p;
}

void *weft__realloc(void *old, size_t size) {
    void *p = realloc(old, size ? size : 1);
    if (!p)
        weft__fatal(NULL, "out of memory allocating %zu bytes", size);
    return p;
}

void *weft__aligned_alloc(size_t align, size_t size) {
    void *p = NULL;
    if (align < sizeof(void *))
        align = sizeof(void *);
    /* posix_memalign takes any size; aligned_alloc wants a multiple. */
    if (posix_memalign(&p, align, size ? size : align) != 0)
        weft__fatal(NULL, "out of memory allocating %zu bytes aligned to %zu",
                    size, align);
    return p;
}

void *weft__aligned_calloc(size_t align, size_t size) {
    void *p = weft__aligned_alloc(align, size);
    memset(p, 0, size);
    return p;
}

void weft__free(void *p) { free(p); }
