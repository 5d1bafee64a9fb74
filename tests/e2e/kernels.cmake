# This file lists end-to-end programs (progs/<name>.c) on whole kernels in the style of real OpenMP codes (solvers, NAS-like kernels).
list(APPEND WEFT_E2E_PROGS
  kernel_bfs kernel_cg kernel_conv kernel_ep kernel_histo kernel_is
  kernel_jacobi kernel_lu kernel_mandel kernel_md kernel_mg kernel_nbody
  kernel_nqueens kernel_pi kernel_primes kernel_prodcons kernel_sort kernel_stream
  kernel_transpose kernel_tree kernel_wavefront kernel_kmeans)
