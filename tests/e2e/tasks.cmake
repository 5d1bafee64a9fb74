# This file lists end-to-end programs (progs/<name>.c) on task, taskloop, depend, taskgroup and the task clauses.
list(APPEND WEFT_E2E_PROGS
  )
