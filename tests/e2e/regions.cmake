# This file lists end-to-end programs (progs/<name>.c) on worksharing, synchronisation, threadprivate and the runtime API inside parallel regions.
list(APPEND WEFT_E2E_PROGS
  )
