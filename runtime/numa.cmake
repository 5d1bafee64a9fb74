# NUMA awareness: topology (the only hwloc user), places, affinity, the
# work-stealing schedule and NUMA-aware allocation. Included by
# runtime/CMakeLists.txt; the list stays explicit.
list(APPEND WEFT_RUNTIME_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/topo.c
  ${CMAKE_CURRENT_LIST_DIR}/places.c
  ${CMAKE_CURRENT_LIST_DIR}/affinity.c
  ${CMAKE_CURRENT_LIST_DIR}/steal.c
  ${CMAKE_CURRENT_LIST_DIR}/numa_alloc.c)

# The pure parts (no runtime dependency beyond hwloc and the OS layer, which
# topo.c asks whether the process is single-threaded) for tests/numa, which
# builds them alone so they can be tested without the thread pool.
if(CMAKE_SYSTEM_NAME STREQUAL "Linux")
  set(_weft_numa_sys ${CMAKE_CURRENT_LIST_DIR}/sys/sys-linux.c)
else()
  set(_weft_numa_sys ${CMAKE_CURRENT_LIST_DIR}/sys/sys-posix.c)
endif()
set_property(GLOBAL PROPERTY WEFT_NUMA_PURE_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/topo.c
  ${CMAKE_CURRENT_LIST_DIR}/places.c
  ${CMAKE_CURRENT_LIST_DIR}/affinity.c
  ${CMAKE_CURRENT_LIST_DIR}/steal.c
  ${_weft_numa_sys})
