# Checks cmake/ExtractDocExamples.cmake on fixture headers (run with cmake -P):
#  - lines with unbalanced brackets, semicolons and backslashes, and an example that ends the
#    file, are all extracted, code unchanged;
#  - a header whose `// Example:` has no code below it fails.
# Usage: cmake -DSOURCE_DIR=<repo> -DWORK_DIR=<dir> -P extract_examples_test.cmake
set(fixtures ${SOURCE_DIR}/tests/docs/fixtures)
set(PROJECT_SOURCE_DIR ${fixtures})
include(${SOURCE_DIR}/cmake/ExtractDocExamples.cmake)
file(MAKE_DIRECTORY ${WORK_DIR})

if(NO_CODE)  # the child run below
  riptide_extract_doc_examples(${WORK_DIR}/no_code.cpp ${fixtures}/include/riptide/no_code.hpp)
  return()
endif()

riptide_extract_doc_examples(${WORK_DIR}/tricky.cpp ${fixtures}/include/riptide/tricky.hpp)
file(READ ${WORK_DIR}/tricky.cpp out)
foreach(expected
    "#include <riptide/tricky.hpp>\nstatic void example_1() {\n  const char* s = \"a\\nb[\";  // a bracket, a backslash; a semicolon\n  int v[2] = {1, 2};\n  if (v[1] != 2 || s[1] != '\\n') std::abort();\n}\n"
    "static void example_2() {\n  (void)0;\n}\n"
    "2 header examples ran")
  string(FIND "${out}" "${expected}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "the extracted code lacks:\n${expected}\n--- got:\n${out}")
  endif()
endforeach()

execute_process(
  COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${SOURCE_DIR} -DWORK_DIR=${WORK_DIR} -DNO_CODE=ON
          -P ${CMAKE_CURRENT_LIST_FILE}
  RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_QUIET)
if(rc EQUAL 0 OR NOT err MATCHES "no_code.hpp:3: `// Example:` with no code below it")
  message(FATAL_ERROR "an `// Example:` without code was not reported (exit ${rc}):\n${err}")
endif()
message(STATUS "ExtractDocExamples: fixtures extracted exactly; a lost example is an error")
