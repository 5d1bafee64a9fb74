# This file lists end-to-end programs (progs/<name>.c) on worksharing, synchronisation, threadprivate and the runtime API inside parallel regions.
list(APPEND WEFT_E2E_PROGS
  region_par_clauses region_for_schedules region_nowait_barrier
  region_ordered_print region_sections_clauses region_single_copyprivate
  region_master_masked region_critical_contention region_atomic_types
  region_flush_handshake region_threadprivate_copyin region_orphans
  region_nested_levels region_recursive region_scoping
  region_lastprivate_shared)
