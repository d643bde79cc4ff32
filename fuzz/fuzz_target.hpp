// Declares a fuzz target once for two builds:
//  - with RIPTIDE_LIBFUZZER (clang, `make fuzz`): the target is LLVMFuzzerTestOneInput;
//  - otherwise it registers under its name in the corpus replayer (fuzz/replay_main.cpp), which the
//    test suite runs over fuzz/corpus/NAME/ in the normal and the sanitizer builds.
// Usage:  RIPTIDE_FUZZ_TARGET(csv) { ... use data, size ...; return 0; }
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

namespace riptide::fuzz {

using target_fn = int (*)(const std::uint8_t* data, std::size_t size);

inline std::map<std::string, target_fn>& registry() {
  static std::map<std::string, target_fn> targets;
  return targets;
}

inline bool register_target(const char* name, target_fn fn) {
  registry().emplace(name, fn);
  return true;
}

}  // namespace riptide::fuzz

#if defined(RIPTIDE_LIBFUZZER)
#define RIPTIDE_FUZZ_TARGET(name) \
  extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
#else
#define RIPTIDE_FUZZ_TARGET(name)                                             \
  static int riptide_fuzz_##name(const std::uint8_t* data, std::size_t size); \
  [[maybe_unused]] static const bool riptide_fuzz_registered_##name =         \
      ::riptide::fuzz::register_target(#name, &riptide_fuzz_##name);          \
  static int riptide_fuzz_##name(const std::uint8_t* data, std::size_t size)
#endif
