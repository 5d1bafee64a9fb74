# This file lists end-to-end programs (progs/<name>.c) on task, taskloop, depend, taskgroup and the task clauses.
list(APPEND WEFT_E2E_PROGS
  task_taskloop_grain task_taskloop_collapse task_taskloop_single
  task_taskloop_reduction task_depend_pipeline task_depend_recursive
  task_depend_sections task_final task_clauses_accepted
  task_firstprivate_array
  )
