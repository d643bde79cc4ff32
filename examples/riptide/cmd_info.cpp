// riptide info: what this build is and what the machine it runs on offers.
#include <fmt/core.h>
#include <simdjson.h>
#include <riptide/version.hpp>

#include "commands.hpp"

namespace riptide::cli {

void add_info_command(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "info", "Print the riptide version, compiler and the SIMD paths this CPU will use");
  cmd->callback([] {
    fmt::print("riptide {}\n", riptide::version_string);
    fmt::print("compiler: {}\n", __VERSION__);
#if defined(__x86_64__)
    __builtin_cpu_init();
    fmt::print("cpu: x86-64, avx2 {}\n", __builtin_cpu_supports("avx2") ? "yes" : "no");
#else
    fmt::print("cpu: portable (no x86-64 SIMD dispatch)\n");
#endif
    fmt::print("simdjson: {} (active implementation: {})\n", SIMDJSON_STRINGIFY(SIMDJSON_VERSION),
               simdjson::get_active_implementation()->name());
  });
}

}  // namespace riptide::cli
