// riptide/synth/messify.hpp: a realistic dirty variant of a clean CSV file, as CSV or as JSON
// Lines, with the ground truth of what each dirty record should clean to. For tests of cleansing
// chains (riptide messify).
//
// messify(text, seed) reads `text` (a clean CSV with a header) and writes the same records the way
// messy real exports do, deterministically for a seed; messify_options::format chooses CSV or JSON
// Lines (one object per record, keys = the header's names). Kinds of mess (each on a random share
// of records; see messify_options for the rates):
//   file level (recoverable by the reader or by name matching):
//     bom           a UTF-8 byte-order mark before the header (JSON Lines: before the first line)
//     line_ends     LF, CRLF, lone CR (CSV only), or a mix of LF and CRLF
//     header        column names (JSON Lines: keys) respelt: snake_case, "Title Case", UPPER,
//                   lower, padded
//     quoting       CSV: fields quoted without need
//     key_order     JSON Lines: every line lists its keys in its own random order
//     json_types    JSON Lines: plain numbers written as JSON numbers and boolean columns as
//                   true/false (on some lines or all), the rest as strings
//   JSON Lines, per value (recoverable): a blank value written as null, or its key left out
//     (json_null, absent; absent only once the key has appeared on an earlier line, as an
//     exporter that skips nulls does after its first full record)
//   value level, recoverable (a cleansing chain should repair them to the original value):
//     whitespace    leading/trailing spaces, tabs, NBSP, narrow NBSP, zero-width space, BOM
//     case          categorical text (a column with few distinct values) in UPPER/lower/Title
//     null_spelling an empty value written as NULL, null, None, NaN, N/A, n/a, NA, "-" or " "
//     number_format numbers with '+', currency signs, thousands separators (with a fraction:
//                   "1,889.50"), a decimal comma ("1.889,50"), trailing zeros, exponents
//                   ("1.8895e3"), integers written as "12.0"; the text is edited, never
//                   re-rounded, so it reads back to the very same double
//     boolean       yes/no and 0/1 columns written as yes, YES, Y, true, TRUE, T, 1, on / their
//                   negations (only columns whose every value is a boolean spelling)
//     newline       a space inside a multi-word text value replaced by a line break (quoted)
//     duplicate     a later copy of an earlier record (with its own recoverable mess)
//   record level, unrecoverable (the chain should quarantine them with a reason):
//     truncated     CSV: the record's last fields cut off (field count); JSON Lines: the line
//                   cut off inside the object (syntax)
//     ragged        CSV: an extra field (field count)
//     bad_json      JSON Lines: a trailing comma before the closing brace (syntax)
//     wrong_type    a numeric value replaced by text ("abc", "#VALUE!", "twelve")
//     out_of_range  a value of a never-negative numeric column made negative
//     invalid_utf8  a Latin-1 or stray byte in a text value
//     nul_byte      a NUL byte in a value
//     bad_quote     a quote character inside an unquoted value (JSON Lines: an unescaped quote
//                   inside a string)
// Truth: for each dirty record, in order, the index of the clean record it came from, whether it
// is a copy, the unrecoverable mess (if any), the messes applied, and the original field texts.
// "Should clean to" means: to what the same chain makes of the original record (and a copy is a
// duplicate when an earlier record of the same source came through).
//
// Example:
//   auto m = riptide::synth::messify("id,n,flag\na,1,Yes\nb,2,No\nc,3,Yes\n", 7);
//   if (m.truth.size() < 3 || m.text.empty()) std::abort();
//   auto j = riptide::synth::messify("id,n\na,1\nb,2\n", 7,
//                                    {.format = riptide::synth::messify_format::jsonl});
//   if (j.text.find('{') == std::string::npos) std::abort();
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "riptide/clean/cast.hpp"
#include "riptide/clean/number.hpp"
#include "riptide/clean/report.hpp"
#include "riptide/clean/text.hpp"
#include "riptide/io/csv.hpp"
#include "riptide/io/csv_writer.hpp"

namespace riptide::synth {

enum class messify_format : std::uint8_t { csv, jsonl };

struct messify_options {
  messify_format format = messify_format::csv;  // what the dirty output is written as
  double recoverable_rate = 0.35;               // share of records with value-level repairs to make
  double unrecoverable_rate = 0.04;             // share of records made unrecoverable
  double duplicate_rate = 0.02;                 // share of records followed (later) by a copy
  std::size_t duplicate_distance = 50;          // a copy comes at most this many records later
};

/// What one dirty record should clean to.
struct messify_truth {
  std::size_t source = 0;     // index of the clean record (0-based, header excluded)
  bool copy = false;          // a later copy of `source`
  std::string unrecoverable;  // the unrecoverable mess, empty when recoverable
  std::vector<std::string> messes;
  std::vector<std::string> fields;  // the original field texts
};

struct messified {
  std::string text;  // the dirty file (CSV or JSON Lines, per messify_options::format)
  std::vector<messify_truth> truth;
  std::vector<std::string> file_messes;

  /// The truth as JSON: {"file_messes":[...],"records":[{"source":..,"copy":..,
  /// "unrecoverable":..,"messes":[..],"fields":[..]},...]}
  std::string truth_json() const {
    std::string out = "{\"file_messes\":[";
    for (std::size_t i = 0; i < file_messes.size(); ++i) {
      if (i) out += ",";
      clean::append_json_string(out, file_messes[i]);
    }
    out += "],\"records\":[";
    for (std::size_t r = 0; r < truth.size(); ++r) {
      const auto& t = truth[r];
      if (r) out += ",\n";
      out += "{\"record\":" + std::to_string(r) + ",\"source\":" + std::to_string(t.source) +
             ",\"copy\":" + (t.copy ? "true" : "false") + ",\"unrecoverable\":";
      if (t.unrecoverable.empty())
        out += "null";
      else
        clean::append_json_string(out, t.unrecoverable);
      out += ",\"messes\":[";
      for (std::size_t i = 0; i < t.messes.size(); ++i) {
        if (i) out += ",";
        clean::append_json_string(out, t.messes[i]);
      }
      out += "],\"fields\":[";
      for (std::size_t i = 0; i < t.fields.size(); ++i) {
        if (i) out += ",";
        clean::append_json_string(out, t.fields[i]);
      }
      out += "]}";
    }
    out += "]}\n";
    return out;
  }
};

// (not `detail`: that name in riptide::synth would hide riptide::detail from the other generators)
namespace messify_detail {

enum class column_shape : std::uint8_t { text, categorical, integer, real, boolean };

struct column_info {
  column_shape shape = column_shape::text;
  bool never_negative = true;
};

class mess_maker {
 public:
  explicit mess_maker(std::uint64_t seed) : rng_(seed) {}

  std::size_t below(std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_);
  }
  bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
  template <class T>
  const T& pick(const std::vector<T>& v) {
    return v[below(v.size())];
  }

  std::mt19937_64& rng() { return rng_; }

 private:
  std::mt19937_64 rng_;
};

inline std::vector<column_info> survey(const std::vector<std::vector<std::string>>& rows,
                                       std::size_t width) {
  std::vector<column_info> info(width);
  for (std::size_t c = 0; c < width; ++c) {
    std::set<std::string> distinct;
    bool all_int = true, all_num = true, all_bool = true, any = false;
    for (const auto& row : rows) {
      const auto& v = row[c];
      if (clean::text::trim(v).empty()) continue;
      any = true;
      if (distinct.size() <= 64) distinct.insert(v);
      const auto n = clean::parse_number(v);
      const bool plain = n.status == clean::number_status::ok && !n.tolerated;
      if (!plain) all_num = all_int = false;
      if (plain && !n.exact_integer) all_int = false;
      if (plain && n.value < 0) info[c].never_negative = false;
      if (!clean::parse_bool(v)) all_bool = false;
    }
    if (!any) continue;
    if (all_bool && distinct.size() <= 2)
      info[c].shape = column_shape::boolean;
    else if (all_int)
      info[c].shape = column_shape::integer;
    else if (all_num)
      info[c].shape = column_shape::real;
    else if (distinct.size() <= 20 && rows.size() >= 2 * distinct.size())
      info[c].shape = column_shape::categorical;
  }
  return info;
}

inline std::string respell_header(mess_maker& m, const std::string& name) {
  switch (m.below(5)) {
    case 0:
      return clean::text::snake_case(name);
    case 1: {  // Title Case With Spaces
      const auto snake = clean::text::snake_case(name);
      std::string out;
      bool start = true;
      for (const char c : snake) {
        if (c == '_') {
          out += ' ';
          start = true;
        } else {
          out += start ? clean::text::to_upper(c) : c;
          start = false;
        }
      }
      return out;
    }
    case 2: {
      std::string out = name;
      for (auto& c : out) c = clean::text::to_upper(c);
      return out;
    }
    case 3:
      return clean::text::lower(name);
    default:
      return " " + name + " ";
  }
}

// Edits a plain number's text into another spelling of the same value.
inline std::string respell_number(mess_maker& m, const std::string& v, bool integer) {
  std::string sign, digits = v;
  if (!digits.empty() && (digits[0] == '-' || digits[0] == '+')) {
    sign = digits.substr(0, 1);
    digits = digits.substr(1);
  }
  if (digits.find_first_of("eE") != std::string::npos) return v;
  auto dot = digits.find('.');
  std::string whole = dot == std::string::npos ? digits : digits.substr(0, dot);
  std::string frac = dot == std::string::npos ? "" : digits.substr(dot + 1);
  if (whole.empty()) whole = "0";
  const auto group = [&whole](const std::string& sep) {
    std::string out;
    for (std::size_t i = 0; i < whole.size(); ++i) {
      if (i > 0 && (whole.size() - i) % 3 == 0) out += sep;
      out += whole[i];
    }
    return out;
  };
  const std::string minus = sign == "-" ? "-" : "";
  switch (m.below(integer ? 3 : 7)) {
    case 0:
      return sign == "-" ? v : "+" + digits;
    case 1:  // trailing zeros / integer written with a fraction
      return minus + whole + "." + (frac.empty() ? "0" : frac + "0");
    case 2:  // surrounding spaces
      return " " + v + "\t";
    case 3:  // currency
      return minus + (m.chance(0.5) ? "$" + whole + (frac.empty() ? "" : "." + frac)
                                    : whole + (frac.empty() ? "" : "." + frac) + " \xE2\x82\xAC");
    case 4:  // thousands separators, always with a fraction so that nothing is ambiguous
      return minus + group(",") + "." + (frac.empty() ? "00" : frac);
    case 5:  // decimal comma, dots or NBSP grouping (never 3 fraction digits: "5,125" is ambiguous)
      return minus + group(m.chance(0.5) ? "." : "\xC2\xA0") + "," +
             (frac.empty()       ? "00"
              : frac.size() == 3 ? frac + "0"
                                 : frac);
    default: {  // exponent: d.ddd e k, by moving the point
      const std::string all = whole + frac;
      std::size_t lead = 0;
      while (lead + 1 < all.size() && all[lead] == '0') ++lead;
      const long exponent = static_cast<long>(whole.size()) - 1 - static_cast<long>(lead);
      std::string mant = all.substr(lead, 1);
      if (lead + 1 < all.size()) mant += "." + all.substr(lead + 1);
      return minus + mant + "e" + std::to_string(exponent);
    }
  }
}

inline std::string respell_bool(mess_maker& m, bool b) {
  static const std::vector<std::string> yes = {"yes",  "YES", "Y", "y", "true",
                                               "TRUE", "T",   "1", "on"};
  static const std::vector<std::string> no = {"no",    "NO", "N", "n",  "false",
                                              "FALSE", "F",  "0", "off"};
  return b ? m.pick(yes) : m.pick(no);
}

// Quoted when it must be (io::append_csv_field), spaces at the ends left bare: they are mess the
// cleaner must trim, as a careless exporter writes them.
inline void append_field(std::string& out, std::string_view s, bool force_quote) {
  io::append_csv_field(out, s, {.quote_edge_spaces = false}, force_quote);
}

// A plain JSON number literal: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
inline bool is_json_number(std::string_view v) {
  std::size_t i = 0;
  const auto digits = [&] {
    const auto from = i;
    while (i < v.size() && v[i] >= '0' && v[i] <= '9') ++i;
    return i > from;
  };
  if (i < v.size() && v[i] == '-') ++i;
  if (i < v.size() && v[i] == '0')
    ++i;
  else if (!digits())
    return false;
  if (i < v.size() && v[i] == '.' && (++i, !digits())) return false;
  if (i < v.size() && (v[i] == 'e' || v[i] == 'E')) {
    ++i;
    if (i < v.size() && (v[i] == '+' || v[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == v.size();
}

// A JSON string with the bytes of `s` as they are: quote, backslash and control characters are
// escaped, a NUL byte and bytes >= 0x80 are written raw (so injected bad bytes stay bad).
inline void append_raw_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (ch == '"' || ch == '\\') {
      out += '\\';
      out += ch;
    } else if (ch == '\n') {
      out += "\\n";
    } else if (ch == '\r') {
      out += "\\r";
    } else if (ch == '\t') {
      out += "\\t";
    } else if (c != 0 && c < 0x20) {
      static constexpr char hex[] = "0123456789abcdef";
      out += "\\u00";
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out += ch;
    }
  }
  out += '"';
}

// Writes one record as a JSON object the way messy exporters do (see the top of this file).
struct json_line_writer {
  const std::vector<std::string>& names;  // the original column names (for the truth)
  const std::vector<std::string>& keys;   // the (maybe respelt) keys written
  const std::vector<column_info>& info;
  bool shuffle_keys = false;
  double native_rate = 0;
  std::vector<bool> seen = {};  // the key is in the reader's schema (written on a valid line)
  std::vector<std::size_t> order = {};

  void write(std::string& out, mess_maker& m, const std::vector<std::string>& f,
             const std::vector<std::string>& original, const std::string& bad,
             std::size_t bad_column, std::vector<std::string>& messes) {
    const auto width = keys.size();
    seen.resize(width, false);
    order.resize(width);
    for (std::size_t c = 0; c < width; ++c) order[c] = c;
    if (shuffle_keys) std::shuffle(order.begin(), order.end(), m.rng());
    const bool valid_line =
        bad.empty() || bad.rfind("wrong_type", 0) == 0 || bad.rfind("out_of_range", 0) == 0;
    const auto start = out.size();
    out += '{';
    bool first = true;
    for (const auto c : order) {
      const auto& v = f[c];
      const auto shape = info[c].shape;
      std::string literal;  // a JSON literal written instead of a string, if any
      if (c == bad_column && bad.rfind("bad_quote", 0) == 0) {
        literal = "\"" + v + "\"";  // the inner quote left unescaped on purpose
      } else if (v == original[c] && clean::text::trim(v).empty()) {
        const auto how = m.below(3);
        if (how == 0 && seen[c]) {
          messes.push_back("absent:" + names[c]);
          continue;
        }
        if (how == 1) {
          literal = "null";
          messes.push_back("json_null:" + names[c]);
        }
      } else if ((shape == column_shape::integer || shape == column_shape::real) &&
                 is_json_number(v) && m.chance(native_rate)) {
        literal = v;
      } else if (shape == column_shape::boolean && clean::parse_bool(v) && m.chance(native_rate)) {
        literal = *clean::parse_bool(v) ? "true" : "false";
      }
      if (!first) out += ',';
      first = false;
      append_raw_json_string(out, keys[c]);
      out += ':';
      if (literal.empty())
        append_raw_json_string(out, v);
      else
        out += literal;
      if (valid_line) seen[c] = true;
    }
    if (bad.rfind("bad_json", 0) == 0) out += ',';  // a trailing comma
    out += '}';
    if (bad == "truncated") {  // cut inside the object: at least the closing brace goes
      const auto len = out.size() - start;
      out.resize(start + 1 + m.below(len - 1));
    }
  }
};

}  // namespace messify_detail

/// A dirty variant of the clean CSV `text` and its ground truth (see the top of this file).
inline messified messify(const std::string& text, std::uint64_t seed, messify_options opt = {}) {
  using namespace messify_detail;
  mess_maker m(seed);
  auto reader = io::read_csv_text(text);
  std::vector<std::vector<std::string>> rows;
  for (const io::record_view& r : reader) {
    if (!r.ok()) continue;  // not clean: left out
    std::vector<std::string> row;
    for (std::size_t i = 0; i < reader.columns().size(); ++i) row.emplace_back(r[i].text);
    rows.push_back(std::move(row));
  }
  const auto& names = reader.columns().names();
  const std::size_t width = names.size();
  const auto info = survey(rows, width);
  messified out;
  const bool jsonl = opt.format == messify_format::jsonl;

  // File-level mess.
  std::string eol = "\n";
  bool mixed_eol = false;
  switch (m.below(4)) {
    case 0:
      break;
    case 1:
      eol = "\r\n";
      out.file_messes.push_back("line_ends:crlf");
      break;
    case 2:
      if (!jsonl) {  // JSON Lines are LF or CRLF only
        eol = "\r";
        out.file_messes.push_back("line_ends:cr");
        break;
      }
      [[fallthrough]];
    default:
      mixed_eol = true;
      out.file_messes.push_back("line_ends:mixed");
  }
  if (m.chance(0.5)) {
    out.text += "\xEF\xBB\xBF";
    out.file_messes.push_back("bom");
  }
  const auto end_line = [&] { out.text += mixed_eol ? (m.chance(0.5) ? "\r\n" : "\n") : eol; };
  std::vector<std::string> header(names.begin(), names.end());
  if (m.chance(0.6)) {
    out.file_messes.push_back("header");
    for (auto& h : header)
      if (m.chance(0.5)) h = respell_header(m, h);
  }
  // Respelt names must still be told apart (column_key); otherwise keep the originals.
  {
    std::set<std::string> keys;
    for (const auto& h : header) keys.insert(clean::text::column_key(h));
    if (keys.size() != header.size()) header.assign(names.begin(), names.end());
  }
  double quote_rate = 0;   // CSV: share of fields quoted without need
  double native_rate = 0;  // JSON Lines: share of values written as JSON numbers / booleans
  bool shuffle_keys = false;
  if (!jsonl) {
    quote_rate = m.chance(0.3) ? 0.2 : 0.0;
    if (quote_rate > 0) out.file_messes.push_back("quoting");
    for (std::size_t c = 0; c < width; ++c) {
      if (c) out.text += ',';
      append_field(out.text, header[c], false);
    }
    end_line();
  } else {
    shuffle_keys = m.chance(0.4);
    if (shuffle_keys) out.file_messes.push_back("key_order");
    native_rate = std::array{0.0, 0.5, 1.0}[m.below(3)];
    if (native_rate > 0) out.file_messes.push_back("json_types");
  }
  json_line_writer json{names, header, info, shuffle_keys, native_rate};

  // Records, with pending copies.
  struct pending {
    std::size_t at;  // emit after this many originals
    std::size_t source;
  };
  std::vector<pending> copies;
  const auto emit = [&](std::size_t source, bool copy) {
    messify_truth t;
    t.source = source;
    t.copy = copy;
    t.fields = rows[source];
    std::vector<std::string> f = rows[source];
    std::vector<bool> quoted(width, false);
    // Unrecoverable mess (never on copies: a copy's fate follows its original's).
    std::string bad;
    std::size_t bad_column = static_cast<std::size_t>(-1);  // the column the mess is in
    if (!copy && m.chance(opt.unrecoverable_rate)) {
      std::vector<std::string> kinds = {"truncated", jsonl ? "bad_json" : "ragged", "invalid_utf8",
                                        "nul_byte", "bad_quote"};
      bool numeric = false, never_negative = false;
      for (std::size_t c = 0; c < width; ++c) {
        if (info[c].shape == column_shape::integer || info[c].shape == column_shape::real) {
          numeric = true;
          never_negative = never_negative || info[c].never_negative;
        }
      }
      if (numeric) kinds.push_back("wrong_type");
      if (never_negative) kinds.push_back("out_of_range");
      bad = m.pick(kinds);
    }
    // Recoverable mess.
    if (m.chance(opt.recoverable_rate)) {
      const auto n = 1 + m.below(3);
      for (std::size_t k = 0; k < n; ++k) {
        const auto c = m.below(width);
        auto& v = f[c];
        const auto shape = info[c].shape;
        if (clean::text::trim(v).empty()) {
          static const std::vector<std::string> nulls = {"NULL", "null", "None", "NaN", "N/A",
                                                         "n/a",  "NA",   "-",    " ",   ""};
          v = m.pick(nulls);
          t.messes.push_back("null_spelling:" + names[c]);
          continue;
        }
        switch (m.below(3)) {
          case 0: {  // whitespace and invisible characters
            static const std::vector<std::string> pads = {
                " ", "  ", "\t", "\xC2\xA0", "\xE2\x80\xAF", "\xE2\x80\x8B", "\xEF\xBB\xBF"};
            const bool before = m.chance(0.5);
            v = before ? m.pick(pads) + v : v + m.pick(pads);
            t.messes.push_back("whitespace:" + names[c]);
            break;
          }
          default:
            if (shape == column_shape::integer || shape == column_shape::real) {
              if (clean::parse_number(v).status == clean::number_status::ok &&
                  !clean::parse_number(v).tolerated && v.find_first_of("eE") == std::string::npos) {
                v = respell_number(m, v, shape == column_shape::integer);
                t.messes.push_back("number_format:" + names[c]);
              }
            } else if (shape == column_shape::boolean) {
              v = respell_bool(m, *clean::parse_bool(v));
              t.messes.push_back("boolean:" + names[c]);
            } else if (shape == column_shape::categorical) {
              if (v.find(' ') != std::string::npos && m.chance(0.4)) {
                v[v.find(' ')] = '\n';
                if (m.chance(0.5)) v.insert(v.find('\n'), "\r");
                t.messes.push_back("newline:" + names[c]);
              } else {
                const auto how = m.below(3);
                bool start = true;
                for (auto& ch : v) {
                  ch = how == 0   ? clean::text::to_upper(ch)
                       : how == 1 ? clean::text::to_lower(ch)
                                  : (start ? clean::text::to_upper(ch) : clean::text::to_lower(ch));
                  start = ch == ' ';
                }
                t.messes.push_back("case:" + names[c]);
              }
            }
        }
      }
    }
    // Apply the unrecoverable mess last, so that it is what the record is rejected for.
    std::size_t fields_out = width;
    bool extra = false;
    if (!bad.empty()) {
      std::vector<std::size_t> numeric, text_cols;
      for (std::size_t c = 0; c < width; ++c) {
        const auto s = info[c].shape;
        if (s == column_shape::integer || s == column_shape::real)
          numeric.push_back(c);
        else
          text_cols.push_back(c);
      }
      if (text_cols.empty()) text_cols.push_back(0);
      if (bad == "truncated" && !jsonl) {
        fields_out = width > 1 ? 1 + m.below(width - 1) : width;
        bool all_empty = true;  // an empty line would be skipped as blank, not read as a record
        for (std::size_t c = 0; c < fields_out; ++c) all_empty = all_empty && f[c].empty();
        if (fields_out == width || all_empty) {
          bad = "ragged";
          fields_out = width;
        }
      }
      if (bad == "ragged") extra = true;
      if (bad == "wrong_type") {
        static const std::vector<std::string> words = {"abc", "#VALUE!", "twelve", "12abc"};
        const auto c = m.pick(numeric);
        f[c] = m.pick(words);
        bad += ":" + names[c];
        bad_column = c;
      } else if (bad == "out_of_range") {
        std::vector<std::size_t> nonneg;
        for (const auto c : numeric)
          if (info[c].never_negative && !clean::text::trim(rows[source][c]).empty())
            nonneg.push_back(c);
        if (nonneg.empty()) {
          bad = jsonl ? "bad_json" : "ragged";
          extra = !jsonl;
        } else {
          const auto c = m.pick(nonneg);
          const auto n = clean::parse_number(rows[source][c]);
          f[c] = n.value == 0 ? "-7" : "-" + std::string(clean::text::trim(rows[source][c]));
          bad += ":" + names[c];
          bad_column = c;
        }
      } else if (bad == "invalid_utf8") {
        const auto c = m.pick(text_cols);
        f[c] += m.chance(0.5) ? "\xE9" : "\xFF";
        bad += ":" + names[c];
        bad_column = c;
      } else if (bad == "nul_byte") {
        const auto c = m.below(width);
        f[c] += std::string(1, '\0');
        bad += ":" + names[c];
        bad_column = c;
      } else if (bad == "bad_quote") {
        // The reader resumes after the line of a bad quote: keep this record on one line.
        for (auto& v : f)
          for (auto& ch : v)
            if (ch == '\r' || ch == '\n') ch = ' ';
        const auto c = m.pick(text_cols);
        f[c] = "x\"" + f[c];
        bad += ":" + names[c];
        bad_column = c;
      }
      t.unrecoverable = bad;
    }
    if (jsonl) {
      json.write(out.text, m, f, rows[source], bad, bad_column, t.messes);
      end_line();
      out.truth.push_back(std::move(t));
      return;
    }
    for (std::size_t c = 0; c < fields_out; ++c) {
      if (c) out.text += ',';
      if (bad.rfind("bad_quote", 0) == 0 && f[c].find('"') != std::string::npos &&
          f[c].find_first_of(",\r\n") == std::string::npos) {
        out.text += f[c];  // left unquoted on purpose
        continue;
      }
      append_field(out.text, f[c], !quoted[c] && m.chance(quote_rate));
    }
    if (extra) out.text += ",extra";
    // A lone CR line end would end a record inside nothing; keep CR files free of embedded CRs
    // and LFs by quoting (done by append_field), so records still split at line ends.
    end_line();
    out.truth.push_back(std::move(t));
  };

  for (std::size_t i = 0; i < rows.size(); ++i) {
    emit(i, false);
    if (m.chance(opt.duplicate_rate))
      copies.push_back({i + 1 + m.below(std::max<std::size_t>(1, opt.duplicate_distance)), i});
    for (std::size_t k = 0; k < copies.size();) {
      if (copies[k].at <= i + 1) {
        emit(copies[k].source, true);
        copies.erase(copies.begin() + static_cast<std::ptrdiff_t>(k));
      } else {
        ++k;
      }
    }
  }
  for (const auto& c : copies) emit(c.source, true);
  return out;
}

}  // namespace riptide::synth
