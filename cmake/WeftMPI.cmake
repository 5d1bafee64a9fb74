# This file handles the MPI build option: WEFT_WITH_MPI (default ON when
# find_package(MPI COMPONENTS C) finds MPI) builds the plugin
# libweft-mpi.so next to libweft. libweft itself never links MPI: it loads
# the plugin with dlopen only when a cluster runs over MPI, so a build
# without MPI works (and MPI runs then fail with a clear message).
find_package(MPI COMPONENTS C QUIET)
option(WEFT_WITH_MPI "Build the MPI transport plugin libweft-mpi.so" ${MPI_C_FOUND})
if(WEFT_WITH_MPI AND NOT MPI_C_FOUND)
  message(FATAL_ERROR "WEFT_WITH_MPI=ON but no MPI C library was found "
    "(install libopenmpi-dev or libmpich-dev, or pass -DWEFT_WITH_MPI=OFF)")
endif()
if(WEFT_WITH_MPI)
  find_program(WEFT_MPIEXEC_FOUND NAMES mpirun mpiexec HINTS ${MPI_HOME}/bin)
  # Open MPI derives its install prefix from the launcher's directory:
  # /bin/mpirun (a usrmerge alias of /usr/bin) gives the prefix "/", which
  # it refuses, so resolve the directory.
  set(WEFT_MPIEXEC "")
  if(WEFT_MPIEXEC_FOUND)
    get_filename_component(_d ${WEFT_MPIEXEC_FOUND} DIRECTORY)
    get_filename_component(_n ${WEFT_MPIEXEC_FOUND} NAME)
    get_filename_component(_d ${_d} REALPATH)
    set(WEFT_MPIEXEC ${_d}/${_n})
  endif()
  # For the tests (other directories): the launcher, and the compile and
  # link flags of a program that calls MPI itself.
  set(WEFT_MPIEXEC ${WEFT_MPIEXEC} CACHE INTERNAL "MPI launcher for the tests")
  set(_f "")
  foreach(d ${MPI_C_INCLUDE_DIRS})
    string(APPEND _f " -I${d}")
  endforeach()
  foreach(l ${MPI_C_LIBRARIES})
    string(APPEND _f " ${l}")
  endforeach()
  string(STRIP "${_f}" _f)
  set(WEFT_MPI_PROGRAM_FLAGS "${_f}" CACHE INTERNAL "cc flags of an MPI program")
  message(STATUS "weft: MPI transport ON (${MPI_C_LIBRARIES}; launcher: ${WEFT_MPIEXEC})")
else()
  message(STATUS "weft: MPI transport OFF (no MPI found, or WEFT_WITH_MPI=OFF): "
    "cluster loops use sockets only")
endif()
