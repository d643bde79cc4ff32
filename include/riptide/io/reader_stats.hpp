// riptide/io/reader_stats.hpp: what a reader has read so far, as counts.
//
// Every reader (CSV, JSON Lines) keeps one: records it yielded (good and bad), error records
// among them, skipped blank lines, lines and bytes consumed. With `records - errors` good
// records, the counts let a job check that nothing was lost.
//
// Example:
//   riptide::io::reader_stats s;
//   s.records = 10;
//   s.errors = 2;
//   if (s.good() != 8) std::abort();
#pragma once

#include <cstdint>

namespace riptide::io {

struct reader_stats {
  std::uint64_t records = 0;      // yielded, good and bad
  std::uint64_t errors = 0;       // error records among them
  std::uint64_t blank_lines = 0;  // skipped blank lines
  std::uint64_t lines = 0;        // lines read so far (header, blank and record lines)
  std::uint64_t bytes = 0;        // bytes consumed so far

  std::uint64_t good() const noexcept { return records - errors; }
};

}  // namespace riptide::io
