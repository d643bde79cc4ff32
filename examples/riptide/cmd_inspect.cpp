// riptide inspect: what a snapshot holds, as JSON (snapshot::inspect, riptide/snapshot/
// pipeline_io.hpp): version, kind, created, records seen, metrics, schema, the pipeline, and the
// features with the largest weights named by column and value. This file parses and prints.
#include <fmt/core.h>
#include <riptide/snapshot/pipeline_io.hpp>

#include <memory>
#include <string>

#include "commands.hpp"

namespace riptide::cli {

void add_inspect_command(CLI::App& app) {
  auto path = std::make_shared<std::string>();
  auto top = std::make_shared<std::size_t>(10);
  auto* cmd = app.add_subcommand("inspect", "Show what a snapshot holds, as JSON");
  cmd->add_option("snapshot", *path, "A snapshot file")->required();
  cmd->add_option("--top", *top, "Features with the largest weights to list")
      ->capture_default_str();
  cmd->callback([path, top] {
    try {
      fmt::print("{}\n", snapshot::inspect(*path, *top).dump(2));
    } catch (const snapshot::error& e) {
      throw usage_error(std::string("inspect: ") + e.what());
    }
  });
}

}  // namespace riptide::cli
