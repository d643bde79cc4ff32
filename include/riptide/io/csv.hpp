// riptide/io/csv.hpp: a CSV reader (RFC 4180 and what real files do beyond it) as a range-v3
// input range of io::record_view.
//
// What it reads:
//  - quoted fields with embedded delimiters, doubled quotes ("") and line breaks;
//  - LF, CRLF and lone CR line ends (a field's own line breaks are kept as they are);
//  - a UTF-8 byte order mark at the start (skipped; byte offsets still count it);
//  - blank lines, skipped and counted (stats().blank_lines); a one-column file writes an empty
//    value as "" so that it is not a blank line;
//  - delimiter , ; \t or | (any single byte but the quote, CR and LF), by default detected from
//    the first line: the candidate occurring most often outside quotes (ties: , \t ; |);
//  - a header row (names trimmed of spaces and tabs; empty names become column_N, repeated names
//    get .1, .2, ... appended) or none (columns are column_1..column_N, N from the first record).
//
// What it never does is stop: every record that cannot be read is yielded as an error record
// (record_view::ok() false) carrying its location, the field index when known, a reason code and
// message, and its raw bytes, and reading goes on with the next record. Errors:
//  - field_count: a row whose field count differs from the header's (its fields are still split);
//  - unterminated_quote: a quoted field still open at end of input. The error record ends at the
//    end of the line where the quote opened, and reading resumes on the next line, so the good
//    records after a stray quote are still read;
//  - bad_quote: a quote inside an unquoted field (unless options.lenient_quotes) or text after a
//    closing quote; the error record ends at the end of that line;
//  - nul_byte, invalid_utf8: the record is split but flagged, error_field is the field holding the
//    first bad byte;
//  - too_large: a record grew past options.max_record_bytes in a chunked source (a file read by
//    path is one); the error record is its first line;
//  - io_error: the source failed while being read (the last record).
// Every byte of the input belongs to exactly one record, error record, blank line, header or line
// end, so nothing is lost.
//
// Provenance: record_view::where holds the source name, the 1-based line of the record's first
// byte, its byte offset and its index among yielded records (good and bad; the header is not a
// record). Lifetimes: see riptide/io/record.hpp (a view is valid until the iterator advances).
//
// Sources: read_csv(path) reads the file chunk by chunk with read(2) ("-" reads standard input),
// as do read_csv(istream) and read_csv(std::unique_ptr<byte_source>) (records may straddle chunks;
// any chunk size gives the same records); read_csv_text(string) reads a string it owns.
// Construction throws (std::system_error, std::invalid_argument) only for setup mistakes: a file
// that cannot be opened, a bad delimiter.
//
// Speed: the structural scan runs 64 bytes at a time (riptide/io/csv_scan.hpp), with AVX-512 or
// AVX2 when the CPU has it and a portable path otherwise (options.scan selects one explicitly),
// over small batches (options.index_bytes) so that the walk finds the bytes still in L1 (the SIMD
// kernels prefetch the next batches into L2 meanwhile). NUL and UTF-8 checks run once per batch.
// A record of the expected field count is then one check (the index's line-end bits tell its
// delimiters from its line end) and one cut of its field texts from its index entries, with no
// per-field branch (eight fields a step with AVX-512, four with AVX2), into a buffer reused by
// every record.
//
// Example:
//   std::size_t good = 0, bad = 0;
//   auto reader = riptide::io::read_csv_text("id,name\n1,\"Smith, J.\"\n2\n3,Ann\n");
//   for (const riptide::io::record_view& r : reader) {
//     if (r.ok()) ++good; else ++bad;  // line 3 is ragged: an error record, reading goes on
//   }
//   if (good != 2 || bad != 1 || reader.columns().name(1) != "name") std::abort();
#pragma once

#include <simdjson.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <istream>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "riptide/io/csv_scan.hpp"
#include "riptide/io/reader_stats.hpp"
#include "riptide/io/record.hpp"
#include "riptide/io/record_range.hpp"
#include "riptide/io/source.hpp"

namespace riptide::io {

struct csv_options {
  char delimiter = 0;           // 0: detect from the first line among , ; \t |
  bool header = true;           // the first record names the columns
  char quote = '"';             // the quote character
  bool lenient_quotes = false;  // true: a quote inside an unquoted field is a plain character
  std::size_t max_record_bytes = std::size_t{64} << 20;     // chunked sources: too_large beyond
  std::size_t chunk_bytes = buffered_input::default_chunk;  // read size for chunked sources
  scan_mode scan = scan_mode::automatic;                    // structural scanner
  std::size_t index_bytes = std::size_t{4} << 10;  // bytes indexed at a time (L1-sized: the walk
                                                   // reads them right after the scan)
  std::string source_name;  // overrides the source's name in locations when not empty
};

/// Counts over what a reader has read so far (riptide/io/reader_stats.hpp).
using csv_stats = reader_stats;

namespace detail {

inline std::string_view trim_blanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

/// Line breaks in [p, p+n): LF, CR and CRLF count once each.
inline std::uint64_t count_line_breaks(const char* p, std::size_t n) {
  std::uint64_t count = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (p[i] == '\n') {
      ++count;
    } else if (p[i] == '\r') {
      ++count;
      if (i + 1 < n && p[i + 1] == '\n') ++i;
    }
  }
  return count;
}

/// Delimiter of the first line: the candidate seen most often outside quotes.
inline char detect_delimiter(std::string_view line, char quote) {
  constexpr char candidates[] = {',', '\t', ';', '|'};
  std::size_t counts[4] = {0, 0, 0, 0};
  bool quoted = false;
  for (const char c : line) {
    if (c == quote) quoted = !quoted;
    if (quoted) continue;
    for (int k = 0; k < 4; ++k)
      if (c == candidates[k]) ++counts[k];
  }
  int best = 0;
  for (int k = 1; k < 4; ++k)
    if (counts[k] > counts[best]) best = k;
  return candidates[best];
}

// The object layout of std::string_view, for the AVX-512 batch cut below, which writes a field's
// text as one 16-byte store: 1 when it is {size, data} (libstdc++), 2 when {data, size} (libc++),
// 0 when neither (the cut then stays scalar). Checked once on a real string_view.
inline int string_view_layout() noexcept {
  static const int layout = [] {
    if constexpr (sizeof(std::string_view) != 2 * sizeof(std::uint64_t) ||
                  !std::is_trivially_copyable_v<std::string_view> ||
                  !std::is_trivially_copyable_v<field> || offsetof(field, text) != 0) {
      return 0;
    } else {
      static const char probe[2] = {'x', 0};
      const std::string_view view(probe, 1);
      std::uint64_t words[2];
      std::memcpy(words, &view, sizeof words);
      const auto data = reinterpret_cast<std::uintptr_t>(probe);
      if (words[0] == 1 && words[1] == data) return 1;
      if (words[0] == data && words[1] == 1) return 2;
      return 0;
    }
  }();
  return layout;
}

#if defined(__x86_64__)
// The texts of a record's `count` fields (as csv_state::cut_record), four at a time: starts
// (previous entry + 1; the first is the record's start `from`) and lengths computed in 32-bit
// lanes, widened, paired into string_view representations and stored 16 bytes per field. `pos`
// holds the record's index entries, offsets from d + base. Writes fields up to `count` rounded up
// to 4 (`out` has room; positions has slack). `layout` is string_view_layout() (1 or 2).
__attribute__((target("avx2"))) inline void cut_record_avx2(const char* d, std::size_t base,
                                                            std::uint32_t from,
                                                            const std::uint32_t* pos,
                                                            std::size_t count, field* out,
                                                            int layout) noexcept {
  const __m256i origin =
      _mm256_set1_epi64x(static_cast<long long>(reinterpret_cast<std::uintptr_t>(d + base)));
  const __m128i one = _mm_set1_epi32(1);
  // Entry "-1" is the byte before the record (offsets are 32-bit: -1 + 1 wraps to 0).
  __m128i previous = _mm_set1_epi32(static_cast<int>(from - 1));
  for (std::size_t k = 0; k < count; k += 4) {
    const __m128i ends = _mm_loadu_si128(reinterpret_cast<const __m128i*>(pos + k));
    const __m128i starts = _mm_add_epi32(_mm_alignr_epi8(ends, previous, 12), one);
    previous = ends;
    const __m256i data = _mm256_add_epi64(_mm256_cvtepu32_epi64(starts), origin);
    const __m256i size = _mm256_cvtepu32_epi64(_mm_sub_epi32(ends, starts));
    const __m256i first = layout == 1 ? size : data;
    const __m256i second = layout == 1 ? data : size;
    const __m256i even = _mm256_unpacklo_epi64(first, second);  // fields k, k + 2
    const __m256i odd = _mm256_unpackhi_epi64(first, second);   // fields k + 1, k + 3
    field* f = out + k;
    _mm_storeu_si128(reinterpret_cast<__m128i*>(f + 0), _mm256_castsi256_si128(even));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(f + 1), _mm256_castsi256_si128(odd));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(f + 2), _mm256_extracti128_si256(even, 1));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(f + 3), _mm256_extracti128_si256(odd, 1));
  }
}

// cut_record_avx2 eight fields at a time (writes up to `count` rounded up to 8); it runs with the
// AVX-512 scanner, whose level (simd::avx512_vbmi2, csv_scan.hpp) holds its VL. The maskz
// intrinsics avoid GCC 12's false -Wmaybe-uninitialized in the unmasked ones.
__attribute__((target("avx512f,avx512vl"))) inline void cut_record_avx512(
    const char* d, std::size_t base, std::uint32_t from, const std::uint32_t* pos,
    std::size_t count, field* out, int layout) noexcept {
  const __m512i origin =
      _mm512_set1_epi64(static_cast<long long>(reinterpret_cast<std::uintptr_t>(d + base)));
  const __m256i one = _mm256_set1_epi32(1);
  // Entry "-1" is the byte before the record (offsets are 32-bit: -1 + 1 wraps to 0).
  __m256i previous = _mm256_set1_epi32(static_cast<int>(from - 1));
  for (std::size_t k = 0; k < count; k += 8) {
    const __m256i ends = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(pos + k));
    const __m256i starts = _mm256_add_epi32(_mm256_alignr_epi32(ends, previous, 7), one);
    previous = ends;
    const __m512i data = _mm512_add_epi64(_mm512_maskz_cvtepu32_epi64(0xFF, starts), origin);
    const __m512i size = _mm512_maskz_cvtepu32_epi64(0xFF, _mm256_sub_epi32(ends, starts));
    const __m512i first = layout == 1 ? size : data;
    const __m512i second = layout == 1 ? data : size;
    const __m512i even = _mm512_maskz_unpacklo_epi64(0xFF, first, second);  // k, k+2, k+4, k+6
    const __m512i odd = _mm512_maskz_unpackhi_epi64(0xFF, first, second);   // k+1, k+3, ...
    field* f = out + k;
#define RIPTIDE_CSV_STORE_FIELD(i, v, lane)             \
  _mm_storeu_si128(reinterpret_cast<__m128i*>(f + (i)), \
                   _mm512_maskz_extracti32x4_epi32(0xF, (v), (lane)))
    RIPTIDE_CSV_STORE_FIELD(0, even, 0);
    RIPTIDE_CSV_STORE_FIELD(1, odd, 0);
    RIPTIDE_CSV_STORE_FIELD(2, even, 1);
    RIPTIDE_CSV_STORE_FIELD(3, odd, 1);
    RIPTIDE_CSV_STORE_FIELD(4, even, 2);
    RIPTIDE_CSV_STORE_FIELD(5, odd, 2);
    RIPTIDE_CSV_STORE_FIELD(6, even, 3);
    RIPTIDE_CSV_STORE_FIELD(7, odd, 3);
#undef RIPTIDE_CSV_STORE_FIELD
  }
}
#endif

/// The reader's state, shared by copies of the range (an input range: one pass).
class csv_state {
 public:
  csv_state(std::unique_ptr<byte_source> source, csv_options options)
      : options_(std::move(options)), in_(std::move(source), options_.chunk_bytes) {
    if (!options_.source_name.empty()) in_.set_name(options_.source_name);
    if (options_.delimiter != 0 && (options_.delimiter == options_.quote ||
                                    options_.delimiter == '\n' || options_.delimiter == '\r'))
      throw std::invalid_argument("csv: the delimiter cannot be the quote or a line end");
    if (options_.quote == '\n' || options_.quote == '\r')
      throw std::invalid_argument("csv: the quote cannot be a line end");
    scanner_ = structural_scanner(options_.scan);
    if (scanner_.name() == "avx512" || scanner_.name() == "avx2") wide_cut_ = string_view_layout();
    avx512_cut_ = scanner_.name() == "avx512";
  }

  const record_view& current() const noexcept { return current_; }
  bool done() const noexcept { return done_; }
  const schema& columns() {
    start();
    return schema_;
  }
  const csv_stats& stats() const noexcept { return stats_; }
  char delimiter() {
    start();
    return delimiter_;
  }
  const std::string& source_name() const noexcept { return in_.name(); }

  /// Reads the header (once) and the first record.
  void start() {
    if (started_) return;
    started_ = true;
    // A header that is an error record is the first record yielded.
    if (!read_header()) advance();
  }

  /// Moves to the next record; done() when there is none. The common record is read inline
  /// (in the caller's loop); advance_slow (out of line) takes everything else.
  [[gnu::always_inline]] void advance() {
    if (read_fast()) return;
    advance_slow();
  }

 private:
  struct outcome {
    bool need_more = false;
    bool fallback = false;        // the fast path hands this record to parse_exact
    bool bytes_checked = false;   // no NUL or non-ASCII byte in the record (known from the index)
    std::size_t content_end = 0;  // window position after the record's last byte
    std::size_t next = 0;         // window position where the following line starts
    bool ended_with_cr = false;   // the record ended at a CR (a following LF belongs to it)
    std::uint64_t inner_lines = 0;
    error_code error = error_code::none;
    std::int64_t error_field = -1;
  };

  [[gnu::noinline]] void advance_slow() { done_ = !read_next(); }

  // --- Window management ---------------------------------------------------------------------

  // Makes at least `want` bytes from pos_ visible, unless the source ends first.
  void ensure(std::size_t want) {
    while (in_.window().size() - pos_ < want && !in_.at_end_of_source()) refill();
  }
  void refill() {
    in_.refill(pos_);
    pos_ = 0;
    index_valid_ = false;
  }

  // Skips the LF of a CRLF whose CR ended the previous line, and blank lines. Returns false at
  // end of input.
  bool skip_to_record() {
    for (;;) {
      ensure(1);
      const std::string_view w = in_.window();
      stats_.bytes = in_.window_offset() + pos_;
      if (pos_ >= w.size()) return false;
      const char c = w[pos_];
      if (after_cr_) {
        after_cr_ = false;
        if (c == '\n') {
          ++pos_;
          continue;
        }
      }
      if (c != '\n' && c != '\r') return true;
      ++stats_.blank_lines;
      stats_.lines = line_++;
      after_cr_ = c == '\r';
      ++pos_;
    }
  }

  // --- Header --------------------------------------------------------------------------------

  // Reads the header; true when it is an error record (then current).
  bool read_header() {
    ensure(3);
    const std::string_view w = in_.window();
    if (w.size() >= 3 && w.compare(0, 3, "\xEF\xBB\xBF") == 0) pos_ = 3;
    if (!skip_to_record()) {
      delimiter_ = options_.delimiter != 0 ? options_.delimiter : ',';
      return false;
    }
    if (options_.delimiter != 0) {
      delimiter_ = options_.delimiter;
    } else {
      // The first line must be visible to detect the delimiter.
      for (;;) {
        const std::string_view v = in_.window().substr(pos_);
        const auto eol = v.find_first_of("\r\n");
        if (eol != std::string_view::npos || in_.at_end_of_source() ||
            v.size() > options_.max_record_bytes) {
          delimiter_ = detect_delimiter(v.substr(0, eol), options_.quote);
          break;
        }
        refill();
      }
    }
    if (!options_.header) return false;
    if (!read_next(true)) return false;
    current_.where.index = 0;
    return true;
  }

  void set_columns(std::size_t count, bool from_header) {
    std::vector<std::string> names;
    names.reserve(count);
    std::vector<std::string> seen;
    for (std::size_t i = 0; i < count; ++i) {
      std::string name = from_header && i < fields_.size()
                             ? std::string(trim_blanks(fields_[i].text))
                             : std::string();
      if (name.empty()) name = "column_" + std::to_string(i + 1);
      const std::string base = name;
      for (int k = 1; std::find(names.begin(), names.end(), name) != names.end(); ++k)
        name = base + "." + std::to_string(k);
      names.push_back(std::move(name));
    }
    schema_ = schema(std::move(names));
    ncol_ = schema_.size();
    record_fields_.assign(ncol_ + 8, field{});  // cut_record writes whole groups of eight
    has_columns_ = true;
  }

  // --- Records -------------------------------------------------------------------------------

  // Reads one record into current_. Returns false at end of input. With `header`, the record
  // names the columns and is yielded only when it is an error (returns true then).
  [[gnu::noinline]] bool read_next(bool header = false) {
    if (!skip_to_record()) return emit_io_error();
    outcome o;
    for (;;) {
      const std::string_view w = in_.window();
      const bool eof = in_.at_end_of_source();
      const bool indexed = scanner_.available() && !options_.lenient_quotes;
      if (indexed) o = parse_indexed(w, eof);
      if (!indexed || o.fallback) {
        index_valid_ = false;
        o = parse_exact(w, eof);
      }
      if (!o.need_more) break;
      if (!eof && w.size() - pos_ > options_.max_record_bytes) {
        if (cut_too_large(o)) break;
      }
      if (eof) break;  // cannot happen: parse_exact never needs more at end of input
      refill();
    }
    finish_fields();
    const std::string_view w = in_.window();
    const std::string_view raw = w.substr(pos_, o.content_end - pos_);
    if (o.error == error_code::none && !o.bytes_checked) check_bytes(raw, o);
    if (header) {
      set_columns(fields_.size(), true);
    } else if (!has_columns_) {
      set_columns(fields_.size(), false);
    }
    if (o.error == error_code::none && fields_.size() != schema_.size()) {
      o.error = error_code::field_count;
      o.error_field = static_cast<std::int64_t>(std::min(fields_.size(), schema_.size()));
      message_ = "expected " + std::to_string(schema_.size()) + " fields, found " +
                 std::to_string(fields_.size());
    }

    current_plain_ = false;
    current_.columns = &schema_;
    current_.fields = std::span<const field>(fields_.data(), fields_.size());
    current_.where.source = in_.name();
    current_.where.line = line_;
    current_.where.byte_offset = in_.window_offset() + pos_;
    current_.raw = raw;
    current_.error = o.error;
    current_.error_field = o.error != error_code::none ? o.error_field : -1;
    current_.message =
        o.error != error_code::none ? std::string_view(message_) : std::string_view();

    line_ += 1 + o.inner_lines;
    after_cr_ = o.ended_with_cr;
    // The record's bytes stay in the window until the next read moves pos_ past them.
    pos_ = o.next;
    stats_.lines = line_ - 1;
    stats_.bytes = in_.window_offset() + pos_;
    if (header && o.error == error_code::none) return false;
    current_.where.index = stats_.records++;
    if (o.error != error_code::none) ++stats_.errors;
    return true;
  }

  bool emit_io_error() {
    if (in_.error().empty() || io_error_reported_) return false;
    io_error_reported_ = true;
    fields_.clear();
    message_ = in_.name() + ": " + in_.error();
    current_ = record_view{};
    current_plain_ = false;
    current_.columns = &schema_;
    current_.where = {in_.name(), line_, in_.window_offset() + pos_, stats_.records++};
    current_.error = error_code::io_error;
    current_.message = message_;
    ++stats_.errors;
    return true;
  }

  // A record grew past max_record_bytes in a chunked source: its first line becomes a
  // too_large error record. Returns false while that line itself is not complete.
  bool cut_too_large(outcome& o) {
    const std::string_view w = in_.window();
    const auto eol = w.find_first_of("\r\n", pos_);
    if (eol == std::string_view::npos) return false;
    fields_.clear();
    o = outcome{};
    o.content_end = eol;
    o.next = eol + 1;
    o.ended_with_cr = w[eol] == '\r';
    o.error = error_code::too_large;
    message_ = "record longer than " + std::to_string(options_.max_record_bytes) + " bytes";
    return true;
  }

  // NUL bytes and UTF-8 of a structurally sound record.
  void check_bytes(std::string_view raw, outcome& o) {
    if (const void* nul = std::memchr(raw.data(), 0, raw.size())) {
      o.error = error_code::nul_byte;
      o.error_field =
          field_at(static_cast<std::size_t>(static_cast<const char*>(nul) - raw.data()));
      message_ = "NUL byte in " + field_name(o.error_field);
      return;
    }
    bool ascii = true;
    for (const char c : raw) ascii &= static_cast<unsigned char>(c) < 0x80;
    if (ascii || simdjson::validate_utf8(raw.data(), raw.size())) return;
    o.error = error_code::invalid_utf8;
    o.error_field = 0;
    for (std::size_t k = 0; k < starts_.size(); ++k) {
      const std::size_t b = starts_[k];
      const std::size_t e = k + 1 < starts_.size() ? starts_[k + 1] - 1 : raw.size();
      if (!simdjson::validate_utf8(raw.data() + b, e - b)) {
        o.error_field = static_cast<std::int64_t>(k);
        break;
      }
    }
    message_ = "invalid UTF-8 in " + field_name(o.error_field);
  }

  // Index of the field whose raw bytes hold record position p.
  std::int64_t field_at(std::size_t p) const {
    const auto it = std::upper_bound(starts_.begin(), starts_.end(), p);
    return static_cast<std::int64_t>(it - starts_.begin()) - 1;
  }

  std::string field_name(std::int64_t k) const {
    std::string s = "field " + std::to_string(k + 1);
    if (k >= 0 && static_cast<std::size_t>(k) < schema_.size())
      s += " (" + schema_.name(static_cast<std::size_t>(k)) + ")";
    return s;
  }

  void begin_record() {
    fields_.clear();
    starts_.clear();
    scratch_.clear();
    patches_.clear();
  }

  // Fields unescaped into scratch_ point into it only once the record is complete (scratch_ may
  // grow meanwhile).
  void finish_fields() { finish_fields(fields_.data()); }
  void finish_fields(field* fields) {
    for (const auto& p : patches_)
      fields[p.field].text = std::string_view(scratch_.data() + p.offset, p.length);
  }

  // The line end at or after window position `from`: the end of an error record.
  outcome end_error_at_line_end(std::string_view w, std::size_t from, bool eof, outcome o) {
    const auto eol = w.find_first_of("\r\n", from);
    if (eol == std::string_view::npos) {
      if (!eof) return outcome{.need_more = true};
      o.content_end = o.next = w.size();
    } else {
      o.content_end = eol;
      o.next = eol + 1;
      o.ended_with_cr = w[eol] == '\r';
    }
    return o;
  }

  static outcome end_at(std::string_view w, std::size_t j, outcome o) {
    o.content_end = j;
    if (j >= w.size()) {
      o.next = j;
    } else {
      o.next = j + 1;
      o.ended_with_cr = w[j] == '\r';
    }
    return o;
  }

  // The exact state machine (RFC 4180 + line-end and error rules above). It is the reference
  // the fast path must agree with, and it handles what the fast path hands back.
  outcome parse_exact(std::string_view w, bool eof) {
    begin_record();
    const char* d = w.data();
    const std::size_t n = w.size();
    const char delim = delimiter_;
    const char quote = options_.quote;
    std::size_t i = pos_;
    outcome o;
    for (;;) {
      starts_.push_back(i - pos_);
      if (i >= n) {
        if (!eof) return outcome{.need_more = true};
        fields_.push_back({std::string_view(d + n, 0), field_kind::text});
        return end_at(w, n, o);
      }
      if (d[i] == quote) {
        const std::size_t open = i;
        std::size_t seg = ++i;
        bool escaped = false;
        const std::size_t scratch_begin = scratch_.size();
        for (;;) {
          const void* qv = i < n ? std::memchr(d + i, quote, n - i) : nullptr;
          if (qv == nullptr) {
            if (!eof) return outcome{.need_more = true};
            o.error = error_code::unterminated_quote;
            o.error_field = static_cast<std::int64_t>(fields_.size());
            message_ = "unterminated quote in " + field_name(o.error_field) + " (opened at byte " +
                       std::to_string(in_.window_offset() + open) + ")";
            return end_error_at_line_end(w, open + 1, eof, o);
          }
          const std::size_t q = static_cast<std::size_t>(static_cast<const char*>(qv) - d);
          if (q + 1 >= n && !eof) return outcome{.need_more = true};
          if (q + 1 < n && d[q + 1] == quote) {
            scratch_.append(d + seg, q + 1 - seg);
            escaped = true;
            i = q + 2;
            seg = i;
            continue;
          }
          o.inner_lines += count_line_breaks(d + open + 1, q - open - 1);
          if (escaped) {
            scratch_.append(d + seg, q - seg);
            patches_.push_back({fields_.size(), scratch_begin, scratch_.size() - scratch_begin});
            fields_.push_back({std::string_view(), field_kind::text});
          } else {
            fields_.push_back({std::string_view(d + open + 1, q - open - 1), field_kind::text});
          }
          i = q + 1;
          break;
        }
        if (i >= n) {
          finish_fields();
          return end_at(w, n, o);
        }
        if (d[i] == delim) {
          ++i;
          continue;
        }
        if (d[i] == '\n' || d[i] == '\r') {
          finish_fields();
          return end_at(w, i, o);
        }
        o.error = error_code::bad_quote;
        o.error_field = static_cast<std::int64_t>(fields_.size() - 1);
        message_ = "text after the closing quote of " + field_name(o.error_field);
        finish_fields();
        return end_error_at_line_end(w, i, eof, o);
      }
      std::size_t j = i;
      while (j < n) {
        const char c = d[j];
        if (c == delim || c == '\n' || c == '\r') break;
        if (c == quote && !options_.lenient_quotes) break;
        ++j;
      }
      if (j >= n) {
        if (!eof) return outcome{.need_more = true};
        fields_.push_back({std::string_view(d + i, n - i), field_kind::text});
        finish_fields();
        return end_at(w, n, o);
      }
      if (d[j] == quote && d[j] != delim) {
        o.error = error_code::bad_quote;
        o.error_field = static_cast<std::int64_t>(fields_.size());
        message_ = "quote inside unquoted " + field_name(o.error_field);
        fields_.push_back({std::string_view(d + i, j - i), field_kind::text});
        finish_fields();
        return end_error_at_line_end(w, j, eof, o);
      }
      fields_.push_back({std::string_view(d + i, j - i), field_kind::text});
      if (d[j] == delim) {
        i = j + 1;
        continue;
      }
      finish_fields();
      return end_at(w, j, o);
    }
  }

  // The common case, decided from the index alone: a record of exactly as many fields as the
  // schema has columns (delimiters, then a line end, all in the current index batch) whose bytes
  // the batch check already cleared and whose quotes (if any) are well formed. The field loop has
  // a fixed trip count and no data-dependent branch. A record that runs past the batch is read
  // after indexing a batch from its start; anything else (blank line, ragged row, bytes not yet
  // checked, odd quotes, a record past the window) returns false and read_next's general path
  // reads the record.
  [[gnu::always_inline]] bool read_fast() {
    if (!index_valid_ || ncol_ == 0) return false;
    const std::string_view w = in_.window();
    const char* d = w.data();
    std::size_t s = pos_;
    if (after_cr_ && s < w.size() && d[s] == '\n') ++s;
    const std::size_t ncol = ncol_;
    for (bool again = true;; again = false) {
      const std::uint32_t* positions = index_.positions.data();
      const std::size_t base = index_.begin;
      const std::size_t count = index_.count;
      std::size_t c = cursor_;
      while (c < count && base + positions[c] < s) ++c;
      const std::size_t last = c + ncol - 1;
      if (last < count) {
        // The record is entries c .. last when it starts in the batch and is exactly ncol
        // fields: its last entry is a line end and none before is (a blank line has its line end
        // at s).
        const std::size_t e = base + positions[last];
        if (s < base || e > checked_end_ || e == s || !index_.only_line_end_at(s, e)) return false;
        field* out = record_fields_.data();
        cut_record(d, s, c);
        std::uint64_t inner_lines = 0;
        if (index_.has_quote && index_.any_quote(s, e)) {
          scratch_.clear();
          patches_.clear();
          outcome o;
          if (!unquote_fields(out, ncol, d, o)) return false;
          finish_fields(out);
          inner_lines = o.inner_lines;
        }
        cursor_ = last + 1;
        if (!current_plain_) {
          // What every record read here shares; read_next's records set their own.
          current_.columns = &schema_;
          current_.where.source = in_.name();
          current_.error = error_code::none;
          current_.error_field = -1;
          current_.message = {};
          current_plain_ = true;
        }
        current_.fields = std::span<const field>(out, ncol);
        current_.where.line = line_;
        current_.where.byte_offset = in_.window_offset() + s;
        current_.where.index = stats_.records++;
        current_.raw = std::string_view(d + s, e - s);
        line_ += 1 + inner_lines;
        after_cr_ = d[e] == '\r';
        pos_ = e + 1;
        stats_.lines = line_ - 1;
        stats_.bytes = in_.window_offset() + pos_;
        return true;
      }
      // Past the batch: once, index a batch from the record's start while the window has bytes
      // past this one (else read_next refills).
      if (!again || index_.end >= w.size() || s < index_.begin || s >= index_.end ||
          index_.begin == s)
        return false;
      reindex(d, w.size(), s);
    }
  }

  // The texts of the fields of the record at window position s, entries c .. c + ncol - 1 of
  // the index (each field ends at its entry, the next starts after it), into record_fields_.
  // Only the texts are written: every CSV field is field_kind::text.
  [[gnu::always_inline]] void cut_record(const char* d, std::size_t s, std::size_t c) {
    const std::uint32_t* pos = index_.positions.data() + c;
    const auto from = static_cast<std::uint32_t>(s - index_.begin);
    field* out = record_fields_.data();
#if defined(__x86_64__)
    if (wide_cut_ != 0) {
      if (avx512_cut_) return cut_record_avx512(d, index_.begin, from, pos, ncol_, out, wide_cut_);
      return cut_record_avx2(d, index_.begin, from, pos, ncol_, out, wide_cut_);
    }
#endif
    const char* origin = d + index_.begin;
    std::uint32_t b = from;
    for (std::size_t k = 0; k < ncol_; ++k) {
      out[k].text = std::string_view(origin + b, pos[k] - b);
      b = pos[k] + 1;
    }
  }

  // The fast path: walks the structural index (csv_scan.hpp) of the window. It takes records
  // whose quotes are all well formed; anything else (quotes that do not check out, a record
  // running past the window or the index batch) is handed to parse_exact (returns fallback).
  outcome parse_indexed(std::string_view w, bool eof) {
    const char* d = w.data();
    const std::size_t n = w.size();
    const std::size_t s = pos_;
    const char delim = delimiter_;
    if (!index_valid_ || s < index_.begin || s >= index_.end) reindex(d, n, s);
    for (;;) {
      const std::uint32_t* positions = index_.positions.data();
      const std::size_t count = index_.count;
      const std::size_t base = index_.begin;
      std::size_t c = cursor_;
      while (c < count && base + positions[c] < s) ++c;
      fields_.clear();
      patches_.clear();
      std::size_t b = s;
      std::size_t e = 0;
      bool ended = false;
      while (c < count) {
        const std::size_t p = base + positions[c++];
        fields_.push_back({std::string_view(d + b, p - b), field_kind::text});
        if (d[p] != delim) {
          e = p;
          ended = true;
          break;
        }
        b = p + 1;
      }
      if (!ended && index_.end == n && eof && !index_.ends_inside_quote) {
        fields_.push_back({std::string_view(d + b, n - b), field_kind::text});
        e = n;
        ended = true;
      }
      if (!ended) {
        if (index_.begin != s) {
          reindex(d, n, s);
        } else if (index_.end < n && index_.end - index_.begin < max_index_bytes) {
          // A record longer than a batch: index a batch twice as long from its start.
          reindex(d, n, s, 2 * (index_.end - index_.begin));
        } else {
          return outcome{.fallback = true};
        }
        continue;
      }
      cursor_ = c;
      outcome o;
      if (e > checked_end_) {  // in a batch with a bad byte: the record's bytes are checked
        starts_.clear();
        for (const auto& f : fields_)
          starts_.push_back(static_cast<std::size_t>(f.text.data() - (d + s)));
        o.bytes_checked = false;
      } else {
        o.bytes_checked = true;
      }
      if (index_.any_quote(s, e)) {
        scratch_.clear();
        patches_.clear();
        if (!unquote_fields(d, o)) {
          index_valid_ = false;
          return outcome{.fallback = true};
        }
        finish_fields();
      }
      return end_at(w, e, o);
    }
  }

  [[gnu::noinline]] void reindex(const char* d, std::size_t n, std::size_t from,
                                 std::size_t bytes = 0) {
    bytes = std::max({bytes, options_.index_bytes, std::size_t{1}});
    in_.reading_at(from);  // a mapped file maps the bytes ahead in (source.hpp)
    scanner_.index(d, from, std::min(n, from + std::min(bytes, max_index_bytes)), delimiter_,
                   options_.quote, index_);
    index_valid_ = true;
    cursor_ = 0;
    check_batch_bytes(d);
  }

  // NUL bytes and UTF-8 for the whole batch at once (one SIMD pass instead of one per record):
  // records ending at or before checked_end_ need no check of their own. The checked span ends
  // after the batch's last ASCII byte, so no UTF-8 sequence is cut; records are separated by
  // ASCII line ends, so a valid span makes every record inside it valid. A batch with a bad byte
  // leaves checked_end_ at its start: its records are then checked one by one (and the bad one
  // named with its field).
  void check_batch_bytes(const char* d) {
    checked_end_ = index_.end;
    if (!index_.has_special) return;
    const char* b = d + index_.begin;
    std::size_t cut = index_.end - index_.begin;
    while (cut > 0 && static_cast<unsigned char>(b[cut - 1]) >= 0x80) --cut;
    if (std::memchr(b, 0, cut) == nullptr && simdjson::validate_utf8(b, cut))
      checked_end_ = index_.begin + cut;
    else
      checked_end_ = index_.begin;
  }

  // Strips the quotes of quoted fields (undoubling "" into scratch_); false when a field's
  // quotes are not well formed. The fields lie in the current index batch of window `w`: its
  // quote bits tell which fields have quotes, and its flag whether line breaks inside quotes
  // need counting.
  bool unquote_fields(const char* w, outcome& o) {
    return unquote_fields(fields_.data(), fields_.size(), w, o);
  }
  bool unquote_fields(field* fields, std::size_t count, const char* w, outcome& o) {
    const char quote = options_.quote;
    const bool breaks = index_.has_quoted_line_end;
    for (std::size_t k = 0; k < count; ++k) {
      const std::string_view raw = fields[k].text;
      const char* d = raw.data();
      const std::size_t len = raw.size();
      const auto where = static_cast<std::size_t>(d - w);  // window position
      if (len == 0 || d[0] != quote) {
        if (index_.any_quote(where, where + len)) return false;
        continue;
      }
      if (len < 2 || d[len - 1] != quote) return false;
      const char* inner = d + 1;
      const std::size_t inner_len = len - 2;
      if (breaks) o.inner_lines += count_line_breaks(inner, inner_len);
      if (!index_.any_quote(where + 1, where + 1 + inner_len)) {
        fields[k].text = std::string_view(inner, inner_len);
        continue;
      }
      const void* q = std::memchr(inner, quote, inner_len);
      const std::size_t scratch_begin = scratch_.size();
      std::size_t from = 0;
      while (q != nullptr) {
        const std::size_t at = static_cast<std::size_t>(static_cast<const char*>(q) - inner);
        if (at + 1 >= inner_len || inner[at + 1] != quote) return false;
        scratch_.append(inner + from, at + 1 - from);
        from = at + 2;
        q = from < inner_len ? std::memchr(inner + from, quote, inner_len - from) : nullptr;
      }
      scratch_.append(inner + from, inner_len - from);
      patches_.push_back({k, scratch_begin, scratch_.size() - scratch_begin});
    }
    return true;
  }

  struct patch {
    std::size_t field;
    std::size_t offset;
    std::size_t length;
  };

  static constexpr std::size_t max_index_bytes = std::size_t{1} << 31;  // positions are 32-bit

  csv_options options_;
  buffered_input in_;
  structural_scanner scanner_;
  int wide_cut_ = 0;         // string_view_layout() when records are cut with SIMD, else 0
  bool avx512_cut_ = false;  // the SIMD cut is cut_record_avx512 (else cut_record_avx2)
  structural_index index_;
  bool index_valid_ = false;
  std::size_t cursor_ = 0;       // next index entry to look at
  std::size_t checked_end_ = 0;  // window bytes of the batch cleared of NUL and bad UTF-8
  char delimiter_ = ',';
  schema schema_;
  bool has_columns_ = false;
  std::size_t ncol_ = 0;        // schema_.size()
  bool current_plain_ = false;  // current_ is a good record read by read_fast
  bool started_ = false;
  bool done_ = false;
  bool io_error_reported_ = false;
  bool after_cr_ = false;
  std::size_t pos_ = 0;
  std::uint64_t line_ = 1;
  csv_stats stats_;
  std::vector<field> fields_;
  std::vector<field> record_fields_;  // the fields of a record read by read_fast (cut_record)
  std::vector<std::size_t> starts_;
  std::vector<patch> patches_;
  std::string scratch_;
  std::string message_;
  record_view current_;
};

}  // namespace detail

/// A CSV source as a range-v3 input range of record_view (see the top of this file).
/// Copies share one reading position (it is an input range: one pass).
class csv_reader : public detail::record_range<detail::csv_state> {
 public:
  csv_reader() = default;
  csv_reader(std::unique_ptr<byte_source> source, csv_options options = {})
      : record_range(std::in_place, std::move(source), std::move(options)) {}

  /// The columns (reads the header if no record was read yet).
  const schema& columns() { return parser().columns(); }
  /// The delimiter in use (detected from the first line unless given).
  char delimiter() { return parser().delimiter(); }
};

/// Reads a CSV file chunk by chunk with read(2) (io::open_read_source: faster than a memory
/// mapping for one pass); "-" reads standard input.
inline csv_reader read_csv(const std::filesystem::path& path, csv_options options = {}) {
  return csv_reader(open_read_source(path), std::move(options));
}
/// Reads CSV from a stream, chunk by chunk; the stream must outlive the reader.
inline csv_reader read_csv(std::istream& in, csv_options options = {}) {
  return csv_reader(std::make_unique<istream_source>(in), std::move(options));
}
/// Reads CSV from any byte source (e.g. io::callback_source for pushed chunks).
inline csv_reader read_csv(std::unique_ptr<byte_source> source, csv_options options = {}) {
  return csv_reader(std::move(source), std::move(options));
}
/// Reads CSV text held in memory (the reader keeps its own copy).
inline csv_reader read_csv_text(std::string text, csv_options options = {}) {
  return csv_reader(std::make_unique<memory_source>(std::move(text)), std::move(options));
}

}  // namespace riptide::io
