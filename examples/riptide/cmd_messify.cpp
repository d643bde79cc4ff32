// riptide messify: a realistic dirty variant of a clean CSV file, as CSV or JSON Lines, plus the
// ground truth of what each dirty record should clean to (the kinds of mess:
// riptide/synth/messify.hpp).
//   riptide messify IN --seed S [--out OUT] [--format csv|jsonl] [--truth T.json]
// Outputs are replaced atomically (riptide/io/output_file.hpp); one naming the input is refused.
#include <fmt/core.h>
#include <riptide/synth/messify.hpp>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <optional>
#include <string>

#include "cli_io.hpp"
#include "commands.hpp"

namespace riptide::cli {

namespace {

struct messify_args {
  std::string in;
  std::uint64_t seed = 0;
  std::string out = "-";
  std::string format = "csv";
  std::string truth;
};

std::string read_all(const std::string& path) {
  if (path == "-")
    return {std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
  std::ifstream in(path, std::ios::binary);
  if (!in) throw usage_error(fmt::format("{}: cannot open", path));
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void run_messify(const messify_args& a) {
  check_outputs({a.in}, {a.out, a.truth});
  const auto text = read_all(a.in);
  synth::messify_options options;
  options.format = a.format == "jsonl" ? synth::messify_format::jsonl : synth::messify_format::csv;
  const auto m = synth::messify(text, a.seed, options);
  io::output_file out = open_output(a.out);
  std::optional<io::output_file> truth;
  if (!a.truth.empty()) truth.emplace(open_output(a.truth));
  out.buffer() = m.text;
  if (truth) truth->buffer() = m.truth_json();
  out.commit();
  if (truth) truth->commit();
  std::size_t bad = 0, copies = 0, messy = 0;
  for (const auto& t : m.truth) {
    bad += !t.unrecoverable.empty();
    copies += t.copy;
    messy += !t.messes.empty();
  }
  fmt::print(stderr,
             "messify: {} records out: {} with repairable mess, {} unrecoverable, {} duplicate "
             "copies\n",
             m.truth.size(), messy, bad, copies);
}

}  // namespace

void add_messify_command(CLI::App& app) {
  auto args = std::make_shared<messify_args>();
  auto* cmd = app.add_subcommand(
      "messify",
      "Write a realistic dirty variant of a clean CSV file (as CSV or JSON Lines) and the ground "
      "truth of what each record should clean to");
  cmd->add_option("in", args->in, "Clean CSV file with a header ('-': standard input)")->required();
  cmd->add_option("--seed", args->seed, "Random seed (same seed, same output)")->required();
  cmd->add_option("--out", args->out, "Dirty output ('-': standard output)")->capture_default_str();
  cmd->add_option("--format", args->format, "Output format: csv, or jsonl (one object per record)")
      ->capture_default_str()
      ->check(CLI::IsMember({"csv", "jsonl"}));
  cmd->add_option("--truth", args->truth, "Ground truth as JSON");
  cmd->callback([args] { run_messify(*args); });
}

}  // namespace riptide::cli
