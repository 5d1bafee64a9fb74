/* This file handles a portability header in the style of real codes, for
 * pragma_macro_loop.c: its macros expand to the OpenMP pragma together
 * with the loop header, so the program's loops are written without any
 * pragma of their own. */
#ifndef PRAGMA_MACRO_LOOP_H
#define PRAGMA_MACRO_LOOP_H

#define PML_PRAGMA(x) _Pragma(#x)
/* The clauses come in as an argument and are stringized into the
 * pragma. */
#define PML_FOR(i, lo, hi, clauses)                                           \
    PML_PRAGMA(omp parallel for clauses)                                      \
    for (long i = (lo); i < (hi); i++)
#define PML_SUM(dst, arr, n)                                                  \
    do {                                                                      \
        long pml_acc_ = 0;                                                    \
        PML_FOR(pml_k_, 0, n, reduction(+ : pml_acc_))                        \
        pml_acc_ += (arr)[pml_k_];                                            \
        (dst) = pml_acc_;                                                     \
    } while (0)

#endif
