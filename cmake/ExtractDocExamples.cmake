# Collects the usage examples written in the public headers' opening comments into one C++ file,
# so that a test compiles and runs every one of them. An example is a comment block of the form
#
#   // Example:
#   //   riptide::drift::adwin detector;
#   //   detector.update(0.5);
#
# that is, a line `// Example:` and the lines right below it that start with `//   ` (the code,
# indented two spaces past the comment). Each becomes the body of its own function.
#
# Headers are read whole (file(READ)) and split into lines here, with the characters CMake's list
# syntax would act on (; [ ] \) swapped for placeholders first, so that no line is ever joined to
# or split from another (file(STRINGS) joins the lines after an unbalanced `[`, which silently
# lost examples). A header with an `// Example:` line that yields no code is a configure error.
#
# riptide_extract_doc_examples(<out.cpp> <header>...)
function(riptide_extract_doc_examples out)
  set(body "// Generated from the headers' `// Example:` blocks by cmake/ExtractDocExamples.cmake.\n")
  string(APPEND body "#include <riptide/riptide.hpp>\n\n#include <cstdio>\n#include <cstdlib>\n\n")
  set(calls "")
  set(count 0)
  set(problems "")
  foreach(header IN LISTS ARGN)
    file(READ ${header} content)
    string(REPLACE "\\" "@RIPTIDE_BS@" content "${content}")
    string(REPLACE ";" "@RIPTIDE_SC@" content "${content}")
    string(REPLACE "[" "@RIPTIDE_LB@" content "${content}")
    string(REPLACE "]" "@RIPTIDE_RB@" content "${content}")
    string(REPLACE "\r\n" "\n" content "${content}")
    # A sentinel last line closes an example that ends the file.
    string(REPLACE "\n" ";" lines "${content}\n@RIPTIDE_END@")
    file(RELATIVE_PATH rel ${PROJECT_SOURCE_DIR}/include ${header})
    get_filename_component(name ${header} NAME)
    set(in_example OFF)
    set(code "")
    set(number 0)
    foreach(line IN LISTS lines)
      math(EXPR number "${number} + 1")
      if(in_example)
        if(line MATCHES "^//   (.*)$")
          string(APPEND code "  ${CMAKE_MATCH_1}\n")
          continue()
        endif()
        if(code STREQUAL "")
          string(APPEND problems "  ${header}:${example_line}: `// Example:` with no code below it "
                                 "(code lines start with `//   `)\n")
        else()
          math(EXPR count "${count} + 1")
          string(REPLACE "@RIPTIDE_BS@" "\\" code "${code}")
          string(REPLACE "@RIPTIDE_SC@" ";" code "${code}")
          string(REPLACE "@RIPTIDE_LB@" "[" code "${code}")
          string(REPLACE "@RIPTIDE_RB@" "]" code "${code}")
          string(APPEND body "// ${name}\n#include <${rel}>\nstatic void example_${count}() {\n${code}}\n\n")
          string(APPEND calls "  example_${count}();\n  std::printf(\"example ${count} (${name}) ran\\n\");\n")
        endif()
        set(in_example OFF)
        set(code "")
      endif()
      if(line MATCHES "^// Example:[ ]*$")
        set(in_example ON)
        set(example_line ${number})
      endif()
    endforeach()
  endforeach()
  if(NOT problems STREQUAL "")
    message(FATAL_ERROR "riptide_extract_doc_examples: examples that would be lost:\n${problems}")
  endif()
  string(APPEND body "int main() {\n${calls}  std::printf(\"${count} header examples ran\\n\");\n  return 0;\n}\n")
  file(CONFIGURE OUTPUT ${out} CONTENT "${body}" @ONLY)
endfunction()
