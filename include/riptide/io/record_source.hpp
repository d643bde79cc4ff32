// riptide/io/record_source.hpp: the records of a file (or standard input) as a source that can be
// read more than once: source(on_record) reads the whole input and calls on_record(record_view)
// for each record, as many times as it is called (riptide::replay reads once per pass).
//
// The format is the caller's choice or io/format.hpp's rule (extension, else the first non-blank
// byte). Standard input ("-") cannot be read twice: with `keep_stdin` (the default) it is read into
// memory at construction, and every call reads that text; without, the source may be called once
// (a second call throws std::logic_error) and standard input streams through. format() tells the
// format in use (after the first call for unbuffered standard input).
//
// Example:
//   riptide::io::record_source source{"data/telco_customer_churn_score_data.csv"};
//   long records = 0;
//   for (int pass = 0; pass < 2; ++pass)
//     source([&records](const riptide::io::record_view&) { ++records; });
//   if (records != 2 * 411 || source.format() != riptide::io::format::csv) std::abort();
#pragma once

#include <iostream>
#include <iterator>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

#include "riptide/io/csv.hpp"
#include "riptide/io/format.hpp"
#include "riptide/io/jsonl.hpp"

namespace riptide::io {

class record_source {
 public:
  explicit record_source(std::string path, std::optional<io::format> choice = std::nullopt,
                         bool keep_stdin = true)
      : path_(std::move(path)), format_(choice) {
    if (path_ == "-" && keep_stdin) {
      text_ = std::make_shared<const std::string>(std::istreambuf_iterator<char>(std::cin),
                                                  std::istreambuf_iterator<char>());
      if (!format_) format_ = sniff_format(*text_);
    } else if (!format_ && path_ != "-") {
      format_ = detect_format(path_);
    }
  }

  /// Reads every record once, calling on_record(const record_view&) for each.
  template <class F>
  void operator()(F&& on_record) const {
    const auto each = [&on_record](auto&& reader) {
      for (const auto& rec : reader) on_record(rec);
    };
    if (text_) {
      if (*format_ == io::format::jsonl)
        each(read_jsonl_text(*text_));
      else
        each(read_csv_text(*text_));
      return;
    }
    if (path_ == "-" && read_once_)
      throw std::logic_error("record_source: standard input was read already (keep_stdin)");
    read_once_ = true;
    auto reader = open_reader(path_, format_);
    if (!format_)
      format_ = std::holds_alternative<jsonl_reader>(reader) ? io::format::jsonl : io::format::csv;
    std::visit(each, reader);
  }

  const std::string& path() const noexcept { return path_; }
  /// The format in use (csv until known, for unbuffered standard input not yet read).
  io::format format() const noexcept { return format_.value_or(io::format::csv); }

 private:
  std::string path_;
  mutable std::optional<io::format> format_;
  std::shared_ptr<const std::string> text_;
  mutable bool read_once_ = false;
};

}  // namespace riptide::io
