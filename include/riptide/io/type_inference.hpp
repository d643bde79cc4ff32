// riptide/io/type_inference.hpp: what the fields of a column look like, and so its type.
//
// classify(field) reads one field: a null candidate, a boolean, an integer, a real or text.
//  - Text is trimmed of blanks (spaces, tabs) first, so " 29.85" is a real and " " is empty.
//  - Null candidates (counted per column as nulls): the empty string and the usual spellings of
//    missing values, as pandas reads them: NULL null Null None none NaN nan NA N/A n/a na <NA>
//    #N/A #NA -NaN -nan and JSON null.
//  - Booleans: true/false in any letter case (and JSON true/false). Yes/No stay text: whether
//    those are booleans is a cleansing decision, not a reading one.
//  - Integers: optional sign and decimal digits that fit int64. Reals: anything else
//    std::from_chars reads as a double in full (1.5, -2e-3, .5, inf).
//  - JSON values keep their JSON type (field_kind), JSON strings are classified by content;
//    JSON numbers are read from their value (field::integer() / real()), not from text.
// A column's type (column_type) is the narrowest that holds all its non-null values:
// empty (only nulls) < boolean | integer < real < text; booleans mixed with numbers are text.
// looks_categorical() tells a text column with few distinct values (a category) from free text.
//
// Example:
//   riptide::io::type_inference total_charges;
//   for (std::string_view s : {"29.85", "1889.5", " ", "108.15"})
//     total_charges.add(riptide::io::field{s, riptide::io::field_kind::text});
//   if (total_charges.type() != riptide::io::column_type::real || total_charges.nulls() != 1)
//     std::abort();
#pragma once

#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <system_error>
#include <vector>

#include "riptide/io/record.hpp"

namespace riptide::io {

enum class value_class : std::uint8_t { null, boolean, integer, real, text };

/// One field read as a value: its class, the value for booleans and numbers, the trimmed text.
struct classified {
  value_class cls = value_class::null;
  bool boolean = false;
  std::int64_t integer = 0;
  double real = 0.0;  // also set for integers
  std::string_view text;
};

inline std::string_view trim_blanks(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

/// Whether trimmed text spells a missing value (see the top of this file).
inline bool is_null_token(std::string_view s) noexcept {
  static constexpr std::array<std::string_view, 18> tokens = {
      "",    "NULL", "null", "Null", "None", "none", "NaN",  "nan",  "NA",
      "N/A", "n/a",  "na",   "<NA>", "#N/A", "#NA",  "-NaN", "-nan", "nil"};
  for (const auto t : tokens)
    if (s == t) return true;
  return false;
}

namespace detail {
inline bool equals_ignore_case(std::string_view a, std::string_view lower) noexcept {
  if (a.size() != lower.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char c = a[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[i]) return false;
  }
  return true;
}
}  // namespace detail

/// Classifies text (see the top of this file).
inline classified classify(std::string_view raw) noexcept {
  classified c;
  c.text = trim_blanks(raw);
  const std::string_view s = c.text;
  if (is_null_token(s)) return c;
  const char first = s.front();
  if ((first >= '0' && first <= '9') || first == '-' || first == '+' || first == '.' ||
      first == 'i' || first == 'I') {
    // std::from_chars takes a leading '-' but not '+'.
    const std::string_view number = first == '+' ? s.substr(1) : s;
    const bool signed_twice = first == '+' && (number.empty() || number.front() == '-');
    const char* b = number.data();
    const char* e = b + number.size();
    if (!signed_twice && !number.empty()) {
      if (const auto r = std::from_chars(b, e, c.integer); r.ec == std::errc() && r.ptr == e) {
        c.cls = value_class::integer;
        c.real = static_cast<double>(c.integer);
        return c;
      }
      if (const auto r = std::from_chars(b, e, c.real); r.ec == std::errc() && r.ptr == e) {
        c.cls = value_class::real;
        return c;
      }
    }
  }
  if (detail::equals_ignore_case(s, "true")) {
    c.cls = value_class::boolean;
    c.boolean = true;
    return c;
  }
  if (detail::equals_ignore_case(s, "false")) {
    c.cls = value_class::boolean;
    return c;
  }
  c.cls = value_class::text;
  return c;
}

/// Classifies a field, trusting the JSON type of typed fields. A typed number's value is its
/// payload (field::integer() / real()); its text (classified::text) is io::text_of(f, buf), so
/// it may point into buf.
inline classified classify(const field& f, char (&buf)[32]) noexcept {
  switch (f.kind) {
    case field_kind::missing:
    case field_kind::null:
      return classified{value_class::null, false, 0, 0.0, f.text};
    case field_kind::boolean:
      return classified{value_class::boolean, f.text == "true", 0, 0.0, f.text};
    case field_kind::integer:
    case field_kind::real: {
      if (f.has_number) {
        classified c{value_class::real, false, 0, 0.0, text_of(f, buf)};
        if (f.kind == field_kind::integer) {
          c.cls = value_class::integer;
          c.integer = f.integer();
          c.real = static_cast<double>(c.integer);
        } else {
          c.real = f.real();
        }
        return c;
      }
      classified c = classify(f.text);
      if (c.cls == value_class::integer || c.cls == value_class::real) {
        if (f.kind == field_kind::real && c.cls == value_class::integer) c.cls = value_class::real;
        return c;
      }
      // A JSON number beyond double/int64 range: a real all the same.
      c.cls = value_class::real;
      return c;
    }
    case field_kind::text:
      break;
  }
  return classify(f.text);
}

enum class column_type : std::uint8_t { empty, boolean, integer, real, text };

inline constexpr std::string_view to_string(column_type t) noexcept {
  switch (t) {
    case column_type::empty:
      return "empty";
    case column_type::boolean:
      return "boolean";
    case column_type::integer:
      return "integer";
    case column_type::real:
      return "real";
    case column_type::text:
      return "text";
  }
  return "unknown";
}

/// Whether a text column with `distinct` distinct values among `non_null` values is a category
/// (few values, each repeated) rather than free text or an identifier.
inline bool looks_categorical(double distinct, std::uint64_t non_null) noexcept {
  return distinct <= 100.0 && distinct * 2.0 <= static_cast<double>(non_null);
}

/// The type of one column, from the fields added so far.
class type_inference {
 public:
  /// Adds a field (missing fields are not counted); returns its classification (whose text may
  /// point into this object until the next add: see classify(field, buf)).
  classified add(const field& f) noexcept {
    if (f.kind == field_kind::missing) {
      ++missing_;
      return classified{};
    }
    const classified c = classify(f, number_text_);
    ++counts_[static_cast<std::size_t>(c.cls)];
    return c;
  }

  column_type type() const noexcept {
    if (count(value_class::text) > 0) return column_type::text;
    const bool numbers = count(value_class::integer) + count(value_class::real) > 0;
    const bool booleans = count(value_class::boolean) > 0;
    if (numbers && booleans) return column_type::text;
    if (booleans) return column_type::boolean;
    if (count(value_class::real) > 0) return column_type::real;
    if (count(value_class::integer) > 0) return column_type::integer;
    return column_type::empty;
  }

  std::uint64_t count(value_class c) const noexcept { return counts_[static_cast<std::size_t>(c)]; }
  std::uint64_t nulls() const noexcept { return count(value_class::null); }
  /// Fields added, nulls included (missing ones not).
  std::uint64_t values() const noexcept {
    std::uint64_t n = 0;
    for (const auto c : counts_) n += c;
    return n;
  }
  std::uint64_t non_null() const noexcept { return values() - nulls(); }
  /// Records that did not have this column at all (JSON Lines).
  std::uint64_t missing() const noexcept { return missing_; }

 private:
  std::array<std::uint64_t, 5> counts_{};
  std::uint64_t missing_ = 0;
  char number_text_[32] = {};  // a typed number's text, written by add
};

/// type_inference for every column of a stream of records; grows with the schema.
class schema_inference {
 public:
  /// Adds the fields of a good record (error records are not counted here).
  void add(const record_view& r) {
    if (!r.ok()) return;
    const std::size_t n = r.columns != nullptr ? r.columns->size() : r.fields.size();
    if (columns_.size() < n) columns_.resize(n);
    for (std::size_t i = 0; i < n; ++i) columns_[i].add(r[i]);
  }
  std::size_t size() const noexcept { return columns_.size(); }
  const type_inference& column(std::size_t i) const { return columns_[i]; }

 private:
  std::vector<type_inference> columns_;
};

}  // namespace riptide::io
