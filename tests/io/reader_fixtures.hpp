// tests/io/reader_fixtures.hpp: what the reader tests (csv_test, jsonl_test) share: an owned
// snapshot of a record's provenance and error fields, a source that hands text out in chunks,
// collecting a reader's records, and a generator gluing generated parts into one text.
#pragma once

#include <rapidcheck.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <ostream>
#include <riptide/io/record.hpp>
#include <riptide/io/source.hpp>
#include <string>
#include <utility>
#include <vector>

namespace riptide::test {

/// Everything a record says besides its fields, owned, for comparisons.
struct record_facts {
  std::string source;
  std::uint64_t line = 0, offset = 0, index = 0;
  std::string raw;
  io::error_code error = io::error_code::none;
  std::int64_t error_field = -1;
  std::string message;
  bool operator==(const record_facts&) const = default;

  explicit record_facts(const io::record_view& r)
      : source(r.where.source),
        line(r.where.line),
        offset(r.where.byte_offset),
        index(r.where.index),
        raw(r.raw),
        error(r.error),
        error_field(r.error_field),
        message(r.message) {}
  record_facts() = default;
};

inline std::ostream& operator<<(std::ostream& os, const record_facts& r) {
  return os << "line " << r.line << " @" << r.offset << " #" << r.index << " "
            << io::to_string(r.error) << " f" << r.error_field << " raw<" << r.raw << "> "
            << r.message;
}

/// A source handing out `text` at most `chunk` bytes per read (so that records straddle reads),
/// named "<text>" as io::memory_source is.
inline std::unique_ptr<io::callback_source> chunked_source(std::string text, std::size_t chunk) {
  auto pos = std::make_shared<std::size_t>(0);
  return std::make_unique<io::callback_source>(
      [text = std::move(text), chunk, pos](char* dst, std::size_t capacity) {
        const std::size_t n = std::min({chunk, capacity, text.size() - *pos});
        std::memcpy(dst, text.data() + *pos, n);
        *pos += n;
        return n;
      },
      "<text>");
}

/// Every record of `reader`, as snap(record) makes it.
template <class Reader, class Snap>
auto collect(Reader reader, Snap snap) {
  std::vector<decltype(snap(std::declval<const io::record_view&>()))> out;
  for (const auto& r : reader) out.push_back(snap(r));
  return out;
}

/// Texts made by concatenating generated parts.
inline rc::Gen<std::string> joined(rc::Gen<std::vector<std::string>> parts) {
  return rc::gen::map(std::move(parts), [](const std::vector<std::string>& ps) {
    std::string s;
    for (const auto& p : ps) s += p;
    return s;
  });
}

}  // namespace riptide::test
