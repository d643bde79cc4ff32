// riptide clean: cleanse a CSV (or JSON Lines) file with a preset, a JSON rules file, or (with
// neither) the generic chain clean::inference builds from the first --infer-rows records.
//   riptide clean IN [--format csv|jsonl|auto] [--preset telco | --rules R.json] [--out OUT.csv]
//                 [--quarantine Q.jsonl] [--report R.json] [--infer-rows N]
// The input's format: riptide/io/format.hpp's rule (by extension, .json is JSON Lines, else by
// content). Outputs are replaced atomically (riptide/io/output_file.hpp), all three once the job
// succeeded; an output naming an input is refused (exit 2) before anything is written.
// Clean and repaired records go to OUT as CSV (numbers in their shortest round-trip form, nulls as
// empty fields); quarantined and duplicate records go to Q as JSON Lines (status, reason, source,
// line, byte offset, index, raw text); the report counts every record (in == clean + repaired +
// quarantined + duplicates), per reason and per repair. '-' is stdin / stdout. A one-line summary
// goes to stderr.
#include <fmt/core.h>
#include <riptide/clean/infer.hpp>
#include <riptide/clean/preset.hpp>
#include <riptide/clean/quarantine.hpp>
#include <riptide/clean/rules.hpp>
#include <riptide/io/csv_writer.hpp>
#include <riptide/io/format.hpp>
#include <riptide/io/output_file.hpp>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <variant>
#include <vector>

#include "cli_format.hpp"
#include "cli_io.hpp"
#include "commands.hpp"

namespace riptide::cli {

namespace {

struct clean_args {
  std::string in;
  std::string format;
  std::string preset;
  std::string rules;
  std::string out = "-";
  std::string quarantine;
  std::string report;
  std::size_t infer_rows = 10000;
};

void append_header(std::string& out, const clean::columns& cols) {
  io::append_csv_row(out, cols.names);
}

template <class Reader>
void cleanse(const clean_args& a, clean::chain& chain, Reader& reader);

void run_clean(const clean_args& a) {
  const auto format = parse_format_option(a.format);
  if (!a.preset.empty() && !a.rules.empty())
    throw usage_error("give at most one of --preset NAME and --rules FILE");
  check_outputs({a.in, a.rules}, {a.out, a.quarantine, a.report});
  clean::chain chain;  // with neither: inferred from the data (see cleanse)
  try {
    if (!a.rules.empty()) chain = clean::load_rules_file(a.rules);
    if (!a.preset.empty()) chain = clean::preset(a.preset);
  } catch (const clean::rules_error& e) {
    throw usage_error(e.what());
  }
  if (a.in != "-" && !std::filesystem::exists(a.in))
    throw usage_error(fmt::format("{}: no such file", a.in));
  io::any_reader reader;
  try {
    reader = io::open_reader(a.in, format);
  } catch (const std::system_error& e) {
    throw usage_error(fmt::format("{}: {}", a.in, e.what()));
  }
  std::visit([&](auto& r) { cleanse(a, chain, r); }, reader);
}

template <class Reader>
void cleanse(const clean_args& a, clean::chain& chain, Reader& reader) {
  io::output_file out = open_output(a.out);
  std::optional<io::output_file> quarantine;
  if (!a.quarantine.empty()) quarantine.emplace(open_output(a.quarantine));
  const auto sink = [&quarantine](const clean::row& r, const io::record_view& rec) {
    if (!quarantine) return;
    clean::to_jsonl(quarantine->buffer(), r, rec);
    quarantine->maybe_flush();
  };
  bool header_written = false;
  const auto write = [&](const clean::row& row) {
    auto& buf = out.buffer();
    if (!header_written) {
      append_header(buf, *row.names);
      header_written = true;
    }
    io::append_csv_values(buf, row.values);
    out.maybe_flush();
  };
  const auto handle = [&](const io::record_view& rec) {
    const clean::row& row = chain.process(rec);
    if (row.status == clean::disposition::clean || row.status == clean::disposition::repaired)
      write(row);
    else
      sink(row, rec);
  };
  auto it = reader.begin();
  const auto end = reader.end();
  if (a.preset.empty() && a.rules.empty()) {
    // No rules: the generic chain, inferred from the first records (kept, then cleansed too).
    std::vector<io::record> sample;
    clean::inference inference;
    for (; it != end && sample.size() < a.infer_rows; ++it) {
      sample.emplace_back(*it);
      inference.add(*it);
    }
    chain = inference.make_chain();
    std::string kinds;
    for (const auto& c : inference.columns())
      kinds += fmt::format("{}{}: {}", kinds.empty() ? "" : ", ", c.name, clean::to_string(c.kind));
    fmt::print(stderr, "clean: no rules given: generic chain inferred from {} records ({})\n",
               sample.size(), kinds);
    for (const auto& r : sample) handle(r.view());
  }
  for (; it != end; ++it) handle(*it);
  if (!chain.binding_error().empty())
    throw usage_error(
        fmt::format("{}: the rules do not fit the input: {}", a.in, chain.binding_error()));
  if (!header_written && chain.output_columns())
    append_header(out.buffer(), *chain.output_columns());
  const auto report = chain.report();
  std::optional<io::output_file> report_out;
  if (!a.report.empty()) {
    report_out.emplace(open_output(a.report));
    report_out->buffer() = report.to_json();
    report_out->buffer().push_back('\n');
  }
  // Every output in place only once all are written: a failed job leaves none half-made.
  out.commit();
  if (quarantine) quarantine->commit();
  if (report_out) report_out->commit();
  fmt::print(
      stderr,
      "clean: {} records in: {} clean, {} repaired, {} quarantined, {} duplicates -> {} rows "
      "out\n",
      report.in, report.clean, report.repaired, report.quarantined, report.duplicates,
      report.clean + report.repaired);
}

}  // namespace

void add_clean_command(CLI::App& app) {
  auto args = std::make_shared<clean_args>();
  auto* cmd = app.add_subcommand(
      "clean",
      "Cleanse records with a preset or JSON rules (or, with neither, a generic chain inferred "
      "from "
      "the first records): clean+repaired rows to CSV, rejected ones to a quarantine JSONL, counts "
      "to a JSON report");
  cmd->add_option("in", args->in, "Input file ('-': standard input)")->required();
  cmd->add_option("--format", args->format, std::string(format_option_help))
      ->check(CLI::IsMember({"csv", "jsonl", "auto"}));
  cmd->add_option("--preset", args->preset, "Built-in rules: telco");
  cmd->add_option("--rules", args->rules, "JSON rules file (see riptide/clean/rules.hpp)");
  cmd->add_option("--infer-rows", args->infer_rows,
                  "Without --preset/--rules: the generic chain (riptide/clean/infer.hpp: trim, "
                  "null tokens, booleans, numbers, category spellings, dedup) is inferred from "
                  "this many first records")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--out", args->out, "Output CSV ('-': standard output)")->capture_default_str();
  cmd->add_option("--quarantine", args->quarantine, "Rejected records as JSON Lines");
  cmd->add_option("--report", args->report, "Counts as JSON ('-': standard output)");
  cmd->callback([args] { run_clean(*args); });
}

}  // namespace riptide::cli
