# This file lists the cluster layer's sources: transport and protocol
# (socket helpers, wire format, socket transport, handshake, input cache),
# which the tests reuse as WEFT_NET_SOURCES to build the layer on its own,
# and the scheduler (start-up, coordinator, worker, the MPI transport that
# loads the MPI plugin on demand). With WEFT_WITH_MPI it also builds that
# plugin, libweft-mpi.so, the only part that links MPI.
set(WEFT_NET_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/net.c
  ${CMAKE_CURRENT_LIST_DIR}/wire.c
  ${CMAKE_CURRENT_LIST_DIR}/transport_sock.c
  ${CMAKE_CURRENT_LIST_DIR}/handshake.c
  ${CMAKE_CURRENT_LIST_DIR}/cache.c)
# The cluster scheduler needs the rest of the runtime (teams, loops), so it
# joins libweft only, not the stand-alone net test library.
set(WEFT_CLUSTER_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/cluster.c
  ${CMAKE_CURRENT_LIST_DIR}/coord.c
  ${CMAKE_CURRENT_LIST_DIR}/worker.c
  ${CMAKE_CURRENT_LIST_DIR}/transport_mpi.c)
list(APPEND WEFT_RUNTIME_SOURCES ${WEFT_NET_SOURCES} ${WEFT_CLUSTER_SOURCES})

# The rest once, from runtime/ (tests/net includes this file for its lists).
if(NOT TARGET weft_objs AND NOT TARGET weft_mpi AND
   CMAKE_CURRENT_SOURCE_DIR STREQUAL "${PROJECT_SOURCE_DIR}/runtime")
  include(${PROJECT_SOURCE_DIR}/cmake/WeftMPI.cmake)
  # dlopen lives in libc from glibc 2.34 on; older systems need libdl. The
  # libraries are defined after this fragment, hence the deferred calls.
  if(CMAKE_DL_LIBS)
    cmake_language(DEFER CALL target_link_libraries weft PRIVATE ${CMAKE_DL_LIBS})
    cmake_language(DEFER CALL target_link_libraries weft_static PUBLIC ${CMAKE_DL_LIBS})
  endif()
  if(WEFT_WITH_MPI)
    add_library(weft_mpi MODULE ${CMAKE_CURRENT_LIST_DIR}/mpi/plugin.c)
    set_target_properties(weft_mpi PROPERTIES OUTPUT_NAME weft-mpi PREFIX lib
      C_VISIBILITY_PRESET hidden
      LIBRARY_OUTPUT_DIRECTORY ${CMAKE_LIBRARY_OUTPUT_DIRECTORY})
    target_include_directories(weft_mpi PRIVATE ${CMAKE_CURRENT_LIST_DIR}/..)
    target_link_libraries(weft_mpi PRIVATE MPI::MPI_C)
    weft_target_warnings(weft_mpi)
    install(TARGETS weft_mpi LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
  endif()
endif()
