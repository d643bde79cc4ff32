# Flags for riptide's own binaries (never forced on consumers of riptide::riptide).
add_library(riptide_strict INTERFACE)
target_compile_options(riptide_strict INTERFACE -Wall -Wextra -Wpedantic -Werror)
# No fused multiply-add contraction: the drift detectors reproduce River's arithmetic bit for bit,
# whatever -march enables.
target_compile_options(riptide_strict INTERFACE -ffp-contract=off)
target_link_libraries(riptide_strict INTERFACE riptide::riptide)

if(CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64")
  if(RIPTIDE_NATIVE)
    target_compile_options(riptide_strict INTERFACE -march=native)
  else()
    # Portable baseline; the parsers dispatch to AVX2 at run time where the CPU has it.
    target_compile_options(riptide_strict INTERFACE -march=x86-64-v2)
  endif()
elseif(RIPTIDE_NATIVE)
  target_compile_options(riptide_strict INTERFACE -march=native)
endif()

if(RIPTIDE_SANITIZE)
  target_compile_options(riptide_strict INTERFACE -fsanitize=${RIPTIDE_SANITIZE}
                         -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(riptide_strict INTERFACE -fsanitize=${RIPTIDE_SANITIZE})
endif()
