# Test helpers shared by every tests/ folder.
find_library(CUNIT_LIBRARY cunit REQUIRED)
find_path(CUNIT_INCLUDE_DIR CUnit/CUnit.h REQUIRED)

# weft_add_cunit_suite(NAME name SOURCES a.c b.c [LIBS ...] [TIMEOUT s]
#                      [LABELS ...] [ENV VAR=value ...])
# Builds one CUnit executable and registers it as its own CTest test.
function(weft_add_cunit_suite)
  cmake_parse_arguments(A "" "NAME;TIMEOUT" "SOURCES;LIBS;LABELS;ENV" ${ARGN})
  if(NOT A_TIMEOUT)
    set(A_TIMEOUT 120)
  endif()
  add_executable(${A_NAME} ${A_SOURCES})
  target_include_directories(${A_NAME} PRIVATE ${CUNIT_INCLUDE_DIR}
    ${PROJECT_SOURCE_DIR}/tests ${PROJECT_SOURCE_DIR}/runtime
    ${PROJECT_SOURCE_DIR}/include)
  target_compile_definitions(${A_NAME} PRIVATE _GNU_SOURCE)
  target_link_libraries(${A_NAME} PRIVATE ${CUNIT_LIBRARY} ${A_LIBS})
  set_target_properties(${A_NAME} PROPERTIES
    RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/tests/bin)
  add_test(NAME ${A_NAME} COMMAND ${A_NAME})
  set_tests_properties(${A_NAME} PROPERTIES TIMEOUT ${A_TIMEOUT}
    LABELS "unit;${A_LABELS}")
  if(A_ENV)
    set_tests_properties(${A_NAME} PROPERTIES ENVIRONMENT "${A_ENV}")
  endif()
endfunction()
