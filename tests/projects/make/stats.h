/* This file declares the two kernels of the make test project. */
#ifndef STATS_H
#define STATS_H
long count_primes(long lo, long hi);
long long sum_of_squares(const int *x, long n);
#endif
