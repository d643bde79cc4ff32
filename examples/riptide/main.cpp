// riptide: the command-line tool. Exit codes: 0 success, 1 the job failed, 2 bad usage or input.
#include <fmt/core.h>
#include <riptide/version.hpp>

#include <algorithm>
#include <exception>
#include <string>

#include "commands.hpp"

namespace {

// Errors are reported on one line, never as a stack trace.
std::string one_line(std::string text) {
  std::replace(text.begin(), text.end(), '\n', ' ');
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "riptide: cleanse, learn from and watch streams of records (CSV, JSON Lines) on one core.",
      "riptide"};
  app.set_version_flag("--version", std::string("riptide ") + riptide::version_string,
                       "Print the version and exit");
  app.require_subcommand(1);
  app.footer("Run 'riptide COMMAND --help' for a command's options.");

  riptide::cli::add_info_command(app);
  riptide::cli::add_clean_command(app);
  riptide::cli::add_messify_command(app);
  riptide::cli::add_drift_command(app);
  riptide::cli::add_synth_command(app);
  riptide::cli::add_feature_drift_command(app);
  riptide::cli::add_profile_command(app);
  riptide::cli::add_replay_command(app);
  riptide::cli::add_predict_command(app);
  riptide::cli::add_inspect_command(app);

  // CLI11 would report a mistyped command as a missing one; name it instead.
  const auto is_command = [&app](const std::string& name) {
    for (const auto* sub : app.get_subcommands({}))
      if (sub->check_name(name)) return true;
    return false;
  };
  if (argc > 1 && argv[1][0] != '-' && !is_command(argv[1])) {
    fmt::print(stderr, "riptide: error: unknown command '{}' (see 'riptide --help')\n", argv[1]);
    return 2;
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    fmt::print(stderr, "riptide: error: {} (see 'riptide --help')\n", one_line(e.what()));
    return 2;
  } catch (const riptide::cli::usage_error& e) {
    fmt::print(stderr, "riptide: error: {}\n", one_line(e.what()));
    return 2;
  } catch (const std::exception& e) {
    fmt::print(stderr, "riptide: failed: {}\n", one_line(e.what()));
    return 1;
  }
  return 0;
}
