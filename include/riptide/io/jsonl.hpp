// riptide/io/jsonl.hpp: a JSON Lines reader on simdjson On-Demand, as a range-v3 input range of
// io::record_view (the same record model as the CSV reader).
//
// Parsing is simdjson's DOM parser, one line at a time. Simdjson 3.0.1 (Debian 12) compiles its
// On-Demand front end only for the build's baseline kernel, which for the x86-64-v2 baseline is
// the scalar "fallback" one (about 3x slower than DOM here), while the DOM parser dispatches at
// run time to the best kernel the CPU has (icelake, haswell, ...). Records repeat their keys, so
// the flattened key sequence of the previous line is reused while it matches (no dotted names
// built, no hashing), and numbers with a short decimal form are written without std::to_chars'
// general algorithm (same text; see format_double).
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
// location and raw bytes; reading goes on with the next line. When the error is one value's (a
// bad number, string escape or literal), the message names the member holding it (dotted) and
// error_field is that member's column if the schema has it (-1 otherwise). Chunked sources: a line
// longer than options.max_record_bytes is a too_large error record (raw: its first max_record_bytes
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
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "riptide/io/reader_stats.hpp"
#include "riptide/io/record.hpp"
#include "riptide/io/record_range.hpp"
#include "riptide/io/source.hpp"

namespace riptide::io {

struct jsonl_options {
  std::size_t max_record_bytes = std::size_t{64} << 20;     // chunked sources: too_large beyond
  std::size_t chunk_bytes = buffered_input::default_chunk;  // read size for chunked sources
  std::string source_name;  // overrides the source's name in locations when not empty
};

using jsonl_stats = reader_stats;

namespace detail {

/// Writes x as std::to_chars(first, last, x) does (the shortest text that reads back as x; fixed
/// or scientific, whichever is shorter, fixed on a tie) into buf (>= 32 bytes); returns the
/// length. Numbers with a short decimal form (prices, rates, measurements: at most 6 decimals and
/// 15 digits) take a fast path: the fewest decimals j for which round(x * 10^j) / 10^j == x is
/// found directly (for |x * 10^j| < 2^50 the nearest integer is the only candidate, and
/// IEEE division is correctly rounded, as reading the decimal text is), then printed in fixed
/// notation when that is not longer than the scientific one. Anything else goes to to_chars.
inline std::size_t format_double(double x, char* buf) noexcept {
  static constexpr double pow10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6};
  const double a = x < 0 ? -x : x;
  if (a >= 1e-3 && a < 1e15) {
    for (int j = 0; j <= 6; ++j) {
      const double t = a * pow10[j];
      if (t >= 1125899906842624.0) break;  // 2^50
      const auto m = static_cast<std::uint64_t>(t + 0.5);
      if (static_cast<double>(m) / pow10[j] != a) continue;
      char digits[24];
      std::size_t d = 0;
      for (std::uint64_t v = m; v != 0; v /= 10) digits[d++] = static_cast<char>('0' + v % 10);
      std::size_t trailing = 0;  // only an integral x (j == 0) can end in zeros
      while (trailing < d && digits[trailing] == '0') ++trailing;
      const std::size_t sig = d - trailing;
      const long exponent = static_cast<long>(d) - 1 - j;
      const long abs_exp = exponent < 0 ? -exponent : exponent;
      const std::size_t sci = sig + (sig > 1 ? 1 : 0) + 2 + (abs_exp >= 100 ? 3 : 2);
      const auto uj = static_cast<std::size_t>(j);
      const std::size_t fixed = j == 0 ? d : d > uj ? d + 1 : 2 + uj;
      if (fixed > sci) break;
      std::size_t n = 0;
      if (x < 0) buf[n++] = '-';
      if (d <= uj) {
        buf[n++] = '0';
        buf[n++] = '.';
        for (std::size_t z = d; z < uj; ++z) buf[n++] = '0';
        for (std::size_t k = d; k-- > 0;) buf[n++] = digits[k];
      } else {
        for (std::size_t k = d; k-- > 0;) {
          buf[n++] = digits[k];
          if (k == uj && k != 0) buf[n++] = '.';
        }
      }
      return n;
    }
  }
  return static_cast<std::size_t>(std::to_chars(buf, buf + 32, x).ptr - buf);
}

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
        slot_ = 0;
        on_shape_ = true;
        flatten(obj, 0, 0);
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
      if (is_value_error(e)) {
        std::string name;
        if (find_bad_member(json, line.size(), name)) {
          message_ += " (member \"" + name + "\")";
          if (const auto column = schema_.find(name))
            current_.error_field = static_cast<std::int64_t>(*column);
        }
      }
      current_.message = message_;
    }
    current_.fields = std::span<const field>(fields_.data(), fields_.size());
  }

  // Errors simdjson raises for one value (a number, string or literal), which can be pinned to
  // the member holding it.
  static bool is_value_error(simdjson::error_code e) noexcept {
    switch (e) {
      case simdjson::NUMBER_ERROR:
      case simdjson::NUMBER_OUT_OF_RANGE:
      case simdjson::STRING_ERROR:
      case simdjson::T_ATOM_ERROR:
      case simdjson::F_ATOM_ERROR:
      case simdjson::N_ATOM_ERROR:
        return true;
      default:
        return false;
    }
  }

  // On the error path only: walks the line with simdjson's On-Demand API, which reports a value's
  // error at the value, to name the member (dotted, as its column would be) holding the bad value.
  bool find_bad_member(const char* json, std::size_t len, std::string& name) {
    simdjson::ondemand::document doc;
    simdjson::ondemand::object obj;
    if (od_parser_.iterate(json, len, len + simdjson::SIMDJSON_PADDING).get(doc) ||
        doc.get_object().get(obj))
      return false;
    return walk_members(obj, name) == walk::found;
  }

  enum class walk { ok, found, lost };  // lost: a structural error, not one member's

  static walk walk_members(simdjson::ondemand::object obj, std::string& name) {
    const std::size_t prefix = name.size();
    for (auto member : obj) {
      simdjson::ondemand::field f;
      std::string_view key;
      if (std::move(member).get(f) || f.unescaped_key().get(key)) return walk::lost;
      name.resize(prefix);
      if (prefix > 0) name += '.';
      name += key;
      if (const walk w = walk_value(f.value(), name); w != walk::ok) return w;
    }
    name.resize(prefix);
    return walk::ok;
  }

  static walk walk_value(simdjson::ondemand::value v, std::string& name) {
    simdjson::ondemand::json_type type;
    if (v.type().get(type)) return walk::found;
    switch (type) {
      case simdjson::ondemand::json_type::object: {
        simdjson::ondemand::object obj;
        if (v.get_object().get(obj)) return walk::found;
        return walk_members(obj, name);
      }
      case simdjson::ondemand::json_type::array: {
        simdjson::ondemand::array arr;
        if (v.get_array().get(arr)) return walk::found;
        for (auto element : arr) {
          simdjson::ondemand::value ev;
          if (std::move(element).get(ev)) return walk::lost;
          if (const walk w = walk_value(ev, name); w != walk::ok) return w;
        }
        return walk::ok;
      }
      case simdjson::ondemand::json_type::string: {
        std::string_view text;
        return v.get_string().get(text) ? walk::found : walk::ok;
      }
      case simdjson::ondemand::json_type::number: {
        simdjson::ondemand::number number;
        return v.get_number().get(number) ? walk::found : walk::ok;
      }
      case simdjson::ondemand::json_type::boolean: {
        bool b = false;
        return v.get_bool().get(b) ? walk::found : walk::ok;
      }
      case simdjson::ondemand::json_type::null: {
        bool null = false;
        return v.is_null().get(null) || !null ? walk::found : walk::ok;
      }
    }
    return walk::lost;
  }

  // One member of the previous record's flattened key sequence (preorder): records usually repeat
  // their predecessor's keys, so each member is matched against the slot at the same position
  // (its key bytes, depth and whether it is an object) and, while every member so far matched,
  // its column is the slot's, without building the dotted name or hashing. The first mismatch
  // switches the rest of the record to building names (and rewrites the slots from there).
  struct key_slot {
    std::string name;    // full dotted name
    std::size_t key_at;  // where the member's own key starts in name
    std::size_t depth;   // 0 for top-level members
    bool object;         // a nested object (its members follow at depth + 1)
    std::size_t column;  // leaf: its column; object: the column of "{}" once needed, or npos
  };
  static constexpr std::size_t no_column = static_cast<std::size_t>(-1);

  // The slot of member `key` (at `depth`, inside the object of slot `parent`, none at depth 0)
  // for this record's next position.
  std::size_t slot_of(std::string_view key, std::size_t depth, std::size_t parent, bool object) {
    const std::size_t i = slot_++;
    if (on_shape_ && i < shape_.size()) {
      const key_slot& k = shape_[i];
      if (k.depth == depth && k.object == object && k.name.size() - k.key_at == key.size() &&
          same_bytes(k.name.data() + k.key_at, key.data(), key.size()))
        return i;
    }
    on_shape_ = false;
    shape_.resize(i);
    key_slot k;
    if (depth > 0) {
      k.name = shape_[parent].name;
      k.name += '.';
    }
    k.key_at = k.name.size();
    k.name += key;
    k.depth = depth;
    k.object = object;
    k.column = object ? no_column : schema_.add(k.name);
    shape_.push_back(std::move(k));
    return i;
  }

  // Flattens the members of `obj` (at `depth`, inside slot `parent`); returns how many leaf
  // values it set.
  std::size_t flatten(simdjson::dom::object obj, std::size_t depth, std::size_t parent) {
    std::size_t set = 0;
    for (const auto member : obj) {
      const std::string_view key = member.key;
      const simdjson::dom::element v = member.value;
      const auto type = v.type();
      if (type == simdjson::dom::element_type::OBJECT) {
        const std::size_t slot = slot_of(key, depth, parent, true);
        if (flatten(simdjson::dom::object(v), depth + 1, slot) == 0) {
          if (shape_[slot].column == no_column)
            shape_[slot].column = schema_.add(shape_[slot].name);
          set_column(shape_[slot].column, "{}", field_kind::text);
        }
        ++set;
        continue;
      }
      const std::size_t column = shape_[slot_of(key, depth, parent, false)].column;
      ++set;
      switch (type) {
        case simdjson::dom::element_type::ARRAY:
          set_owned(column, simdjson::minify(v), field_kind::text);
          break;
        case simdjson::dom::element_type::STRING:
          set_column(column, std::string_view(v), field_kind::text);
          break;
        case simdjson::dom::element_type::INT64:
          set_number(column, std::int64_t(v), field_kind::integer);
          break;
        case simdjson::dom::element_type::UINT64:  // beyond int64: a real for consumers
          set_number(column, std::uint64_t(v), field_kind::real);
          break;
        case simdjson::dom::element_type::DOUBLE:
          set_number(column, double(v), field_kind::real);
          break;
        case simdjson::dom::element_type::BOOL:
          set_column(column, bool(v) ? "true" : "false", field_kind::boolean);
          break;
        case simdjson::dom::element_type::NULL_VALUE:
          set_column(column, "null", field_kind::null);
          break;
        case simdjson::dom::element_type::OBJECT:
          break;
      }
    }
    return set;
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

  template <class Number>
  void set_number(std::size_t column, Number x, field_kind kind) {
    char buf[32];
    std::size_t n = 0;
    if constexpr (std::is_same_v<Number, double>) {
      n = format_double(x, buf);
    } else {
      n = static_cast<std::size_t>(std::to_chars(buf, buf + sizeof buf, x).ptr - buf);
    }
    set_owned(column, std::string_view(buf, n), kind);
  }

  // Text built here lives in scratch_; fields point into it once the record is complete.
  void set_owned(std::size_t column, std::string_view text, field_kind kind) {
    set_column(column, {}, kind);
    patches_.push_back({column, scratch_.size(), text.size()});
    scratch_.append(text);
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
  simdjson::ondemand::parser od_parser_;  // error path only (find_bad_member)
  std::string scratch_;
  std::vector<patch> patches_;
  schema schema_;
  std::vector<field> fields_;
  std::vector<key_slot> shape_;  // the key sequence of the last record (see key_slot)
  std::size_t slot_ = 0;         // this record's next position in it
  bool on_shape_ = true;         // every member of this record so far matched shape_
  std::vector<char> padded_;
  std::string message_;
  std::string too_large_raw_;
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
class jsonl_reader : public detail::record_range<detail::jsonl_state> {
 public:
  jsonl_reader() = default;
  jsonl_reader(std::unique_ptr<byte_source> source, jsonl_options options = {})
      : record_range(std::in_place, std::move(source), std::move(options)) {}

  /// The columns seen so far (the schema grows while the source is read).
  const schema& columns() const noexcept { return parser().columns(); }
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
