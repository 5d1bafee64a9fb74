/* This file handles the internal side of weft_alloc(): the pure first-touch
 * placement plan that says which thread of a team touches which pages, so
 * that tests and the allocator agree on it. */
#ifndef WEFT_NUMA_ALLOC_H
#define WEFT_NUMA_ALLOC_H

#include <stddef.h>
#include <stdint.h>

#ifndef WEFT_INTERNAL
#define WEFT_INTERNAL __attribute__((visibility("hidden")))
#endif

/* First-touch plan of a FIRST_TOUCH_STATIC allocation of `size` bytes with
 * pages of `page` bytes (a power of two) on a team of `nthreads`: thread
 * `tid` touches pages [*first, *first + *count). It is the static block of
 * the page range, matching the runtime's schedule(static) without a chunk:
 * blocks of floor(npages/nthreads) pages, the first npages mod nthreads
 * threads one page more. Returns the total number of pages, or 0 for bad
 * arguments (then *first = *count = 0). Pure. */
WEFT_INTERNAL uint64_t weft__numa_touch_plan(size_t size, size_t page,
                                             int nthreads, int tid,
                                             uint64_t *first, uint64_t *count);

#endif /* WEFT_NUMA_ALLOC_H */
