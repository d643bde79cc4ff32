// Fuzz target for the CSV reader. The first input byte picks the options (header, delimiter,
// quote leniency, chunk size); the rest is the CSV text. Checks, beyond not crashing:
//  - the fast (indexed) path and the exact state machine yield the same records;
//  - reading the text in chunks yields the same records as reading it whole;
//  - records tile the input: each lies after the previous one, its raw bytes are the input's.
#include <cstdlib>
#include <cstring>
#include <memory>
#include <riptide/io/csv.hpp>
#include <string>
#include <vector>

#include "fuzz_target.hpp"

namespace {

struct seen {
  std::vector<std::string> fields;
  std::uint64_t line, offset, index;
  std::string raw;
  riptide::io::error_code error;
  std::int64_t error_field;
  bool operator==(const seen&) const = default;
};

std::vector<seen> read_all(riptide::io::csv_reader reader, const std::string& text) {
  std::vector<seen> out;
  std::uint64_t next_free = 0;
  for (const auto& r : reader) {
    seen s{{},      r.where.line, r.where.byte_offset, r.where.index, std::string(r.raw),
           r.error, r.error_field};
    for (const auto& f : r.fields) s.fields.emplace_back(f.text);
    if (r.error != riptide::io::error_code::io_error &&
        (r.where.byte_offset < next_free ||
         text.compare(r.where.byte_offset, r.raw.size(), r.raw) != 0))
      std::abort();
    next_free = r.where.byte_offset + r.raw.size();
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace

RIPTIDE_FUZZ_TARGET(csv) {
  if (size == 0) return 0;
  const std::uint8_t knobs = data[0];
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  riptide::io::csv_options opts;
  opts.header = (knobs & 1) != 0;
  constexpr char delimiters[] = {0, ',', ';', '\t'};
  opts.delimiter = delimiters[(knobs >> 1) & 3];
  opts.lenient_quotes = (knobs & 8) != 0;
  opts.index_bytes = (knobs & 16) != 0 ? 64 : std::size_t{64} << 10;
  const std::size_t chunk = 1 + (knobs >> 5);

  const auto fast = read_all(riptide::io::read_csv_text(text, opts), text);
  auto exact_opts = opts;
  exact_opts.scan = riptide::io::scan_mode::exact;
  if (read_all(riptide::io::read_csv_text(text, exact_opts), text) != fast) std::abort();
  auto scalar_opts = opts;  // the portable kernel agrees with the one the CPU picked
  scalar_opts.scan = riptide::io::scan_mode::scalar;
  if (read_all(riptide::io::read_csv_text(text, scalar_opts), text) != fast) std::abort();

  auto pos = std::make_shared<std::size_t>(0);
  auto source = std::make_unique<riptide::io::callback_source>(
      [&text, chunk, pos](char* dst, std::size_t capacity) {
        const std::size_t n = std::min({chunk, capacity, text.size() - *pos});
        std::memcpy(dst, text.data() + *pos, n);
        *pos += n;
        return n;
      },
      "<text>");
  auto chunked_opts = opts;
  chunked_opts.chunk_bytes = chunk;
  if (read_all(riptide::io::read_csv(std::move(source), chunked_opts), text) != fast) std::abort();
  return 0;
}
