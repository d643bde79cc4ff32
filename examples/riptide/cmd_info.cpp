// riptide info: what this build is and what the machine it runs on offers.
#include <fmt/core.h>
#include <simdjson.h>
#include <riptide/io/csv_scan.hpp>
#include <riptide/io/newline_scan.hpp>
#include <riptide/simd/cpu.hpp>
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
    fmt::print("cpu: x86-64 ({})\n", simd::names(simd::cpu()));
#else
    fmt::print("cpu: portable (no x86-64 SIMD dispatch)\n");
#endif
    // What the readers' automatic scanners run: the kernels the dispatchers choose on this CPU.
    fmt::print("csv structural scan: {}\n", io::structural_scanner{}.name());
    fmt::print("jsonl line ends: {}\n", io::to_string(io::newline_scanner{}.kernel()));
    fmt::print("simdjson: {} (active implementation: {})\n", SIMDJSON_STRINGIFY(SIMDJSON_VERSION),
               simdjson::get_active_implementation()->name());
  });
}

}  // namespace riptide::cli
