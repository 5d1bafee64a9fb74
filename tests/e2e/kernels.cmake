# This file lists end-to-end programs (progs/<name>.c) on whole kernels in the style of real OpenMP codes (solvers, NAS-like kernels).
list(APPEND WEFT_E2E_PROGS
  )
