# This file finds libclang and its C headers (clang-c/Index.h) through
# llvm-config, and makes the imported target LibClang::LibClang. It also
# sets LIBCLANG_RESOURCE_DIR (clang's own headers: stddef.h, stdarg.h, ...),
# LIBCLANG_BINDIR (where FileCheck lives) and LIBCLANG_VERSION.
#
# Search order: LLVM_CONFIG (cache variable or environment), then
# llvm-config, then llvm-config-<N> for the versions we know, newest first.

if(NOT LLVM_CONFIG AND DEFINED ENV{LLVM_CONFIG})
  set(LLVM_CONFIG $ENV{LLVM_CONFIG})
endif()
if(NOT LLVM_CONFIG)
  set(_weft_llvm_names llvm-config)
  foreach(_v 19 18 17 16 15 14 13)
    list(APPEND _weft_llvm_names llvm-config-${_v})
  endforeach()
  find_program(LLVM_CONFIG NAMES ${_weft_llvm_names}
    PATHS /usr/lib/llvm-14/bin)
endif()

if(LLVM_CONFIG)
  foreach(_q libdir includedir bindir version)
    execute_process(COMMAND ${LLVM_CONFIG} --${_q}
      OUTPUT_VARIABLE _out OUTPUT_STRIP_TRAILING_WHITESPACE
      RESULT_VARIABLE _rc)
    if(_rc EQUAL 0)
      set(_llvm_${_q} ${_out})
    endif()
  endforeach()
endif()

find_path(LIBCLANG_INCLUDE_DIR clang-c/Index.h
  HINTS ${_llvm_includedir} /usr/lib/llvm-14/include)
find_library(LIBCLANG_LIBRARY NAMES clang libclang
  HINTS ${_llvm_libdir} /usr/lib/llvm-14/lib)
set(LIBCLANG_BINDIR ${_llvm_bindir})
set(LIBCLANG_VERSION ${_llvm_version})

# clang's resource directory holds the compiler headers libclang needs to
# parse ordinary C (stddef.h, stdarg.h, omp.h). It is lib/clang/<version>
# next to libclang; newer releases name it by major version only.
if(NOT LIBCLANG_RESOURCE_DIR AND _llvm_libdir)
  string(REGEX MATCH "^[0-9]+" _major "${_llvm_version}")
  foreach(_cand ${_llvm_libdir}/clang/${_llvm_version}
                ${_llvm_libdir}/clang/${_major})
    if(EXISTS ${_cand}/include/stddef.h)
      set(LIBCLANG_RESOURCE_DIR ${_cand} CACHE PATH "clang resource dir")
      break()
    endif()
  endforeach()
endif()

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(LibClang
  REQUIRED_VARS LIBCLANG_LIBRARY LIBCLANG_INCLUDE_DIR
  VERSION_VAR LIBCLANG_VERSION)

if(LibClang_FOUND AND NOT TARGET LibClang::LibClang)
  add_library(LibClang::LibClang UNKNOWN IMPORTED)
  set_target_properties(LibClang::LibClang PROPERTIES
    IMPORTED_LOCATION ${LIBCLANG_LIBRARY}
    INTERFACE_INCLUDE_DIRECTORIES ${LIBCLANG_INCLUDE_DIR})
endif()
mark_as_advanced(LIBCLANG_INCLUDE_DIR LIBCLANG_LIBRARY)
