// riptide/io/record.hpp: the record model shared by every reader (CSV, JSON Lines).
//
// A reader yields `record_view`s: zero-copy views whose field texts point into the reader's buffer
// (or its per-record scratch buffer, for fields that needed unescaping).
//
// Numbers from typed sources (JSON Lines) are values: field::has_number, field::integer() /
// real(); their text may not be materialised, so code that wants any field's text calls
// io::text_of(field, buf) (CSV fields always have their text: reading field::text still works
// for them).
//
// Lifetime: a record_view, its fields and its `raw` bytes are valid until the reader's iterator is
// advanced (or the reader is destroyed). Keep a record longer with `io::record{view}`, which owns
// copies of everything.
//
// Errors are values, as in simdjson: a record that cannot be read (ragged row, unterminated
// quote, NUL byte, invalid UTF-8, malformed JSON, ...) is yielded as a record_view with
// `error != error_code::none`, a message, the field index when known, its location and its raw
// bytes, and the stream goes on with the next record.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "riptide/io/location.hpp"
#include "riptide/io/number_text.hpp"

namespace riptide::io {

/// What went wrong with a record.
enum class error_code : std::uint8_t {
  none = 0,
  field_count,         // CSV row whose field count differs from the header's
  unterminated_quote,  // CSV quoted field still open at end of input
  bad_quote,           // CSV quote inside an unquoted field, or text after a closing quote
  nul_byte,            // a NUL byte inside the record
  invalid_utf8,        // bytes that are not UTF-8
  json_syntax,         // JSON Lines line that is not one valid JSON object
  too_large,           // record larger than the reader's limit
  io_error,            // the source could not be read
};

inline constexpr std::string_view to_string(error_code e) noexcept {
  switch (e) {
    case error_code::none:
      return "none";
    case error_code::field_count:
      return "field_count";
    case error_code::unterminated_quote:
      return "unterminated_quote";
    case error_code::bad_quote:
      return "bad_quote";
    case error_code::nul_byte:
      return "nul_byte";
    case error_code::invalid_utf8:
      return "invalid_utf8";
    case error_code::json_syntax:
      return "json_syntax";
    case error_code::too_large:
      return "too_large";
    case error_code::io_error:
      return "io_error";
  }
  return "unknown";
}

/// How a field's text is to be read. CSV fields are `text` (types are inferred later); JSON
/// scalars keep their JSON type; `missing` marks a column this record does not have.
enum class field_kind : std::uint8_t { missing, null, boolean, integer, real, text };

/// One field of a record. `text` is the unquoted CSV text, the JSON bool/null token, the
/// unescaped JSON string, or the minified JSON of an array. A JSON number is a value, not text:
/// `has_number` is set and `integer()` (kind integer) or `real()` (kind real) gives it, while
/// `text` may be left empty (not materialised: writing numbers back to text is most of a JSON
/// reader's work, and most consumers want the value). `io::text_of(f, buf)` gives every field's
/// text, materialising a number's as std::to_chars writes it (1.50 reads "1.5", 1e3 "1000").
/// CSV fields always have their text and no number.
struct field {
  std::string_view text;  // see above: empty for a number whose text was not materialised
  field_kind kind = field_kind::text;
  bool has_number = false;        // a typed number: number_bits holds it
  std::uint64_t number_bits = 0;  // the int64 (kind integer) or double (kind real), bit for bit

  std::int64_t integer() const noexcept { return std::bit_cast<std::int64_t>(number_bits); }
  double real() const noexcept { return std::bit_cast<double>(number_bits); }
  /// Whether `text` holds the field's text (always, except for a typed number not materialised).
  bool has_text() const noexcept { return !has_number || !text.empty(); }

  static field from_integer(std::int64_t x, std::string_view text = {}) noexcept {
    return {text, field_kind::integer, true, std::bit_cast<std::uint64_t>(x)};
  }
  static field from_real(double x, std::string_view text = {}) noexcept {
    return {text, field_kind::real, true, std::bit_cast<std::uint64_t>(x)};
  }
};

/// The text of `f`: its `text`, or for a number whose text was not materialised, the number
/// written into `buf` as std::to_chars writes it (the shortest text that reads back as the same
/// value). The result may point into buf: valid while buf and the field's buffer are.
inline std::string_view text_of(const field& f, char (&buf)[32]) noexcept {
  if (f.has_text()) return f.text;
  const std::size_t n = f.kind == field_kind::integer ? detail::format_integer(f.integer(), buf)
                                                      : detail::format_double(f.real(), buf);
  return {buf, n};
}

/// Column names of a source, in order of first appearance. JSON Lines readers add a column the
/// first time a key appears, so a schema may grow while a stream is read.
class schema {
 public:
  schema() = default;
  explicit schema(std::vector<std::string> names) {
    for (auto& n : names) add(n);
  }

  /// Index of `name`, adding it if new.
  std::size_t add(std::string_view name) {
    if (auto i = find(name)) return *i;
    names_.emplace_back(name);
    index_.emplace(names_.back(), names_.size() - 1);
    return names_.size() - 1;
  }
  std::optional<std::size_t> find(std::string_view name) const {
    const auto it = index_.find(std::string(name));
    if (it == index_.end()) return std::nullopt;
    return it->second;
  }
  std::size_t size() const noexcept { return names_.size(); }
  const std::string& name(std::size_t i) const { return names_[i]; }
  const std::vector<std::string>& names() const noexcept { return names_; }

 private:
  std::vector<std::string> names_;
  std::unordered_map<std::string, std::size_t> index_;
};

/// One record as read: fields[i] belongs to column columns->name(i). A record may have fewer
/// fields than its schema has columns (JSON Lines: columns first seen later); those are missing.
struct record_view {
  const schema* columns = nullptr;
  std::span<const field> fields;
  location where;
  std::string_view raw;  // the record's bytes in the source, without its line end
  error_code error = error_code::none;
  std::string_view message;       // human-readable reason when error != none
  std::int64_t error_field = -1;  // 0-based field index of the error, -1 when not known

  bool ok() const noexcept { return error == error_code::none; }

  /// Field `i`, or a missing field when the record does not have it.
  field operator[](std::size_t i) const noexcept {
    return i < fields.size() ? fields[i] : field{{}, field_kind::missing};
  }
  /// Field named `name`, or a missing field.
  field get(std::string_view name) const {
    if (columns == nullptr) return {{}, field_kind::missing};
    const auto i = columns->find(name);
    return i ? (*this)[*i] : field{{}, field_kind::missing};
  }
};

/// An owning copy of a record_view, for records that must outlive the reader's buffer.
class record {
 public:
  record() = default;
  explicit record(const record_view& v)
      : source_(v.where.source),
        raw_(v.raw),
        message_(v.message),
        columns_(v.columns),
        where_(v.where),
        error_(v.error),
        error_field_(v.error_field) {
    texts_.reserve(v.fields.size());
    fields_.assign(v.fields.begin(), v.fields.end());  // kinds and numbers
    for (const auto& f : v.fields) texts_.emplace_back(f.text);
    rebuild();
  }
  record(const record& other) : record(other.view()) {}
  record& operator=(const record& other) {
    if (this != &other) *this = record(other.view());
    return *this;
  }
  record(record&&) noexcept = default;
  record& operator=(record&&) noexcept = default;

  /// A view of this record; valid while this record lives and is not modified. The schema pointer
  /// is the reader's: it stays valid only while the reader lives.
  record_view view() const noexcept {
    record_view v;
    v.columns = columns_;
    v.fields = fields_;
    v.where = where_;
    v.where.source = source_;
    v.raw = raw_;
    v.error = error_;
    v.message = message_;
    v.error_field = error_field_;
    return v;
  }

 private:
  void rebuild() {
    for (std::size_t i = 0; i < texts_.size(); ++i) fields_[i].text = texts_[i];
  }

  std::string source_;
  std::string raw_;
  std::string message_;
  std::vector<std::string> texts_;
  std::vector<field> fields_;
  const schema* columns_ = nullptr;
  location where_;
  error_code error_ = error_code::none;
  std::int64_t error_field_ = -1;
};

}  // namespace riptide::io
