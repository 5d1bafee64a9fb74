# This file lists the runtime core's sources for runtime/CMakeLists.txt:
# pool, teams, barrier, schedules, reductions, sync, env, API. The OS layer
# is picked per system (sys-linux.c on Linux, sys-posix.c elsewhere).
list(APPEND WEFT_RUNTIME_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/alloc.c
  ${CMAKE_CURRENT_LIST_DIR}/api.c
  ${CMAKE_CURRENT_LIST_DIR}/barrier.c
  ${CMAKE_CURRENT_LIST_DIR}/debug.c
  ${CMAKE_CURRENT_LIST_DIR}/env.c
  ${CMAKE_CURRENT_LIST_DIR}/init.c
  ${CMAKE_CURRENT_LIST_DIR}/iter.c
  ${CMAKE_CURRENT_LIST_DIR}/loop.c
  ${CMAKE_CURRENT_LIST_DIR}/parallel.c
  ${CMAKE_CURRENT_LIST_DIR}/pool.c
  ${CMAKE_CURRENT_LIST_DIR}/reduce.c
  ${CMAKE_CURRENT_LIST_DIR}/reduce_builtin.c
  ${CMAKE_CURRENT_LIST_DIR}/stats.c
  ${CMAKE_CURRENT_LIST_DIR}/sync.c
  ${CMAKE_CURRENT_LIST_DIR}/team.c
  ${CMAKE_CURRENT_LIST_DIR}/trace.c)
list(APPEND WEFT_RUNTIME_SOURCES ${CMAKE_CURRENT_LIST_DIR}/task.c ${CMAKE_CURRENT_LIST_DIR}/deque.c)
if(CMAKE_SYSTEM_NAME STREQUAL "Linux")
  list(APPEND WEFT_RUNTIME_SOURCES ${CMAKE_CURRENT_LIST_DIR}/sys/sys-linux.c)
else()
  list(APPEND WEFT_RUNTIME_SOURCES ${CMAKE_CURRENT_LIST_DIR}/sys/sys-posix.c)
endif()
