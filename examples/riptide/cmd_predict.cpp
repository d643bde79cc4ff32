// riptide predict: scores new records with a snapshot (or a registry's champion) through the
// cleansing and encoding the model was trained with (riptide::scorer, riptide/scorer.hpp):
// `id,probability,label` per record to OUT; records that fail cleansing or the model's schema
// go to the quarantine (JSON Lines: status, reason, source, line, byte offset, raw), counted on
// stderr; in = predicted + quarantined. This file parses the flags and prints.
#include <fmt/core.h>
#include <riptide/clean/quarantine.hpp>
#include <riptide/io/csv_writer.hpp>
#include <riptide/io/record_source.hpp>
#include <riptide/scorer.hpp>
#include <riptide/snapshot/pipeline_io.hpp>
#include <riptide/snapshot/registry.hpp>

#include <charconv>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "cli_format.hpp"
#include "cli_io.hpp"
#include "commands.hpp"

namespace riptide::cli {
namespace {

struct predict_args {
  std::string model;
  std::string registry;
  std::string input;
  std::string format;
  std::string out = "-";
  std::string quarantine;
  scorer_options options;
};

void run_predict(const predict_args& a) {
  if (a.model.empty() == a.registry.empty())
    throw usage_error("predict: give --model SNAPSHOT or --registry DIR (one of them)");
  if (a.input != "-" && !std::filesystem::exists(a.input))
    throw usage_error("predict: cannot open '" + a.input + "': no such file");
  check_outputs({a.input, a.model}, {a.out, a.quarantine});
  std::optional<pipeline> p;
  std::string from = a.model;
  try {
    if (!a.model.empty()) {
      p.emplace(snapshot::load(a.model));
    } else {
      snapshot::registry reg(a.registry);
      const auto champion = reg.champion();
      if (!champion)
        throw snapshot::error(a.registry + ": no champion yet (no snapshot passed the gate)");
      from = *champion;
      p.emplace(reg.load_champion());
    }
  } catch (const snapshot::error& e) {
    throw usage_error(std::string("predict: ") + e.what());
  }
  scorer s(*p, a.options);
  const io::record_source source(a.input, parse_format_option(a.format), false);
  auto out = open_output(a.out);
  std::optional<io::output_file> quarantine;
  if (!a.quarantine.empty()) quarantine.emplace(open_output(a.quarantine));
  out.buffer() += "id,probability,label\n";
  clean::row rejected;
  source([&](const io::record_view& rec) {
    const auto& got = s.score(rec);
    if (!got.out.ok()) {
      if (quarantine) {
        rejected.status = got.out.status;
        rejected.reason = got.out.reason;
        clean::to_jsonl(quarantine->buffer(), rejected, rec);
        quarantine->maybe_flush();
      }
      return;
    }
    std::string& b = out.buffer();
    io::append_csv_field(b, got.id);
    char num[32];
    const auto r = std::to_chars(num, num + sizeof num, got.out.probability);
    b.push_back(',');
    b.append(num, r.ptr);
    b.append(got.label ? ",1\n" : ",0\n");
    out.maybe_flush();
  });
  out.commit();
  if (quarantine) quarantine->commit();
  fmt::print(stderr, "predict {} with {}: {} records in: {} predicted, {} quarantined\n", a.input,
             from, s.in(), s.predicted(), s.quarantined());
  for (const auto& [reason, n] : s.reasons()) fmt::print(stderr, "  {:>8}  {}\n", n, reason);
}

}  // namespace

void add_predict_command(CLI::App& app) {
  auto a = std::make_shared<predict_args>();
  auto* cmd = app.add_subcommand("predict",
                                 "Score records with a snapshot: id,probability,label per record");
  cmd->add_option("input", a->input, "CSV or JSON Lines file ('-' for stdin)")->required();
  cmd->add_option("--model", a->model, "A snapshot (riptide replay --save, a registry's)");
  cmd->add_option("--registry", a->registry, "A registry directory: its champion scores");
  cmd->add_option("--format", a->format, std::string(format_option_help))
      ->check(CLI::IsMember({"auto", "csv", "jsonl"}));
  cmd->add_option("--out", a->out, "Predictions (CSV) here ('-': stdout)")->capture_default_str();
  cmd->add_option("--quarantine", a->quarantine, "Rejected records as JSON Lines");
  cmd->add_flag("--ignore-extra-columns", a->options.ignore_extra_columns,
                "Score records with columns the model never saw (else quarantined)");
  cmd->add_option("--threshold", a->options.threshold, "label = probability >= threshold")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  cmd->callback([a] { run_predict(*a); });
}

}  // namespace riptide::cli
