# This file lists end-to-end programs (progs/<name>.c) written after the
# OpenMP Examples sweep (H31: data_environment, synchronization, tasking):
# each one exercises a construct pattern weft got wrong there.
list(APPEND WEFT_E2E_PROGS
  wild_task_vla wild_udr_builtin_id wild_sync_forms wild_default_none_tp
  wild_ordered_orphan)
