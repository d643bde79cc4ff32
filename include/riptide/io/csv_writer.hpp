// riptide/io/csv_writer.hpp: the one way riptide writes CSV: fields quoted as RFC 4180 says,
// rows of text or of riptide::value, headers. Appends to a std::string (an io::output_file's
// buffer(), typically), so that a caller flushes when it likes.
//
// Quoting: a field is written between double quotes, its quotes doubled, when it holds the
// delimiter, a quote, a CR or a LF, or (options.quote_edge_spaces, the default) when it starts or
// ends with a space, which some readers would trim. Anything else is written as it is; but a row
// of one empty field is written as "" (a bare empty line is a blank line to a reader, which skips
// it). riptide's own reader (io::read_csv) reads every row written so back as the same fields.
// quote_edge_spaces = false is the rule of the writers that reproduce data as it came: `riptide
// synth telco-shift` writes the Telco data's " " values bare, and synth::messify leaves its
// added spaces bare (they are the mess); their outputs stay byte for byte what they were. A
// caller may also force quotes on a field (messify quotes some fields without need, on purpose).
//
// Values (append_csv_values): text as a field (quoted when it must be), numbers in their shortest
// round-trip form and booleans as true/false (clean::format_value, the one rule for a value's
// text), null as an empty field.
//
// Example:
//   std::string out;
//   riptide::io::append_csv_row(out, std::vector<std::string>{"id", "name", "note"});
//   std::vector<riptide::value> row{riptide::value::of_int(7),
//                                   riptide::value::of_text("Smith, J."), riptide::value{}};
//   riptide::io::append_csv_values(out, row);
//   riptide::io::append_csv_field(out, " padded ");
//   if (out != "id,name,note\n7,\"Smith, J.\",\n\" padded \"") std::abort();
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "riptide/clean/cast.hpp"
#include "riptide/value.hpp"

namespace riptide::io {

struct csv_write_options {
  char delimiter = ',';
  bool quote_edge_spaces = true;  // quote a field starting or ending with a space (see the top)
};

/// Whether `field` must be quoted under `options` (see the top of this file).
inline bool csv_needs_quotes(std::string_view field, const csv_write_options& options = {}) {
  for (const char c : field)
    if (c == options.delimiter || c == '"' || c == '\r' || c == '\n') return true;
  return options.quote_edge_spaces && !field.empty() &&
         (field.front() == ' ' || field.back() == ' ');
}

/// Appends one field, quoted when it must be (or when `force_quotes`).
inline void append_csv_field(std::string& out, std::string_view field,
                             const csv_write_options& options = {}, bool force_quotes = false) {
  if (!force_quotes && !csv_needs_quotes(field, options)) {
    out.append(field);
    return;
  }
  out.push_back('"');
  for (const char c : field) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

/// Appends a row of text fields (any range of things convertible to std::string_view: column
/// names, a record's field texts) and its line end "\n".
template <class Range>
void append_csv_row(std::string& out, const Range& fields, const csv_write_options& options = {}) {
  const std::size_t start = out.size();
  std::size_t count = 0;
  for (const auto& f : fields) {
    if (count++ > 0) out.push_back(options.delimiter);
    append_csv_field(out, std::string_view(f), options);
  }
  if (count == 1 && out.size() == start) out += "\"\"";  // not a blank line
  out.push_back('\n');
}

/// Appends one value as a field: see the top of this file.
inline void append_csv_value(std::string& out, const value& v,
                             const csv_write_options& options = {}) {
  if (v.is_text())
    append_csv_field(out, v.as_text(), options);
  else
    clean::format_value(v, out);
}

/// Appends a row of values and its line end "\n".
inline void append_csv_values(std::string& out, std::span<const value> values,
                              const csv_write_options& options = {}) {
  const std::size_t start = out.size();
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out.push_back(options.delimiter);
    append_csv_value(out, values[i], options);
  }
  if (values.size() == 1 && out.size() == start) out += "\"\"";  // not a blank line
  out.push_back('\n');
}

}  // namespace riptide::io
