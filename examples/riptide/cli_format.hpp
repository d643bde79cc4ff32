// The tool's --format option (csv, jsonl, auto) read by riptide/io/format.hpp's rule.
#pragma once

#include <riptide/io/format.hpp>

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "commands.hpp"

namespace riptide::cli {

inline constexpr std::string_view format_option_help =
    "Input format: csv, jsonl, or auto (the default: by the extension, .jsonl/.ndjson/.json are "
    "JSON Lines and .csv/.tsv/.txt CSV; otherwise JSON Lines when the first non-blank byte is "
    "'{')";

/// --format as given ("" or "auto": detect); a bad one is a usage error.
inline std::optional<io::format> parse_format_option(const std::string& text) {
  if (text.empty()) return std::nullopt;
  try {
    return io::parse_format(text);
  } catch (const std::invalid_argument& e) {
    throw usage_error(std::string("--format: ") + e.what());
  }
}

}  // namespace riptide::cli
