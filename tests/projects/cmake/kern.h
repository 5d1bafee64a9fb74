/* This file declares the CMake test project's library kernel. */
#ifndef KERN_H
#define KERN_H
void collatz_stats(long n, long *max_steps, long long *total_steps);
#endif
