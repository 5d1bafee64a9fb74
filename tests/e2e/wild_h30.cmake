# This file lists end-to-end programs (progs/wild_<topic>.c) written for
# weft bugs that the OpenMP Examples sweep (H30: parallel_execution,
# loop_transformations, program_control, affinity, SIMD, memory_model)
# exposed; each uses the construct pattern of the failing example in code
# of its own.
list(APPEND WEFT_E2E_PROGS
  wild_nested_shared_loopvar wild_order_concurrent)
