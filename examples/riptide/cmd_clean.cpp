// riptide clean: cleanse a CSV (or JSON Lines) file with a preset, a JSON rules file, or (with
// neither) the generic chain clean::inference builds from the first --infer-rows records.
//   riptide clean IN [--format csv|jsonl] [--preset telco | --rules R.json] [--out OUT.csv]
//                 [--quarantine Q.jsonl] [--report R.json] [--infer-rows N]
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
#include <riptide/io/csv.hpp>
#include <riptide/io/jsonl.hpp>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

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

// A buffered output file ("-": stdout).
class output {
 public:
  output() = default;
  explicit output(const std::string& path) : path_(path) {
    if (path == "-") {
      f_ = stdout;
    } else {
      f_ = std::fopen(path.c_str(), "wb");
      if (f_ == nullptr) throw usage_error(fmt::format("cannot write {}", path));
      owned_ = true;
    }
  }
  output(const output&) = delete;
  output& operator=(const output&) = delete;
  ~output() {
    if (owned_) std::fclose(f_);
  }
  bool open() const noexcept { return f_ != nullptr; }
  std::string& buffer() noexcept { return buf_; }
  void maybe_flush() {
    if (buf_.size() >= (1u << 20)) flush();
  }
  void flush() {
    if (f_ == nullptr) return;
    if (!buf_.empty() && std::fwrite(buf_.data(), 1, buf_.size(), f_) != buf_.size())
      throw std::runtime_error(fmt::format("writing {} failed", path_));
    buf_.clear();
    if (std::fflush(f_) != 0) throw std::runtime_error(fmt::format("writing {} failed", path_));
  }

 private:
  std::string path_;
  std::FILE* f_ = nullptr;
  bool owned_ = false;
  std::string buf_;
};

// RFC 4180 field: quoted when it holds a comma, quote, CR or LF, or starts/ends with a space.
void append_csv_field(std::string& out, std::string_view s) {
  const bool quote = s.find_first_of(",\"\r\n") != std::string_view::npos ||
                     (!s.empty() && (s.front() == ' ' || s.back() == ' '));
  if (!quote) {
    out += s;
    return;
  }
  out.push_back('"');
  for (const char c : s) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

void append_header(std::string& out, const clean::columns& cols) {
  for (std::size_t i = 0; i < cols.size(); ++i) {
    if (i > 0) out.push_back(',');
    append_csv_field(out, cols.names[i]);
  }
  out.push_back('\n');
}

template <class Reader>
void cleanse(const clean_args& a, clean::chain& chain, Reader& reader);

void run_clean(const clean_args& a) {
  std::string format = a.format;
  if (format.empty()) {
    const auto ext = std::filesystem::path(a.in).extension().string();
    format = (ext == ".jsonl" || ext == ".ndjson") ? "jsonl" : "csv";
  }
  if (!a.preset.empty() && !a.rules.empty())
    throw usage_error("give at most one of --preset NAME and --rules FILE");
  clean::chain chain;  // with neither: inferred from the data (see cleanse)
  try {
    if (!a.rules.empty()) chain = clean::load_rules_file(a.rules);
    if (!a.preset.empty()) chain = clean::preset(a.preset);
  } catch (const clean::rules_error& e) {
    throw usage_error(e.what());
  }
  if (a.in != "-" && !std::filesystem::exists(a.in))
    throw usage_error(fmt::format("{}: no such file", a.in));
  if (format == "jsonl") {
    io::jsonl_reader reader;
    try {
      reader = io::read_jsonl(a.in);
    } catch (const std::system_error& e) {
      throw usage_error(fmt::format("{}: {}", a.in, e.what()));
    }
    cleanse(a, chain, reader);
  } else {
    io::csv_reader reader;
    try {
      reader = io::read_csv(a.in);
    } catch (const std::system_error& e) {
      throw usage_error(fmt::format("{}: {}", a.in, e.what()));
    }
    cleanse(a, chain, reader);
  }
}

template <class Reader>
void cleanse(const clean_args& a, clean::chain& chain, Reader& reader) {
  output out(a.out);
  std::unique_ptr<output> quarantine;
  if (!a.quarantine.empty()) quarantine = std::make_unique<output>(a.quarantine);
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
    for (std::size_t i = 0; i < row.values.size(); ++i) {
      if (i > 0) buf.push_back(',');
      const auto& v = row.values[i];
      if (v.is_text())
        append_csv_field(buf, v.as_text());
      else
        clean::format_value(v, buf);
    }
    buf.push_back('\n');
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
  out.flush();
  if (quarantine) quarantine->flush();
  const auto report = chain.report();
  if (!a.report.empty()) {
    output r(a.report);
    r.buffer() = report.to_json();
    r.buffer().push_back('\n');
    r.flush();
  }
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
  cmd->add_option("--format", args->format, "Input format (default: from the file extension)")
      ->check(CLI::IsMember({"csv", "jsonl"}));
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
