// riptide feature-drift: data drift per column of a CSV stream. The first --reference-size
// records are the reference; every --check-every records (once a current window of
// --window-size records is full) each column is compared with it (numeric: PSI and two-sample
// Kolmogorov-Smirnov; categorical: PSI and Jensen-Shannon) and every statistic beyond its
// threshold is printed as one JSON line (an alert event). A column is numeric when every
// non-empty value of the reference parses as a number; categorical columns with more distinct
// reference values than half the reference (identifiers) are skipped, and said so on stderr.
#include <fmt/core.h>
#include <riptide/drift/features/monitor.hpp>
#include <riptide/drift/features/row_monitor.hpp>
#include <riptide/drift/number_line.hpp>
#include <riptide/io/csv.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <system_error>
#include <unordered_set>
#include <vector>

#include "commands.hpp"

namespace riptide::cli {

namespace {

struct feature_drift_args {
  std::string input = "-";
  drift::features::monitor_options monitor;
  std::string columns, ignore;  // comma separated
};

std::set<std::string> split_names(const std::string& text) {
  std::set<std::string> names;
  std::size_t start = 0;
  while (start <= text.size() && !text.empty()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    if (comma > start) names.insert(text.substr(start, comma - start));
    start = comma + 1;
  }
  return names;
}

std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20)
          out += fmt::format("\\u{:04x}", static_cast<unsigned char>(c));
        else
          out += c;
    }
  }
  return out + '"';
}

std::string json_number(double x) {
  return std::isfinite(x) ? fmt::format("{}", x) : "null";
}

void run_feature_drift(const feature_drift_args& args) {
  auto reader = args.input == "-" ? io::read_csv("-") : io::read_csv(args.input);
  const auto& opt = args.monitor;
  if (opt.reference_size == 0 || opt.window_size == 0)
    throw usage_error("--reference-size and --window-size must be > 0");

  // Buffer the reference to decide each column's kind (drift::features::infer_feature_kinds, the
  // rule `riptide replay --feature-drift` follows): a blank field is missing.
  std::vector<std::vector<std::string>> buffered;
  std::vector<std::uint64_t> buffered_lines;
  std::uint64_t unreadable = 0;
  auto it = reader.begin();
  for (; it != reader.end() && buffered.size() < opt.reference_size; ++it) {
    const io::record_view& r = *it;
    if (!r.ok()) {
      ++unreadable;
      continue;
    }
    std::vector<std::string> fields;
    for (const io::field& f : r.fields) fields.emplace_back(f.text);
    buffered.push_back(std::move(fields));
    buffered_lines.push_back(r.where.line);
  }
  const auto& schema = reader.columns();
  const std::set<std::string> wanted = split_names(args.columns);
  const std::set<std::string> ignored = split_names(args.ignore);
  for (const auto& name : wanted)
    if (!schema.find(name)) throw usage_error(fmt::format("--columns: no column '{}'", name));
  std::vector<std::string> names, skip;
  for (std::size_t c = 0; c < schema.size(); ++c) {
    names.push_back(schema.name(c));
    if ((!wanted.empty() && !wanted.count(names.back())) || ignored.count(names.back()))
      skip.push_back(names.back());
  }
  std::vector<std::vector<value>> reference;
  for (const auto& fields : buffered) {
    auto& values = reference.emplace_back(schema.size());
    for (std::size_t c = 0; c < fields.size() && c < values.size(); ++c)
      if (!io::detail::trim_blanks(fields[c]).empty()) values[c].set_text(fields[c]);
  }
  auto [features, skipped] =
      drift::features::infer_feature_kinds(names, reference, skip, wanted.empty());
  for (const auto& s : skipped)
    fmt::print(stderr,
               "riptide feature-drift: skipping '{}' ({}; name it in --columns to watch it)\n",
               s.name, s.reason);
  std::vector<bool> numeric(schema.size(), false);
  for (const auto& f : features)
    numeric[f.column] = f.kind == drift::features::feature_kind::numeric;
  if (features.empty()) throw usage_error("no column to watch");

  drift::features::monitor monitor(features, opt);
  std::vector<value> row(schema.size());
  std::string out;
  std::uint64_t rows = 0, alerts = 0;
  auto feed = [&](const auto& fields, std::uint64_t line) {
    for (std::size_t c = 0; c < row.size(); ++c) {
      const std::string_view v = c < fields.size() ? std::string_view(fields[c]) : "";
      if (io::detail::trim_blanks(v).empty()) {
        row[c].set_null();
      } else if (numeric[c]) {
        const auto x = drift::parse_number_line(v);
        if (x)
          row[c].set_real(*x);
        else
          row[c].set_null();  // a non-number in a numeric column counts as missing
      } else {
        row[c].set_text(v);
      }
    }
    ++rows;
    for (const auto& a : monitor.update(row)) {
      ++alerts;
      out += fmt::format(
          "{{\"index\":{},\"line\":{},\"feature\":{},\"metric\":\"{}\",\"statistic\":{},"
          "\"threshold\":{},\"p_value\":{}}}\n",
          a.index, line, json_string(a.feature), a.metric, json_number(a.statistic),
          json_number(a.threshold), json_number(a.p_value));
    }
    if (out.size() > (1 << 15)) {
      std::fwrite(out.data(), 1, out.size(), stdout);
      out.clear();
    }
  };
  for (std::size_t i = 0; i < buffered.size(); ++i) feed(buffered[i], buffered_lines[i]);
  std::vector<std::string_view> fields;
  for (; it != reader.end(); ++it) {
    const io::record_view& r = *it;
    if (!r.ok()) {
      ++unreadable;
      continue;
    }
    fields.clear();
    for (const io::field& f : r.fields) fields.push_back(f.text);
    feed(fields, r.where.line);
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
  fmt::print(stderr, "riptide feature-drift: {} records, {} unreadable skipped, {} alerts\n", rows,
             unreadable, alerts);
}

}  // namespace

void add_feature_drift_command(CLI::App& app) {
  auto args = std::make_shared<feature_drift_args>();
  auto* cmd = app.add_subcommand(
      "feature-drift",
      "Data drift per CSV column (reference window vs current window): one JSON line per alert");
  cmd->add_option("input", args->input, "CSV file, or - for stdin (default)");
  cmd->add_option("--reference-size", args->monitor.reference_size, "Reference records (1000)");
  cmd->add_option("--window-size", args->monitor.window_size, "Current window records (1000)");
  cmd->add_option("--check-every", args->monitor.check_every,
                  "Records between checks (0: the window size)");
  cmd->add_option("--bins", args->monitor.bins, "Quantile bins of numeric PSI (10)");
  cmd->add_option("--psi-threshold", args->monitor.psi_threshold, "PSI alert threshold (0.2)");
  cmd->add_option("--ks-alpha", args->monitor.ks_alpha, "KS p-value alert threshold (0.01)");
  cmd->add_option("--js-threshold", args->monitor.js_threshold,
                  "Jensen-Shannon distance alert threshold (0.1)");
  cmd->add_option("--columns", args->columns, "Only these columns (comma separated)");
  cmd->add_option("--ignore", args->ignore, "Skip these columns (comma separated)");
  cmd->callback([args] {
    try {
      run_feature_drift(*args);
    } catch (const std::system_error& e) {
      throw usage_error(e.what());
    } catch (const std::invalid_argument& e) {
      throw usage_error(e.what());
    }
  });
}

}  // namespace riptide::cli
