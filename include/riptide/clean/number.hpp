// riptide/clean/number.hpp: locale-tolerant number parsing for type casts.
//
// parse_number reads the numbers real exports contain and refuses to guess:
//   accepted: "1889.5", "+56.95", "-3", "1,889.50", "1.889,50", "1 889,50" (space, NBSP, narrow
//   NBSP, thin space or apostrophe as thousands separators), "$29.85", "29.85 €", "-$5", "($5.00)"
//   (accounting negative), "−5" (U+2212 minus), "1.8895e3", ".5", "5.", surrounding spaces;
//   rejected as ambiguous: a lone comma followed by exactly three digits when the decimal mark is
//   not known: "1,234" (1234 in English, 1.234 in German). A lone dot is read as the decimal mark
//   ("1.234" is 1.234), as every C-locale export writes it;
//   rejected as invalid: misplaced thousands separators ("1,23,4"), two decimal marks, letters,
//   "inf"/"nan", hex, more than 64 significant characters.
// With decimal_mark::dot (or ::comma) the locale is known: the other mark is a thousands separator
// and nothing is ambiguous.
//
// `tolerated` is set when the text was not in the plain C-locale form (so a cast can record a
// repair): a currency sign, a '+', grouping, a decimal comma, parentheses, spaces or U+2212.
//
// Example:
//   auto n = riptide::clean::parse_number("$1,889.50");
//   if (n.status != riptide::clean::number_status::ok || n.value != 1889.5 || !n.tolerated)
//     std::abort();
//   if (riptide::clean::parse_number("1,234").status != riptide::clean::number_status::ambiguous)
//     std::abort();
#pragma once

#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <system_error>

#include "riptide/clean/text.hpp"
#include "riptide/detail/short_decimal.hpp"

namespace riptide::clean {

enum class number_status : std::uint8_t { ok, empty, invalid, ambiguous, out_of_range };

inline constexpr std::string_view to_string(number_status s) noexcept {
  switch (s) {
    case number_status::ok:
      return "ok";
    case number_status::empty:
      return "empty";
    case number_status::invalid:
      return "not a number";
    case number_status::ambiguous:
      return "ambiguous number format";
    case number_status::out_of_range:
      return "number out of range";
  }
  return "unknown";
}

/// Which character separates the fraction. `automatic` decides per value and rejects ambiguity.
enum class decimal_mark : std::uint8_t { automatic, dot, comma };

struct parsed_number {
  number_status status = number_status::invalid;
  double value = 0.0;
  bool integral = false;       // no fraction (value is a whole number)
  bool exact_integer = false;  // written as an integer that fits int64 exactly: see `integer`
  std::int64_t integer = 0;
  bool tolerated = false;  // not in plain C-locale form
};

namespace detail {

/// Strips one currency sign at the front or back of `s` (after spaces); true if one was found.
inline bool strip_currency(std::string_view& s) noexcept {
  static constexpr std::string_view signs[] = {
      "$", "\xE2\x82\xAC", "\xC2\xA3", "\xC2\xA5", "\xE2\x82\xB9", "\xE2\x82\xA9"};  // $ € £ ¥ ₹ ₩
  for (const auto sign : signs) {
    if (s.starts_with(sign)) {
      s.remove_prefix(sign.size());
      s = text::trim(s);
      return true;
    }
    if (s.ends_with(sign)) {
      s.remove_suffix(sign.size());
      s = text::trim(s);
      return true;
    }
  }
  return false;
}

/// Length of a grouping separator other than ',' and '.' at s[i] (space, NBSP, U+202F, U+2009,
/// apostrophe), 0 if none.
inline std::size_t group_separator_length(std::string_view s, std::size_t i) noexcept {
  if (s[i] == ' ' || s[i] == '\'') return 1;
  if (s.substr(i).starts_with("\xC2\xA0")) return 2;
  if (s.substr(i).starts_with("\xE2\x80\xAF") || s.substr(i).starts_with("\xE2\x80\x89")) return 3;
  return 0;
}

/// Converts a plain C-locale number [first, last) ("-12", "56.95", "1.2e3") into `out`.
inline void convert(const char* first, const char* last, bool plain_integer,
                    parsed_number& out) noexcept {
  if (plain_integer) {
    std::int64_t i = 0;
    const auto r = std::from_chars(first, last, i);
    if (r.ec == std::errc() && r.ptr == last) {
      out.exact_integer = true;
      out.integer = i;
    }
  }
  double d = 0.0;
  const auto r = std::from_chars(first, last, d);
  if (r.ec == std::errc::result_out_of_range || (r.ec == std::errc() && !std::isfinite(d))) {
    out.status = number_status::out_of_range;
    return;
  }
  if (r.ec != std::errc() || r.ptr != last) return;
  out.value = d == 0.0 ? 0.0 : d;  // no negative zero
  out.integral = std::trunc(d) == d;
  out.status = number_status::ok;
}

/// The plain form most values have, -?[0-9]+(.[0-9]+)?, read without the tolerant scan; false
/// (and `out` untouched) for anything else, and for a dot when the decimal mark is the comma.
inline bool parse_plain(std::string_view s, decimal_mark mark, parsed_number& out) noexcept {
  double d = 0.0;
  bool fraction = false;
  // Up to 15 digits: read in one scan, as convert() would read it (short_decimal.hpp).
  if (mark != decimal_mark::comma && riptide::detail::read_short_decimal(s, d, &fraction)) {
    if (!fraction) {
      out.exact_integer = true;
      out.integer = static_cast<std::int64_t>(d);  // at most 15 digits: exact
    }
    out.value = d == 0.0 ? 0.0 : d;  // no negative zero
    out.integral = std::trunc(d) == d;
    out.status = number_status::ok;
    return true;
  }
  if (s.empty() || s.size() > 64) return false;
  std::size_t i = s[0] == '-' ? 1 : 0;
  const std::size_t int_begin = i;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  if (i == int_begin) return false;
  const bool integer = i == s.size();
  if (!integer) {
    if (s[i] != '.' || mark == decimal_mark::comma) return false;
    const std::size_t frac_begin = ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == frac_begin || i != s.size()) return false;
  }
  convert(s.data(), s.data() + s.size(), integer, out);
  return true;
}

/// The full, locale-tolerant reading (parse_number without its fast path).
inline parsed_number parse_tolerant(std::string_view input, decimal_mark mark) noexcept {
  parsed_number out;
  std::string_view s = text::trim(input);
  if (s.size() != input.size()) out.tolerated = true;
  if (s.empty()) {
    out.status = number_status::empty;
    return out;
  }
  if (s.size() > 256) return out;  // invalid: no real number is written this long
  bool negative = false;
  // Accounting negative: (123.45)
  if (s.size() >= 2 && s.front() == '(' && s.back() == ')') {
    negative = true;
    out.tolerated = true;
    s = text::trim(s.substr(1, s.size() - 2));
  }
  const auto take_sign = [&]() -> bool {
    if (s.empty()) return false;
    if (s.front() == '-' || s.front() == '+') {
      if (negative && s.front() == '-') return false;  // "(-5)": refuse
      negative = negative || s.front() == '-';
      if (s.front() == '+') out.tolerated = true;
      s = text::trim(s.substr(1));
      return true;
    }
    if (s.starts_with("\xE2\x88\x92")) {  // U+2212 minus sign
      if (negative) return false;
      negative = true;
      out.tolerated = true;
      s = text::trim(s.substr(3));
      return true;
    }
    return false;
  };
  bool signed_once = take_sign();
  if (detail::strip_currency(s)) {
    out.tolerated = true;
    if (!signed_once) signed_once = take_sign();  // "$-5" as well as "-$5"
  }
  if (s.empty()) return out;

  // Mantissa [exponent]: find the exponent first.
  std::string_view mantissa = s, exponent;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == 'e' || s[i] == 'E') {
      mantissa = s.substr(0, i);
      exponent = s.substr(i + 1);
      if (exponent.empty()) return out;
      break;
    }
  }
  if (!exponent.empty()) {
    std::size_t j = (exponent[0] == '+' || exponent[0] == '-') ? 1 : 0;
    if (j == exponent.size()) return out;
    for (; j < exponent.size(); ++j)
      if (exponent[j] < '0' || exponent[j] > '9') return out;
  }

  // Scan the mantissa: digits and separators.
  std::size_t dots = 0, commas = 0, others = 0, digits = 0;
  std::size_t last_dot = 0, last_comma = 0;
  for (std::size_t i = 0; i < mantissa.size();) {
    const char c = mantissa[i];
    if (c >= '0' && c <= '9') {
      ++digits;
      ++i;
    } else if (c == '.') {
      ++dots, last_dot = i, ++i;
    } else if (c == ',') {
      ++commas, last_comma = i, ++i;
    } else if (const auto n = detail::group_separator_length(mantissa, i)) {
      ++others, i += n;
    } else {
      return out;
    }
  }
  if (digits == 0) return out;

  // Decide which mark is the decimal one ('\0': none).
  char decimal = 0;
  if (mark == decimal_mark::dot) {
    if (dots > 1) return out;
    decimal = dots ? '.' : 0;
  } else if (mark == decimal_mark::comma) {
    if (commas > 1) return out;
    decimal = commas ? ',' : 0;
  } else if (dots && commas) {
    decimal = last_dot > last_comma ? '.' : ',';
    if ((decimal == '.' ? dots : commas) > 1) return out;
  } else if (dots == 1 || commas == 1) {
    const char c = dots ? '.' : ',';
    const std::size_t pos = dots ? last_dot : last_comma;
    // Digits after the mark up to the exponent.
    const std::size_t after = mantissa.size() - pos - 1;
    bool all_digits_after = true;
    for (std::size_t k = pos + 1; k < mantissa.size(); ++k)
      if (mantissa[k] < '0' || mantissa[k] > '9') all_digits_after = false;
    bool leading_zero_group = pos == 1 && mantissa[0] == '0';
    bool could_group = after == 3 && all_digits_after && !leading_zero_group && pos >= 1 &&
                       pos <= 3 && others == 0 && exponent.empty();
    if (c == ',' && could_group) {
      out.status = number_status::ambiguous;  // "1,234": 1234 (en) or 1.234 (de)?
      return out;
    }
    decimal = c;  // "12.5", "0,5", "1.234" (the C-locale reading of a lone dot)
  } else {
    decimal = 0;  // several of one mark: thousands separators ("1.234.567", "1,234,567")
  }
  if (decimal == ',') out.tolerated = true;

  // Rebuild a plain C-locale number, validating the grouping of the integer part.
  char buffer[96];
  std::size_t n = 0;
  if (negative) buffer[n++] = '-';
  std::size_t group = 0;   // digits in the current group
  std::size_t groups = 0;  // separators seen in the integer part
  bool in_fraction = false;
  for (std::size_t i = 0; i < mantissa.size();) {
    const char c = mantissa[i];
    if (c >= '0' && c <= '9') {
      if (n + 1 >= sizeof(buffer) - 24) return out;
      buffer[n++] = c;
      ++group;
      ++i;
      continue;
    }
    if (c == decimal) {
      if (groups > 0 && group != 3) return out;
      in_fraction = true;
      buffer[n++] = '.';
      group = 0;
      ++i;
      continue;
    }
    // A thousands separator.
    if (in_fraction) return out;
    if (groups == 0) {
      if (group < 1 || group > 3) return out;
      if (group > 1 && mantissa[0] == '0') return out;
    } else if (group != 3) {
      return out;
    }
    ++groups;
    group = 0;
    out.tolerated = true;
    const auto len = (c == '.' || c == ',') ? 1 : detail::group_separator_length(mantissa, i);
    i += len;
  }
  if (!in_fraction && groups > 0 && group != 3) return out;
  // Mixed separator kinds ("1,234.567.8") were rejected above by the decimal count; mixed
  // thousands kinds ("1,234 567") are accepted only when consistent: check.
  if (groups > 0) {
    const char kinds[3] = {dots && decimal != '.' ? '.' : '\0',
                           commas && decimal != ',' ? ',' : '\0', others ? ' ' : '\0'};
    int distinct = 0;
    for (char k : kinds) distinct += k != '\0';
    if (distinct > 1) return out;
  }
  const bool plain_integer = !in_fraction && exponent.empty();
  if (!exponent.empty()) {
    buffer[n++] = 'e';
    if (exponent.size() > 16) return out;
    for (char c : exponent) buffer[n++] = c;
  }
  convert(buffer, buffer + n, plain_integer, out);
  return out;
}

}  // namespace detail

/// Parses `input` as a number; see the header comment for the accepted forms.
inline parsed_number parse_number(std::string_view input,
                                  decimal_mark mark = decimal_mark::automatic) noexcept {
  // Fast path: "-12", "56.95" are read directly (read_short_decimal, else std::from_chars: the
  // same result the tolerant scan gives, checked by property tests).
  parsed_number out;
  if (detail::parse_plain(input, mark, out)) return out;
  return detail::parse_tolerant(input, mark);
}

}  // namespace riptide::clean
