// riptide/io/location.hpp: where a record came from, carried by every record and every error.
#pragma once

#include <cstdint>
#include <string_view>

namespace riptide::io {

/// Provenance of one record in its source.
///  - source: file name, "<stdin>", or a name the caller gave; it points into storage owned by
///    the reader (valid while the reader lives; io::record copies it).
///  - line: 1-based line number of the record's first byte.
///  - byte_offset: 0-based offset of the record's first byte in the source.
///  - index: 0-based position of the record among all records the reader yielded, good and bad.
struct location {
  std::string_view source;
  std::uint64_t line = 0;
  std::uint64_t byte_offset = 0;
  std::uint64_t index = 0;
};

}  // namespace riptide::io
