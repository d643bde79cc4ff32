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
# riptide_extract_doc_examples(<out.cpp> <header>...)
function(riptide_extract_doc_examples out)
  set(body "// Generated from the headers' `// Example:` blocks by cmake/ExtractDocExamples.cmake.\n")
  string(APPEND body "#include <riptide/riptide.hpp>\n\n#include <cstdio>\n#include <cstdlib>\n\n")
  set(calls "")
  set(count 0)
  foreach(header IN LISTS ARGN)
    file(STRINGS ${header} lines)
    set(in_example OFF)
    set(code "")
    foreach(line IN LISTS lines)
      if(in_example)
        if(line MATCHES "^//   (.*)$")
          string(APPEND code "  ${CMAKE_MATCH_1}\n")
          continue()
        endif()
        math(EXPR count "${count} + 1")
        get_filename_component(name ${header} NAME)
        string(APPEND body "// ${name}\n#include <${rel_${header}}>\nstatic void example_${count}() {\n${code}}\n\n")
        string(APPEND calls "  example_${count}();\n  std::printf(\"example ${count} (${name}) ran\\n\");\n")
        set(in_example OFF)
        set(code "")
      endif()
      if(line MATCHES "^// Example:[ ]*$")
        set(in_example ON)
        file(RELATIVE_PATH rel ${PROJECT_SOURCE_DIR}/include ${header})
        set(rel_${header} ${rel})
      endif()
    endforeach()
  endforeach()
  string(APPEND body "int main() {\n${calls}  std::printf(\"${count} header examples ran\\n\");\n  return 0;\n}\n")
  file(CONFIGURE OUTPUT ${out} CONTENT "${body}" @ONLY)
endfunction()
