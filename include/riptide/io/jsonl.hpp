// riptide/io/jsonl.hpp: a JSON Lines reader on simdjson On-Demand, as a range-v3 input range of
// io::record_view (the same record model as the CSV reader).
//
// Parsing is simdjson's DOM parser, one line at a time (its On-Demand front end is compiled only
// for the build's baseline CPU, while the DOM parser picks the best kernel at run time).
//
// What it reads: one JSON object per line (LF or CRLF line ends; a UTF-8 byte order mark at the
// start is skipped; empty or all-whitespace lines are skipped and counted in stats().blank_lines).
// Each object becomes one record:
//  - nested objects are flattened to dotted names: {"a":{"b":1}} is column "a.b" (an empty
//    object {} is kept as the text "{}" under its own name);
//  - arrays are kept as their JSON text, minified (field_kind::text), e.g. "[1,\"x\"]";
//  - strings are unescaped (text); numbers are written back in shortest round-trip form
//    (std::to_chars: 1.50 reads "1.5", 1e3 reads "1000") with kind integer (fits int64) or
//    real (anything else, including integers up to 2^64); true/false are boolean, null is null
//    (text "null"). Numbers simdjson cannot represent (beyond 2^64 or double) make the line an
//    error record;
//  - keys are columns in order of first appearance: the schema grows as new keys show up, and
//    a record lacks (field_kind::missing) the columns it does not have. A key repeated in one
//    object keeps its last value.
// A line that is not one valid JSON object becomes an error record carrying simdjson's error
// text (json_syntax; invalid_utf8 for bad UTF-8, nul_byte when the line holds a NUL byte), its
// location and raw bytes; reading goes on with the next line. Chunked sources: a line longer
// than options.max_record_bytes is a too_large error record (raw: its first max_record_bytes
// bytes) and the rest of the line is skipped.
//
// Lifetimes: field texts point into the reader's buffer or simdjson's string buffer, valid until
// the iterator advances (io::record keeps a copy). Sources and provenance as in csv.hpp.
//
// Example:
//   auto reader = riptide::io::read_jsonl_text(
//       "{\"id\":1,\"plan\":{\"name\":\"pro\",\"price\":9.5},\"tags\":[\"a\"]}\n"
//       "{\"id\":2,\"churned\":true}\n"
//       "{\"id\":3,\n");
//   std::size_t good = 0, bad = 0;
//   for (const riptide::io::record_view& r : reader) {
//     if (!r.ok()) { ++bad; continue; }  // line 3 is cut short: an error record
//     ++good;
//     if (r.where.line == 1 && r.get("plan.price").kind != riptide::io::field_kind::real)
//     std::abort();
//   }
//   if (good != 2 || bad != 1 || reader.columns().size() != 5) std::abort();
#pragma once

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <istream>
#include <iterator>
#include <memory>
#include <range/v3/iterator/default_sentinel.hpp>
#include <range/v3/range_fwd.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "riptide/io/reader_stats.hpp"
#include "riptide/io/record.hpp"
#include "riptide/io/source.hpp"

namespace riptide::io {

struct jsonl_options {
  std::size_t max_record_bytes = std::size_t{64} << 20;     // chunked sources: too_large beyond
  std::size_t chunk_bytes = buffered_input::default_chunk;  // read size for chunked sources
  std::string source_name;  // overrides the source's name in locations when not empty
};

using jsonl_stats = reader_stats;

namespace detail {

inline std::string_view trim_json_space(std::string_view s) {
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

class jsonl_state {
 public:
  jsonl_state(std::unique_ptr<byte_source> source, jsonl_options options)
      : options_(std::move(options)), in_(std::move(source), options_.chunk_bytes) {
    if (!options_.source_name.empty()) in_.set_name(options_.source_name);
  }

  const record_view& current() const noexcept { return current_; }
  bool done() const noexcept { return done_; }
  const schema& columns() const noexcept { return schema_; }
  const reader_stats& stats() const noexcept { return stats_; }
  const std::string& source_name() const noexcept { return in_.name(); }

  void start() {
    if (started_) return;
    started_ = true;
    ensure_line_start(3);
    const std::string_view w = in_.window();
    if (w.size() >= 3 && w.compare(0, 3, "\xEF\xBB\xBF") == 0) pos_ = 3;
    advance();
  }
  void advance() { done_ = !read_next(); }

 private:
  void ensure_line_start(std::size_t want) {
    while (in_.window().size() - pos_ < want && !in_.at_end_of_source()) refill();
  }
  void refill() {
    in_.refill(pos_);
    pos_ = 0;
  }

  static bool all_space(std::string_view s) {
    for (const char c : s)
      if (c != ' ' && c != '\t' && c != '\r') return false;
    return true;
  }

  bool read_next() {
    for (;;) {
      ensure_line_start(1);
      std::string_view w = in_.window();
      if (pos_ >= w.size()) return emit_io_error();
      // Find the line end, reading more while the line is incomplete.
      std::size_t eol = std::string_view::npos;
      for (;;) {
        w = in_.window();
        const void* nl = std::memchr(w.data() + pos_, '\n', w.size() - pos_);
        if (nl != nullptr) {
          eol = static_cast<std::size_t>(static_cast<const char*>(nl) - w.data());
          break;
        }
        if (in_.at_end_of_source()) {
          eol = w.size();
          break;
        }
        if (w.size() - pos_ > options_.max_record_bytes) return emit_too_large();
        refill();
      }
      w = in_.window();
      const std::size_t next = eol < w.size() ? eol + 1 : eol;
      std::string_view line = w.substr(pos_, eol - pos_);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (all_space(line)) {
        ++stats_.blank_lines;
        ++line_;
        pos_ = next;
        stats_.lines = line_ - 1;
        stats_.bytes = in_.window_offset() + pos_;
        continue;
      }
      parse_line(w, line);
      current_.where = {in_.name(), line_, in_.window_offset() + pos_, stats_.records++};
      current_.raw = line;
      if (!current_.ok()) ++stats_.errors;
      ++line_;
      pos_ = next;
      stats_.lines = line_ - 1;
      stats_.bytes = in_.window_offset() + pos_;
      return true;
    }
  }

  // A chunked source's line grew past max_record_bytes: yield its first bytes as a too_large
  // error and skip the rest of the line.
  bool emit_too_large() {
    const std::uint64_t offset = in_.window_offset() + pos_;
    too_large_raw_.assign(in_.window().substr(pos_, options_.max_record_bytes));
    bool found = false;
    while (!found) {
      const std::string_view w = in_.window();
      const void* nl = std::memchr(w.data() + pos_, '\n', w.size() - pos_);
      if (nl != nullptr) {
        pos_ = static_cast<std::size_t>(static_cast<const char*>(nl) - w.data()) + 1;
        found = true;
      } else {
        pos_ = w.size();
        if (in_.at_end_of_source()) break;
        refill();
      }
    }
    fields_.clear();
    message_ = "line longer than " + std::to_string(options_.max_record_bytes) + " bytes";
    current_ = record_view{};
    current_.columns = &schema_;
    current_.where = {in_.name(), line_, offset, stats_.records++};
    current_.raw = too_large_raw_;
    current_.error = error_code::too_large;
    current_.message = message_;
    ++stats_.errors;
    ++line_;
    stats_.lines = line_ - 1;
    stats_.bytes = in_.window_offset() + pos_;
    return true;
  }

  bool emit_io_error() {
    if (in_.error().empty() || io_error_reported_) return false;
    io_error_reported_ = true;
    fields_.clear();
    message_ = in_.name() + ": " + in_.error();
    current_ = record_view{};
    current_.columns = &schema_;
    current_.where = {in_.name(), line_, in_.window_offset() + pos_, stats_.records++};
    current_.error = error_code::io_error;
    current_.message = message_;
    ++stats_.errors;
    return true;
  }

  // Parses `line` (a view into window w) into fields_ and the error fields of current_.
  void parse_line(std::string_view w, std::string_view line) {
    const auto line_start = static_cast<std::size_t>(line.data() - w.data());
    const std::size_t readable = w.size() + in_.readable_past_window() - line_start;
    const char* json = line.data();
    if (readable < line.size() + simdjson::SIMDJSON_PADDING) {
      // Too close to the end of the mapped bytes for simdjson's padding: parse a padded copy.
      if (padded_.size() < line.size() + simdjson::SIMDJSON_PADDING)
        padded_.resize(line.size() + simdjson::SIMDJSON_PADDING);
      std::memcpy(padded_.data(), line.data(), line.size());
      json = padded_.data();
    }
    fields_.assign(schema_.size(), field{{}, field_kind::missing});
    emitted_ = 0;
    scratch_.clear();
    patches_.clear();
    current_.columns = &schema_;
    current_.error = error_code::none;
    current_.error_field = -1;
    current_.message = {};
    simdjson::dom::element doc;
    simdjson::error_code e = parser_.parse(json, line.size(), false).get(doc);
    if (e == simdjson::SUCCESS) {
      simdjson::dom::object obj;
      e = doc.get_object().get(obj);
      if (e == simdjson::SUCCESS) {
        name_.clear();
        flatten(obj, 0);
        for (const auto& p : patches_)
          fields_[p.column].text = std::string_view(scratch_.data() + p.offset, p.length);
      }
    }
    if (e != simdjson::SUCCESS) {
      fields_.clear();
      current_.error =
          e == simdjson::UTF8_ERROR ? error_code::invalid_utf8 : error_code::json_syntax;
      if (std::memchr(line.data(), 0, line.size()) != nullptr)
        current_.error = error_code::nul_byte;
      message_ = simdjson::error_message(e);
      if (e == simdjson::INCORRECT_TYPE) message_ = "the line is not a JSON object";
      current_.message = message_;
    }
    current_.fields = std::span<const field>(fields_.data(), fields_.size());
  }

  // name_[0, prefix) holds the dotted name of the object being flattened ("" at the top).
  void flatten(simdjson::dom::object obj, std::size_t prefix) {
    for (const auto member : obj) {
      const std::string_view key = member.key;
      const simdjson::dom::element v = member.value;
      switch (v.type()) {
        case simdjson::dom::element_type::OBJECT: {
          const std::size_t before = emitted_;
          name_.resize(prefix);
          if (prefix > 0) name_ += '.';
          name_ += key;
          const std::size_t sub_prefix = name_.size();
          flatten(simdjson::dom::object(v), sub_prefix);
          if (emitted_ == before) {
            name_.resize(sub_prefix);
            set_column(column_of_name(), "{}", field_kind::text);
          }
          break;
        }
        case simdjson::dom::element_type::ARRAY:
          set_owned(column_of(key, prefix), simdjson::minify(v), field_kind::text);
          break;
        case simdjson::dom::element_type::STRING:
          set_column(column_of(key, prefix), std::string_view(v), field_kind::text);
          break;
        case simdjson::dom::element_type::INT64:
          set_number(column_of(key, prefix), std::int64_t(v), field_kind::integer);
          break;
        case simdjson::dom::element_type::UINT64:  // beyond int64: a real for consumers
          set_number(column_of(key, prefix), std::uint64_t(v), field_kind::real);
          break;
        case simdjson::dom::element_type::DOUBLE:
          set_number(column_of(key, prefix), double(v), field_kind::real);
          break;
        case simdjson::dom::element_type::BOOL:
          set_column(column_of(key, prefix), bool(v) ? "true" : "false", field_kind::boolean);
          break;
        case simdjson::dom::element_type::NULL_VALUE:
          set_column(column_of(key, prefix), "null", field_kind::null);
          break;
      }
    }
  }

  static bool same_bytes(const char* a, const char* b, std::size_t n) noexcept {
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) {
      std::uint64_t x, y;
      std::memcpy(&x, a + i, 8);
      std::memcpy(&y, b + i, 8);
      if (x != y) return false;
    }
    for (; i < n; ++i)
      if (a[i] != b[i]) return false;
    return true;
  }

  // The column of name_[0, prefix) + "." + key for the emitted_-th value of this record. Records
  // usually repeat the previous records' key order, so the column found for this position last
  // time is checked first, without building the name or hashing.
  std::size_t column_of(std::string_view key, std::size_t prefix) {
    if (emitted_ < key_order_.size()) {
      const std::string& guess = schema_.name(key_order_[emitted_]);
      const std::size_t dotted = prefix == 0 ? 0 : prefix + 1;
      if (guess.size() == dotted + key.size() &&
          same_bytes(guess.data() + dotted, key.data(), key.size()) &&
          (prefix == 0 || (guess[prefix] == '.' && same_bytes(guess.data(), name_.data(), prefix))))
        return key_order_[emitted_++];
    }
    name_.resize(prefix);
    if (prefix > 0) name_ += '.';
    name_ += key;
    return column_of_name();
  }

  template <class Number>
  void set_number(std::size_t column, Number x, field_kind kind) {
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, x);
    set_owned(column, std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)), kind);
  }

  // Text built here lives in scratch_; fields point into it once the record is complete.
  void set_owned(std::size_t column, std::string_view text, field_kind kind) {
    set_column(column, {}, kind);
    patches_.push_back({column, scratch_.size(), text.size()});
    scratch_.append(text);
  }

  // The column of name_ for the emitted_-th value of this record: the same key order as the
  // previous records is checked first, so the common case does no hashing.
  std::size_t column_of_name() {
    const std::size_t slot = emitted_++;
    if (slot < key_order_.size()) {
      const std::size_t guess = key_order_[slot];
      if (schema_.name(guess) == name_) return guess;
    } else {
      key_order_.resize(slot + 1);
    }
    const std::size_t column = schema_.add(name_);
    key_order_[slot] = column;
    return column;
  }

  void set_column(std::size_t column, std::string_view text, field_kind kind) {
    if (column >= fields_.size()) fields_.resize(schema_.size(), field{{}, field_kind::missing});
    if (fields_[column].kind != field_kind::missing) {
      // A repeated key: its last value wins, so an earlier owned text must not be patched in.
      std::erase_if(patches_, [column](const patch& p) { return p.column == column; });
    }
    fields_[column] = field{text, kind};
  }

  jsonl_options options_;
  buffered_input in_;
  struct patch {
    std::size_t column, offset, length;
  };
  simdjson::dom::parser parser_;
  std::string scratch_;
  std::vector<patch> patches_;
  schema schema_;
  std::vector<field> fields_;
  std::vector<std::size_t> key_order_;
  std::vector<char> padded_;
  std::string name_;
  std::string message_;
  std::string too_large_raw_;
  std::size_t emitted_ = 0;
  record_view current_;
  reader_stats stats_;
  std::size_t pos_ = 0;
  std::uint64_t line_ = 1;
  bool started_ = false;
  bool done_ = false;
  bool io_error_reported_ = false;
};

}  // namespace detail

/// A JSON Lines source as a range-v3 input range of record_view (see the top of this file).
/// Copies share one reading position (it is an input range: one pass).
class jsonl_reader : public ranges::view_base {
 public:
  class iterator {
   public:
    using value_type = record_view;
    using reference = const record_view&;
    using difference_type = std::ptrdiff_t;
    using iterator_category = std::input_iterator_tag;
    using iterator_concept = std::input_iterator_tag;

    iterator() = default;
    explicit iterator(detail::jsonl_state* s) : s_(s) {}
    reference operator*() const noexcept { return s_->current(); }
    const record_view* operator->() const noexcept { return &s_->current(); }
    iterator& operator++() {
      s_->advance();
      return *this;
    }
    void operator++(int) { ++*this; }
    friend bool operator==(const iterator& it, ranges::default_sentinel_t) noexcept {
      return it.s_ == nullptr || it.s_->done();
    }

   private:
    detail::jsonl_state* s_ = nullptr;
  };

  jsonl_reader() = default;
  jsonl_reader(std::unique_ptr<byte_source> source, jsonl_options options = {})
      : s_(std::make_shared<detail::jsonl_state>(std::move(source), std::move(options))) {}

  iterator begin() {
    s_->start();
    return iterator{s_.get()};
  }
  ranges::default_sentinel_t end() const noexcept { return {}; }

  /// The columns seen so far (the schema grows while the source is read).
  const schema& columns() const noexcept { return s_->columns(); }
  /// Counts so far (records, errors, blank lines, lines, bytes).
  const reader_stats& stats() const noexcept { return s_->stats(); }
  const std::string& source_name() const noexcept { return s_->source_name(); }

 private:
  std::shared_ptr<detail::jsonl_state> s_;
};

/// Reads a JSON Lines file (memory-mapped); "-" reads standard input.
inline jsonl_reader read_jsonl(const std::filesystem::path& path, jsonl_options options = {}) {
  return jsonl_reader(open_source(path), std::move(options));
}
/// Reads JSON Lines from a stream, chunk by chunk; the stream must outlive the reader.
inline jsonl_reader read_jsonl(std::istream& in, jsonl_options options = {}) {
  return jsonl_reader(std::make_unique<istream_source>(in), std::move(options));
}
/// Reads JSON Lines from any byte source (e.g. io::callback_source).
inline jsonl_reader read_jsonl(std::unique_ptr<byte_source> source, jsonl_options options = {}) {
  return jsonl_reader(std::move(source), std::move(options));
}
/// Reads JSON Lines text held in memory (the reader keeps its own copy).
inline jsonl_reader read_jsonl_text(std::string text, jsonl_options options = {}) {
  return jsonl_reader(std::make_unique<memory_source>(std::move(text)), std::move(options));
}

}  // namespace riptide::io
