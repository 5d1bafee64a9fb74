/* A plain C program that uses libweft's public API only (found through
 * find_package(weft) or pkg-config). */
#include <stdio.h>
#include <weft.h>

int main(void)
{
    double t0 = weft_wtime();
    weft_lock_t l;
    weft_lock_init(&l);
    weft_lock_set(&l);
    weft_lock_unset(&l);
    weft_lock_destroy(&l);
    printf("api ok=%d err=%s\n", weft_wtime() >= t0 && weft_max_threads() >= 1,
           weft_strerror(WEFT_EINVAL));
    return 0;
}
