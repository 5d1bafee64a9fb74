/* This file handles a weft-bench test program that prints its process id,
 * so even the serial build prints different outputs from run to run:
 * weft-bench must say so, and accept them through a --check command. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <unistd.h>

int main(void) {
    printf("pid %ld\n", (long)getpid());
    return 0;
}
