// The riptide tool's subcommands. Each lives in its own cmd_<name>.cpp and registers itself on the
// top-level app through an add_<name>_command function listed here and called from main.cpp.
#pragma once

#include <CLI/CLI.hpp>

#include <stdexcept>
#include <string>

namespace riptide::cli {

/// Bad invocation or unusable input (missing file, bad rules, bad number): one-line message,
/// exit 2.
struct usage_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

void add_info_command(CLI::App& app);
void add_clean_command(CLI::App& app);
void add_messify_command(CLI::App& app);
void add_drift_command(CLI::App& app);
void add_synth_command(CLI::App& app);
void add_feature_drift_command(CLI::App& app);
void add_profile_command(CLI::App& app);
void add_replay_command(CLI::App& app);
void add_predict_command(CLI::App& app);
void add_inspect_command(CLI::App& app);

}  // namespace riptide::cli
