// riptide profile IN [--format csv|jsonl|auto] [--pretty]: one pass over a CSV or JSON Lines
// source (the format: riptide/io/format.hpp's rule);
// per column the inferred type, nulls (with the spellings seen), a distinct-count estimate,
// number statistics and the most frequent values, as JSON on stdout.
#include <fmt/core.h>

#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <riptide/io/format.hpp>
#include <riptide/io/profile.hpp>
#include <string>
#include <system_error>
#include <type_traits>

#include "cli_format.hpp"
#include "commands.hpp"

namespace riptide::cli {

namespace {

struct profile_args {
  std::string input;
  std::string format;  // csv, jsonl, auto or empty (auto: riptide/io/format.hpp's rule)
  std::string delimiter;
  bool no_header = false;
  bool pretty = false;
  std::size_t top = 10;
};

nlohmann::ordered_json column_json(const io::column_profile& c, std::size_t top) {
  nlohmann::ordered_json j;
  j["name"] = c.name();
  const io::column_type t = c.type();
  j["type"] = t == io::column_type::text ? (c.categorical() ? "categorical" : "string")
                                         : std::string(io::to_string(t));
  j["count"] = c.inference().values();
  j["nulls"] = c.nulls();
  nlohmann::ordered_json spellings = nlohmann::ordered_json::object();
  for (const auto& [text, n] : c.null_values()) spellings[text] = n;
  j["null_values"] = spellings;
  if (c.inference().missing() > 0) j["missing"] = c.inference().missing();
  j["distinct"] = static_cast<std::uint64_t>(std::llround(c.distinct()));
  if ((t == io::column_type::integer || t == io::column_type::real) && c.numbers().count > 0) {
    const auto& n = c.numbers();
    j["min"] = n.min;
    j["max"] = n.max;
    j["mean"] = n.mean;
    j["stddev"] = n.stddev();
  }
  if (t == io::column_type::boolean) j["true"] = c.true_count();
  if (t == io::column_type::text || t == io::column_type::boolean) {
    nlohmann::ordered_json values = nlohmann::ordered_json::array();
    for (const auto& e : c.top(top)) values.push_back({{"value", e.item}, {"count", e.count}});
    j["top"] = values;
    j["top_exact"] = c.top_exact();
  }
  return j;
}

template <class Reader>
nlohmann::ordered_json profile(Reader& reader, const profile_args& a) {
  const std::string format(io::to_string(
      std::is_same_v<Reader, io::jsonl_reader> ? io::format::jsonl : io::format::csv));
  io::dataset_profile p;
  for (const auto& r : reader) p.add(r);
  nlohmann::ordered_json j;
  j["source"] = reader.source_name();
  j["format"] = format;
  if constexpr (std::is_same_v<Reader, io::csv_reader>)
    j["delimiter"] = std::string(1, reader.delimiter());
  j["records"] = p.records();
  j["good"] = p.good();
  j["errors"] = p.errors();
  j["blank_lines"] = reader.stats().blank_lines;
  j["bytes"] = reader.stats().bytes;
  nlohmann::ordered_json reasons = nlohmann::ordered_json::object();
  for (const auto& [reason, n] : p.errors_by_reason()) reasons[reason] = n;
  j["errors_by_reason"] = reasons;
  nlohmann::ordered_json samples = nlohmann::ordered_json::array();
  for (const auto& s : p.error_samples())
    samples.push_back({{"line", s.where.line},
                       {"byte_offset", s.where.byte_offset},
                       {"record", s.where.index},
                       {"error", std::string(io::to_string(s.error))},
                       {"field", s.field},
                       {"message", s.message}});
  j["error_samples"] = samples;
  nlohmann::ordered_json columns = nlohmann::ordered_json::array();
  for (const auto& c : p.columns()) columns.push_back(column_json(c, a.top));
  j["columns"] = columns;
  return j;
}

char delimiter_of(const std::string& d) {
  if (d.empty()) return 0;
  if (d == "\\t" || d == "tab") return '\t';
  if (d.size() != 1)
    throw usage_error("--delimiter must be one character (or \\t), got '" + d + "'");
  return d[0];
}

void run_profile(const profile_args& a) {
  const auto format = parse_format_option(a.format);
  nlohmann::ordered_json j;
  try {
    io::csv_options opts;
    opts.delimiter = delimiter_of(a.delimiter);
    opts.header = !a.no_header;
    j = io::with_reader(
        a.input, format, [&](auto& reader) { return profile(reader, a); }, opts);
  } catch (const std::system_error& e) {
    throw usage_error(e.what());
  } catch (const std::invalid_argument& e) {
    throw usage_error(e.what());
  }
  const std::string text =
      j.dump(a.pretty ? 2 : -1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fputc('\n', stdout);
}

}  // namespace

void add_profile_command(CLI::App& app) {
  auto args = std::make_shared<profile_args>();
  auto* cmd = app.add_subcommand(
      "profile",
      "Profile a CSV or JSON Lines file in one pass: per column the inferred type, nulls, "
      "distinct estimate, number statistics, top values (JSON on stdout)");
  cmd->add_option("IN", args->input, "Input file ('-' for standard input)")->required();
  cmd->add_option("--format", args->format, std::string(format_option_help))
      ->check(CLI::IsMember({"csv", "jsonl", "auto"}));
  cmd->add_option("--delimiter", args->delimiter,
                  "CSV delimiter (default: detected from the header among , ; \\t |)");
  cmd->add_flag("--no-header", args->no_header, "CSV: the first row is data");
  cmd->add_option("--top", args->top, "How many frequent values per column (default 10)")
      ->check(CLI::Range(0, 1000));
  cmd->add_flag("--pretty", args->pretty, "Indented JSON for people");
  cmd->callback([args] { run_profile(*args); });
}

}  // namespace riptide::cli
