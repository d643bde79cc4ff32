// Fuzz target for the JSON Lines reader. The first input byte picks the chunk size and the batch
// size; the rest is the text. Checks, beyond not crashing: reading with On-Demand first (the
// default) yields the same records (fields, errors and messages) as simdjson's DOM parser line by
// line, so do reading in DOM batches (parse_many), reading in chunks, reading simdjson's
// documents through dom::element instead of its tape, and finding a batch's line ends with the
// portable kernel instead of the best SIMD one; and every record's raw bytes are the input's at
// its offset.
#include <cstdlib>
#include <cstring>
#include <memory>
#include <riptide/io/jsonl.hpp>
#include <string>
#include <vector>

#include "fuzz_target.hpp"

namespace {

struct seen {
  std::vector<std::pair<std::string, std::string>> fields;
  std::uint64_t line, offset, index;
  std::string raw;
  riptide::io::error_code error;
  std::string message;
  bool operator==(const seen&) const = default;
};

std::vector<seen> read_all(riptide::io::jsonl_reader reader, const std::string& text) {
  std::vector<seen> out;
  for (const auto& r : reader) {
    seen s{{},      r.where.line,          r.where.byte_offset, r.where.index, std::string(r.raw),
           r.error, std::string(r.message)};
    for (std::size_t i = 0; i < r.fields.size(); ++i)
      if (r.fields[i].kind != riptide::io::field_kind::missing) {
        char number[32];
        s.fields.emplace_back(r.columns->name(i),
                              std::string(riptide::io::text_of(r.fields[i], number)));
      }
    if (r.error != riptide::io::error_code::too_large &&
        r.error != riptide::io::error_code::io_error &&
        text.compare(r.where.byte_offset, r.raw.size(), r.raw) != 0)
      std::abort();
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace

RIPTIDE_FUZZ_TARGET(jsonl) {
  if (size == 0) return 0;
  const std::size_t chunk = 1 + data[0] % 64;
  const std::size_t batch = std::size_t{1} << (data[0] / 64 * 4);  // 1, 16, 256, 4096 bytes
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  riptide::io::jsonl_options line_by_line;  // simdjson's DOM parser, one line at a time
  line_by_line.on_demand = false;
  line_by_line.batch_bytes = 0;
  const auto whole = read_all(riptide::io::read_jsonl_text(text, line_by_line), text);
  // The default: On-Demand first, the DOM parser for the lines it gives up on.
  if (read_all(riptide::io::read_jsonl_text(text), text) != whole) std::abort();
  riptide::io::jsonl_options on_demand_batches;  // On-Demand in small iterate_many batches
  on_demand_batches.batch_bytes = batch;
  if (read_all(riptide::io::read_jsonl_text(text, on_demand_batches), text) != whole) std::abort();
  riptide::io::jsonl_options elements;  // simdjson's DOM read through dom::element, not its tape
  elements.element_walk = true;
  elements.batch_bytes = batch;
  if (read_all(riptide::io::read_jsonl_text(text, elements), text) != whole) std::abort();
  riptide::io::jsonl_options small_batches;  // the DOM parser's parse_many batches
  small_batches.on_demand = false;
  small_batches.batch_bytes = batch;
  if (read_all(riptide::io::read_jsonl_text(text, small_batches), text) != whole) std::abort();
  small_batches.newlines = riptide::io::newline_kernel::portable;  // line ends found by memchr
  if (read_all(riptide::io::read_jsonl_text(text, small_batches), text) != whole) std::abort();
  auto pos = std::make_shared<std::size_t>(0);
  auto source = std::make_unique<riptide::io::callback_source>(
      [&text, chunk, pos](char* dst, std::size_t capacity) {
        const std::size_t n = std::min({chunk, capacity, text.size() - *pos});
        std::memcpy(dst, text.data() + *pos, n);
        *pos += n;
        return n;
      },
      "<text>");
  riptide::io::jsonl_options opts;
  opts.chunk_bytes = chunk;
  opts.batch_bytes = batch;
  if (read_all(riptide::io::read_jsonl(std::move(source), opts), text) != whole) std::abort();
  return 0;
}
