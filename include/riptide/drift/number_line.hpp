// riptide/drift/number_line.hpp: one number from one line of text, as `riptide drift` reads its
// input: surrounding spaces, tabs and a trailing CR are ignored, a leading '+' is allowed, and
// the rest must be one finite decimal number (std::from_chars syntax: 12, -0.5, 1e-3). Anything
// else (empty, "nan", "inf", "1,5", "2x") is not a number.
//
// Example:
//   if (riptide::drift::parse_number_line(" +1.5\r") != 1.5) std::abort();
//   if (riptide::drift::parse_number_line("nan") || riptide::drift::parse_number_line(""))
//   std::abort();
#pragma once

#include <charconv>
#include <cmath>
#include <optional>
#include <string_view>
#include <system_error>

namespace riptide::drift {

inline std::optional<double> parse_number_line(std::string_view text) noexcept {
  while (!text.empty() && (text.back() == '\r' || text.back() == ' ' || text.back() == '\t'))
    text.remove_suffix(1);
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty()) return std::nullopt;
  double x = 0.0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), x);
  if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(x))
    return std::nullopt;
  return x;
}

}  // namespace riptide::drift
