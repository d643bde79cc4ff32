// riptide/io/format.hpp: the one rule that says whether an input is CSV or JSON Lines, and one
// call that opens either reader.
//
// The rule (detect_format):
//  1. the extension, in any case: .jsonl, .ndjson and .json are JSON Lines; .csv, .tsv and .txt
//     are CSV;
//  2. otherwise (no extension, another one, standard input) the content: JSON Lines when the
//     first byte that is not blank (space, tab, CR, LF), after an optional UTF-8 byte order mark,
//     is '{'; CSV otherwise (an empty or all-blank input too).
// A regular file is peeked (its first bytes read through a descriptor of its own), so that the
// reader opened afterwards still reads it from the start. Standard input ("-"), a pipe or a FIFO
// cannot be peeked without consuming what is read: detect_format throws std::invalid_argument for
// them when the extension says nothing. The caller that reads them buffers their first bytes
// itself and asks sniff_format(those bytes); open_reader and with_reader do exactly that, and
// hand the buffered bytes to the reader ahead of the rest (prefixed_source).
//
// parse_format reads a --format option: "csv", "jsonl" or "auto" (nullopt: detect); anything
// else throws std::invalid_argument with a message naming the choices.
//
// Opening (the choice made here): open_reader returns a std::variant of the two readers
// (any_reader), built by the same factory functions a caller would use (io::read_csv,
// io::read_jsonl, with their options), so a caller may open first (and tell an unopenable input
// from its own errors) and std::visit later. with_reader(path, choice, f) is open_reader plus
// std::visit: f is called with a csv_reader& or a jsonl_reader& and must return the same type
// for both.
//
// Example:
//   using riptide::io::format;
//   if (riptide::io::format_from_extension("events.NDJSON") != format::jsonl ||
//       riptide::io::sniff_format("\xEF\xBB\xBF \n{\"a\": 1}\n") != format::jsonl ||
//       riptide::io::sniff_format("a,b\n1,2\n") != format::csv ||
//       riptide::io::parse_format("auto").has_value())
//     std::abort();
//   const auto columns = riptide::io::with_reader(
//       "data/telco_customer_churn_score_data.csv", std::nullopt,
//       [](auto& reader) { return reader.columns().size(); });
//   if (columns != 20) std::abort();  // the score data: the Telco columns but Churn
#pragma once

#include <sys/stat.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

#include "riptide/io/csv.hpp"
#include "riptide/io/jsonl.hpp"
#include "riptide/io/source.hpp"

namespace riptide::io {

enum class format { csv, jsonl };

inline constexpr std::string_view to_string(format f) noexcept {
  return f == format::jsonl ? "jsonl" : "csv";
}

/// A --format option: "csv", "jsonl", or "auto" (nullopt: detect_format decides).
inline std::optional<format> parse_format(std::string_view text) {
  if (text == "csv") return format::csv;
  if (text == "jsonl") return format::jsonl;
  if (text == "auto") return std::nullopt;
  throw std::invalid_argument("unknown format '" + std::string(text) +
                              "': expected csv, jsonl or auto");
}

/// What the extension says, if it says anything (rule 1 at the top of this file).
inline std::optional<format> format_from_extension(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  });
  if (ext == ".jsonl" || ext == ".ndjson" || ext == ".json") return format::jsonl;
  if (ext == ".csv" || ext == ".tsv" || ext == ".txt") return format::csv;
  return std::nullopt;
}

/// The content rule fed chunk by chunk (an input's first bytes may come in pieces): decided()
/// once the first byte after an optional BOM that is not blank was seen.
class format_sniffer {
 public:
  void feed(std::string_view bytes) noexcept {
    static constexpr std::string_view bom = "\xEF\xBB\xBF";
    for (const char c : bytes) {
      if (decided_) return;
      if (in_bom_ && seen_ < bom.size()) {
        if (c == bom[seen_]) {
          ++seen_;
          continue;
        }
        in_bom_ = false;
        if (seen_ > 0) return decide(format::csv);  // a broken BOM: its first byte is not blank
      }
      in_bom_ = false;
      ++seen_;
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
      decide(c == '{' ? format::jsonl : format::csv);
    }
  }
  bool decided() const noexcept { return decided_; }
  /// The format (CSV while nothing telling was seen: an empty or all-blank input).
  format result() const noexcept { return result_; }

 private:
  void decide(format f) noexcept {
    result_ = f;
    decided_ = true;
  }
  std::size_t seen_ = 0;
  bool in_bom_ = true;
  bool decided_ = false;
  format result_ = format::csv;
};

/// The content rule (rule 2 at the top of this file) on an input's first bytes.
inline format sniff_format(std::string_view first_bytes) {
  format_sniffer s;
  s.feed(first_bytes);
  return s.result();
}

namespace detail {

inline bool peekable(const std::filesystem::path& path) {
  if (path == "-") return false;
  struct stat st {};
  return ::stat(path.c_str(), &st) != 0 || S_ISREG(st.st_mode);  // missing: the open will say
}

}  // namespace detail

/// The rule at the top of this file for a file path. Throws std::invalid_argument for standard
/// input, a pipe or a FIFO whose name has no telling extension (they cannot be peeked: see the
/// top), std::system_error when a file to peek cannot be opened.
inline format detect_format(const std::filesystem::path& path) {
  if (path != "-")
    if (const auto f = format_from_extension(path)) return *f;
  if (!detail::peekable(path))
    throw std::invalid_argument(
        (path == "-" ? std::string("standard input") : path.string()) +
        ": the format cannot be peeked without reading the input; pass its first bytes to "
        "sniff_format, or open it with open_reader");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::system_error(errno, std::generic_category(), "cannot open " + path.string());
  format_sniffer sniffer;
  char chunk[4096];
  while (!sniffer.decided() && (in.read(chunk, sizeof chunk), in.gcount() > 0))
    sniffer.feed({chunk, static_cast<std::size_t>(in.gcount())});
  return sniffer.result();
}

/// A source that yields `prefix` (bytes already read from `rest`) and then the rest: how an input
/// that cannot be peeked is handed to a reader after its first bytes were sniffed.
class prefixed_source final : public byte_source {
 public:
  prefixed_source(std::string prefix, std::unique_ptr<byte_source> rest)
      : prefix_(std::move(prefix)), rest_(std::move(rest)) {}
  read_result read(char* dst, std::size_t capacity) override {
    if (at_ < prefix_.size()) {
      const std::size_t n = std::min(capacity, prefix_.size() - at_);
      std::memcpy(dst, prefix_.data() + at_, n);
      at_ += n;
      return {n, {}};
    }
    return rest_->read(dst, capacity);
  }
  std::string name() const override { return rest_->name(); }

 private:
  std::string prefix_;
  std::size_t at_ = 0;
  std::unique_ptr<byte_source> rest_;
};

/// Either reader.
using any_reader = std::variant<csv_reader, jsonl_reader>;

/// Opens `path` ("-": standard input) as `choice` says, or (nullopt) as detect_format's rule
/// says, with the readers' own factories: io::read_csv(path, csv) and io::read_jsonl(path, jsonl)
/// for a path or a format known beforehand; an input that cannot be peeked is read up to its
/// first telling byte (or its end) and handed on through a prefixed_source. Throws what the
/// factories throw (std::system_error: cannot open; std::invalid_argument: bad options).
inline any_reader open_reader(const std::string& path, std::optional<format> choice,
                              csv_options csv = {}, jsonl_options jsonl = {}) {
  const auto open = [&](format f) -> any_reader {
    if (f == format::jsonl) return read_jsonl(path, std::move(jsonl));
    return read_csv(path, std::move(csv));
  };
  if (choice) return open(*choice);
  if (path != "-")
    if (const auto f = format_from_extension(path)) return open(*f);
  if (detail::peekable(path)) return open(detect_format(path));
  // Standard input, a pipe, a FIFO: read until the first telling byte, then hand the bytes on.
  auto source = open_read_source(path);
  std::string head;
  format_sniffer sniffer;
  char chunk[4096];
  while (!sniffer.decided()) {
    const auto r = source->read(chunk, sizeof chunk);
    if (r.bytes == 0) break;  // the end (or a failure, which the reader meets and reports)
    head.append(chunk, r.bytes);
    sniffer.feed({chunk, r.bytes});
  }
  auto prefixed = std::make_unique<prefixed_source>(std::move(head), std::move(source));
  if (sniffer.result() == format::jsonl) return read_jsonl(std::move(prefixed), std::move(jsonl));
  return read_csv(std::move(prefixed), std::move(csv));
}

/// open_reader, then f(reader) with the csv_reader& or jsonl_reader& opened; returns what f
/// returns (the same type for both readers).
template <class F>
decltype(auto) with_reader(const std::string& path, std::optional<format> choice, F&& f,
                           csv_options csv = {}, jsonl_options jsonl = {}) {
  static_assert(std::is_same_v<std::invoke_result_t<F&, csv_reader&>,
                               std::invoke_result_t<F&, jsonl_reader&>>,
                "with_reader: f must return the same type for both readers");
  auto reader = open_reader(path, choice, std::move(csv), std::move(jsonl));
  return std::visit(f, reader);
}

}  // namespace riptide::io
