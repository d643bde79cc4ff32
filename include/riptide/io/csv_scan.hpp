// riptide/io/csv_scan.hpp: the structural scan of CSV text, 64 bytes at a time.
//
// For a block of up to 64 bytes, scan() returns one bit per byte for the quotes, the delimiters,
// the line ends (CR or LF) and the "special" bytes (NUL or >= 0x80, which need checking). The
// reader turns quote bits into "inside a quoted field" bits with a prefix XOR (prefix_xor) and so
// finds field and record ends without looking at bytes one by one: index() writes the positions
// of all delimiters and line ends outside quotes of a whole batch (as simdjson's stage 1 does),
// plus per-block quote and line-end bits, and the reader walks that index record by record. The
// index assumes well-formed quoting from its first byte; the reader checks every record that has
// quotes and re-parses anything suspicious exactly, so malformed input never yields wrong records.
// Three implementations give identical results: a portable scalar loop, an AVX2 one and an
// AVX-512 one (BW + VBMI2: compares into mask registers, positions flattened with vpcompressb),
// the SIMD ones compiled with __attribute__((target(...))) so the build baseline stays x86-64-v2;
// the best the CPU has is chosen at run time (best_scan_mode(), from riptide/simd/cpu.hpp's probe:
// the AVX-512 kernel needs simd::avx512_vbmi2, the AVX2 one simd::avx2_clmul) unless scan_mode
// says otherwise. index() also reports whether a batch holds any quote or special byte at all, so
// the reader can skip per-record checks of clean batches.
//
// Example:
//   riptide::io::structural_scanner scanner{riptide::io::scan_mode::scalar};
//   const auto m = scanner.scan("a,\"b\"\n", 6, ',', '"');
//   if (m.delimiter != 0b10 || m.quote != 0b10100 || m.line_end != 0b100000) std::abort();
//   if (riptide::io::prefix_xor(m.quote) != 0b01100) std::abort();
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string_view>
#include <vector>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include "riptide/simd/cpu.hpp"

namespace riptide::io {

/// Which structural scanner a reader uses.
///  - automatic: AVX-512 when the CPU has it (simd::avx512_vbmi2), else AVX2 (simd::avx2_clmul),
///    else scalar: best_scan_mode();
///  - scalar, avx2, avx512: that one (avx2 and avx512 throw std::invalid_argument on a CPU
///    without it);
///  - exact: no block scan at all, the byte-by-byte state machine only (the reference).
enum class scan_mode : std::uint8_t { automatic, scalar, avx2, exact, avx512 };

/// Bit i describes byte i of the block; bits past the block's length are 0.
struct block_masks {
  std::uint64_t quote = 0;
  std::uint64_t delimiter = 0;
  std::uint64_t line_end = 0;
  std::uint64_t special = 0;  // NUL bytes and bytes >= 0x80
};

/// Structural positions of window bytes [begin, end): delimiters and line ends outside quotes
/// (offsets from begin, in order), and per 64-byte block from begin its quote bits and its line
/// ends outside quotes (so a reader can tell a record's delimiters from its line end without
/// reading the bytes at the positions).
struct structural_index {
  std::vector<std::uint32_t> positions;
  std::vector<std::uint64_t> quote_bits;
  std::vector<std::uint64_t> line_end_bits;
  std::size_t begin = 0;
  std::size_t end = 0;
  std::size_t count = 0;             // valid entries in positions
  bool ends_inside_quote = false;    // the quote parity at `end` is odd
  bool has_quote = false;            // some quote byte lies in [begin, end)
  bool has_special = false;          // some NUL or non-ASCII byte lies in [begin, end)
  bool has_quoted_line_end = false;  // some CR or LF lies inside quotes in [begin, end)

  void reserve(std::size_t bytes) {
    const std::size_t blocks = (bytes + 63) / 64 + 1;
    if (positions.size() < blocks * 64 + 64) positions.resize(blocks * 64 + 64);
    if (quote_bits.size() < blocks) {
      quote_bits.resize(blocks);
      line_end_bits.resize(blocks);
    }
  }
  /// Whether any quote byte lies in window bytes [from, to), begin <= from <= to <= end.
  bool any_quote(std::size_t from, std::size_t to) const noexcept {
    return any(quote_bits, from, to);
  }
  /// Whether the only line end outside quotes in window bytes [from, at] is at `at` (the index
  /// alone tells, without reading the bytes).
  [[gnu::always_inline]] bool only_line_end_at(std::size_t from, std::size_t at) const noexcept {
    const std::size_t a = at - begin;
    return ((line_end_bits[a / 64] >> (a % 64)) & 1) != 0 && !any(line_end_bits, from, at);
  }

 private:
  // Inlined: the reader asks once per record.
  [[gnu::always_inline]] bool any(const std::vector<std::uint64_t>& bits, std::size_t from,
                                  std::size_t to) const noexcept {
    if (from >= to) return false;
    const std::size_t a = from - begin, b = to - begin;
    const std::size_t first = a / 64, last = (b - 1) / 64;
    const std::uint64_t* w = bits.data();
    const std::uint64_t head = ~std::uint64_t{0} << (a % 64);
    const std::uint64_t tail = ~std::uint64_t{0} >> (63 - (b - 1) % 64);
    if (first == last) return (w[first] & head & tail) != 0;
    std::uint64_t acc = (w[first] & head) | (w[last] & tail);
    for (std::size_t k = first + 1; k < last; ++k) acc |= w[k];
    return acc != 0;
  }
};

/// Bit i of the result is the XOR of bits 0..i: 1 from an opening quote up to (not including)
/// its closing quote.
constexpr std::uint64_t prefix_xor(std::uint64_t x) noexcept {
  x ^= x << 1;
  x ^= x << 2;
  x ^= x << 4;
  x ^= x << 8;
  x ^= x << 16;
  x ^= x << 32;
  return x;
}

namespace detail {

inline block_masks scan_block_scalar(const char* p, char delimiter, char quote) noexcept {
  block_masks m;
  for (int i = 0; i < 64; ++i) {
    const char c = p[i];
    const std::uint64_t bit = std::uint64_t{1} << i;
    if (c == quote) m.quote |= bit;
    if (c == delimiter) m.delimiter |= bit;
    if (c == '\n' || c == '\r') m.line_end |= bit;
    if (c == '\0' || static_cast<unsigned char>(c) >= 0x80) m.special |= bit;
  }
  return m;
}

// Appends the set bits of `bits` (offsets `base` + bit) to `out`; returns the new count.
inline std::size_t flatten_bits(std::uint64_t bits, std::uint32_t base, std::uint32_t* out,
                                std::size_t count) noexcept {
  while (bits != 0) {
    out[count++] = base + static_cast<std::uint32_t>(__builtin_ctzll(bits));
    bits &= bits - 1;
  }
  return count;
}

// Masks of the last, partial block: copied into a padded block, bits past `available` cleared.
template <class Scan>
inline block_masks scan_tail(Scan scan, const char* p, std::size_t available, char delimiter,
                             char quote) noexcept {
  alignas(64) char tail[64] = {};
  std::memcpy(tail, p, available);
  block_masks m = scan(tail, delimiter, quote);
  const std::uint64_t keep = (std::uint64_t{1} << available) - 1;
  m.quote &= keep;
  m.delimiter &= keep;
  m.line_end &= keep;
  m.special &= keep;
  return m;
}

inline void index_scalar(const char* d, std::size_t from, std::size_t to, char delimiter,
                         char quote, structural_index& out) noexcept {
  std::uint32_t* const positions = out.positions.data();
  std::uint64_t carry = 0, quotes = 0, specials = 0, quoted_line_ends = 0;
  std::size_t count = 0;
  std::size_t k = 0;
  std::uint64_t* const quote_bits = out.quote_bits.data();  // locals: no reload per block
  std::uint64_t* const line_end_bits = out.line_end_bits.data();
  for (std::size_t b = from; b < to; b += 64, ++k) {
    const block_masks m = to - b >= 64
                              ? scan_block_scalar(d + b, delimiter, quote)
                              : scan_tail(&scan_block_scalar, d + b, to - b, delimiter, quote);
    const std::uint64_t inside = prefix_xor(m.quote) ^ carry;
    carry = static_cast<std::uint64_t>(static_cast<std::int64_t>(inside) >> 63);
    quote_bits[k] = m.quote;
    line_end_bits[k] = m.line_end & ~inside;
    quotes |= m.quote;
    specials |= m.special;
    quoted_line_ends |= m.line_end & inside;
    count = flatten_bits((m.delimiter | m.line_end) & ~inside, static_cast<std::uint32_t>(b - from),
                         positions, count);
  }
  out.count = count;
  out.ends_inside_quote = carry != 0;
  out.has_quote = quotes != 0;
  out.has_special = specials != 0;
  out.has_quoted_line_end = quoted_line_ends != 0;
}

#if defined(__x86_64__)
// Bytes ahead of the block being indexed that the SIMD kernels prefetch: two 4 KiB batches.
inline constexpr std::size_t prefetch_distance = 8192;

__attribute__((target("avx2"))) inline std::uint64_t avx2_eq(__m256i lo, __m256i hi,
                                                             char c) noexcept {
  const __m256i v = _mm256_set1_epi8(c);
  const auto a = static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(lo, v)));
  const auto b = static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(hi, v)));
  return a | (std::uint64_t{b} << 32);
}

__attribute__((target("avx2"))) inline block_masks scan_block_avx2(const char* p, char delimiter,
                                                                   char quote) noexcept {
  const __m256i lo = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
  const __m256i hi = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32));
  block_masks m;
  m.quote = avx2_eq(lo, hi, quote);
  m.delimiter = avx2_eq(lo, hi, delimiter);
  m.line_end = avx2_eq(lo, hi, '\n') | avx2_eq(lo, hi, '\r');
  const auto high_lo = static_cast<std::uint32_t>(_mm256_movemask_epi8(lo));
  const auto high_hi = static_cast<std::uint32_t>(_mm256_movemask_epi8(hi));
  m.special = avx2_eq(lo, hi, '\0') | high_lo | (std::uint64_t{high_hi} << 32);
  return m;
}

__attribute__((target("avx2,pclmul,bmi"))) inline std::uint64_t prefix_xor_clmul(
    std::uint64_t x) noexcept {
  const __m128i all_ones = _mm_set1_epi8(static_cast<char>(0xFF));
  const __m128i r = _mm_clmulepi64_si128(_mm_set_epi64x(0, static_cast<long long>(x)), all_ones, 0);
  return static_cast<std::uint64_t>(_mm_cvtsi128_si64(r));
}

// flatten_bits without data-dependent branches for the common case (as simdjson's stage 1): writes
// 8 positions unconditionally (tzcnt of 0 is 64, the writes past the count are garbage that
// the next block overwrites; positions has 64 entries of slack), then the rest.
__attribute__((target("avx2,pclmul,bmi"))) inline std::size_t flatten_bits_unrolled(
    std::uint64_t bits, std::uint32_t base, std::uint32_t* out, std::size_t count) noexcept {
  const auto n = static_cast<std::size_t>(__builtin_popcountll(bits));
  std::uint32_t* p = out + count;
  for (int i = 0; i < 8; ++i) {
    p[i] = base + static_cast<std::uint32_t>(_tzcnt_u64(bits));
    bits = _blsr_u64(bits);
  }
  if (n > 8) {
    for (int i = 8; i < 16; ++i) {
      p[i] = base + static_cast<std::uint32_t>(_tzcnt_u64(bits));
      bits = _blsr_u64(bits);
    }
    if (n > 16) {
      std::size_t i = 16;
      while (bits != 0) {
        p[i++] = base + static_cast<std::uint32_t>(_tzcnt_u64(bits));
        bits = _blsr_u64(bits);
      }
    }
  }
  return count + n;
}

__attribute__((target("avx2,pclmul,bmi"))) inline void index_avx2(const char* d, std::size_t from,
                                                                  std::size_t to, char delimiter,
                                                                  char quote,
                                                                  structural_index& out) noexcept {
  std::uint64_t carry = 0, quotes = 0, specials = 0, quoted_line_ends = 0;
  std::size_t count = 0;
  std::size_t k = 0;
  std::uint64_t* const quote_bits = out.quote_bits.data();  // locals: no reload per block
  std::uint64_t* const line_end_bits = out.line_end_bits.data();
  std::uint32_t* const positions = out.positions.data();
  for (std::size_t b = from; b < to; b += 64, ++k) {
    // The next batch's bytes are fetched while this one is walked (hardware prefetchers stop
    // at page boundaries, and a batch is about a page).
    __builtin_prefetch(d + b + prefetch_distance, 0, 2);
    const block_masks m = to - b >= 64
                              ? scan_block_avx2(d + b, delimiter, quote)
                              : scan_tail(&scan_block_avx2, d + b, to - b, delimiter, quote);
    const std::uint64_t inside = prefix_xor_clmul(m.quote) ^ carry;
    carry = static_cast<std::uint64_t>(static_cast<std::int64_t>(inside) >> 63);
    quote_bits[k] = m.quote;
    line_end_bits[k] = m.line_end & ~inside;
    quotes |= m.quote;
    specials |= m.special;
    quoted_line_ends |= m.line_end & inside;
    count = flatten_bits_unrolled((m.delimiter | m.line_end) & ~inside,
                                  static_cast<std::uint32_t>(b - from), positions, count);
  }
  out.count = count;
  out.ends_inside_quote = carry != 0;
  out.has_quote = quotes != 0;
  out.has_special = specials != 0;
  out.has_quoted_line_end = quoted_line_ends != 0;
}

// One block of index_avx512 (inlined into it): the masks of the 64 bytes in `v` (bytes past
// `keep` are zeros of a masked load and are dropped), their quote parity carried from the block
// before, and the block's structural positions appended at `p` (16 per store, no data-dependent
// branch up to 16 structurals; positions has 64 entries of slack).
struct avx512_index_state {
  std::uint64_t carry = 0;             // all ones when the block before ended inside quotes
  std::uint64_t quotes = 0;            // OR of the blocks' quote bits
  std::uint64_t quoted_line_ends = 0;  // OR of the blocks' line ends inside quotes
  __m512i low;           // bytewise signed minimum of the whole blocks (a special byte is <= 0)
  bool special = false;  // the partial block has a special byte
};

template <bool Whole>
__attribute__((target("avx512f,avx512bw,avx512vbmi2,pclmul,bmi"), always_inline)) inline void
index_block_avx512(__m512i v, std::uint64_t keep, __m512i vdelim, __m512i vquote, __m512i lanes,
                   __m512i base, std::size_t k, avx512_index_state& s,
                   std::uint64_t* __restrict quote_bits, std::uint64_t* __restrict line_end_bits,
                   std::uint32_t*& p) noexcept {
  // The masks are combined in general registers (mask registers have one port on some CPUs).
  const std::uint64_t q = _cvtmask64_u64(_mm512_cmpeq_epi8_mask(v, vquote)) & keep;
  const std::uint64_t line_end =
      (_cvtmask64_u64(_mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\n'))) |
       _cvtmask64_u64(_mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\r')))) &
      keep;
  const std::uint64_t structural =
      (_cvtmask64_u64(_mm512_cmpeq_epi8_mask(v, vdelim)) & keep) | line_end;
  // NUL or >= 0x80 is a signed byte <= 0 (the zeros past a partial block are not bytes)
  if constexpr (Whole)
    s.low = _mm512_min_epi8(s.low, v);
  else
    s.special = (_cvtmask64_u64(_mm512_cmple_epi8_mask(v, _mm512_setzero_si512())) & keep) != 0;
  const std::uint64_t inside = prefix_xor_clmul(q) ^ s.carry;
  s.carry = static_cast<std::uint64_t>(static_cast<std::int64_t>(inside) >> 63);
  quote_bits[k] = q;
  line_end_bits[k] = line_end & ~inside;
  s.quotes |= q;
  s.quoted_line_ends |= line_end & inside;
  const std::uint64_t bits = structural & ~inside;
  const auto n = static_cast<std::size_t>(__builtin_popcountll(bits));
  const __m512i packed = _mm512_maskz_compress_epi8(_cvtu64_mask64(bits), lanes);
  // The maskz forms avoid GCC 12's false -Wmaybe-uninitialized in the unmasked intrinsics.
#define RIPTIDE_CSV_STORE_16(quarter)                                                        \
  _mm512_storeu_si512(                                                                       \
      p + 16 * (quarter),                                                                    \
      _mm512_add_epi32(_mm512_maskz_cvtepu8_epi32(                                           \
                           0xFFFF, _mm512_maskz_extracti32x4_epi32(0xF, packed, (quarter))), \
                       base))
  RIPTIDE_CSV_STORE_16(0);
  if (n > 16) {
    RIPTIDE_CSV_STORE_16(1);
    if (n > 32) {
      RIPTIDE_CSV_STORE_16(2);
      if (n > 48) RIPTIDE_CSV_STORE_16(3);
    }
  }
#undef RIPTIDE_CSV_STORE_16
  p += n;
}

// The same index with AVX-512 (BW for 64-byte compares into mask registers, VBMI2 for the
// flattening): a block's structural bits are turned into positions by compressing the lane
// numbers 0..63 under the bit mask (vpcompressb) and widening 16 at a time (as in simdjson's
// icelake kernel). Whole blocks are read with plain loads, the last, partial one with a masked
// load (no copy).
__attribute__((target("avx512f,avx512bw,avx512vbmi2,pclmul,bmi"))) inline void index_avx512(
    const char* d, std::size_t from, std::size_t to, char delimiter, char quote,
    structural_index& out) noexcept {
  alignas(64) static constexpr std::uint8_t lane_numbers[64] = {
      0,  1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21,
      22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43,
      44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63};
  const __m512i lanes = _mm512_load_si512(lane_numbers);
  const __m512i vquote = _mm512_set1_epi8(quote);
  const __m512i vdelim = _mm512_set1_epi8(delimiter);
  const __m512i step = _mm512_set1_epi32(64);
  __m512i base = _mm512_setzero_si512();  // the block's offset from `from`, in every lane
  avx512_index_state s;
  s.low = _mm512_set1_epi8(1);
  std::uint64_t* const quote_bits = out.quote_bits.data();
  std::uint64_t* const line_end_bits = out.line_end_bits.data();
  std::uint32_t* const positions = out.positions.data();
  std::uint32_t* p = positions;
  std::size_t k = 0;
  std::size_t b = from;
  for (; to - b >= 64; b += 64, ++k) {
    __builtin_prefetch(d + b + prefetch_distance, 0, 2);  // see index_avx2
    index_block_avx512<true>(_mm512_loadu_si512(d + b), ~std::uint64_t{0}, vdelim, vquote, lanes,
                             base, k, s, quote_bits, line_end_bits, p);
    base = _mm512_add_epi32(base, step);
  }
  if (b < to) {
    const std::uint64_t keep = (std::uint64_t{1} << (to - b)) - 1;
    index_block_avx512<false>(_mm512_maskz_loadu_epi8(_cvtu64_mask64(keep), d + b), keep, vdelim,
                              vquote, lanes, base, k, s, quote_bits, line_end_bits, p);
  }
  out.count = static_cast<std::size_t>(p - positions);
  out.ends_inside_quote = s.carry != 0;
  out.has_quote = s.quotes != 0;
  out.has_special = s.special || _mm512_cmple_epi8_mask(s.low, _mm512_setzero_si512()) != 0;
  out.has_quoted_line_end = s.quoted_line_ends != 0;
}

#endif

// Whether this CPU runs the AVX-512 (AVX2) index: the level it needs (simd/cpu.hpp). The reader's
// field cut (csv.hpp, cut_record_avx512 / cut_record_avx2) runs with this scanner: its needs are
// in the level too (AVX-512 VL).
inline bool cpu_has_avx512() noexcept {
  return simd::supports(simd::avx512_vbmi2);
}
inline bool cpu_has_avx2() noexcept {
  return simd::supports(simd::avx2_clmul);
}

}  // namespace detail

/// The scanner scan_mode::automatic runs on this CPU: avx512, avx2 or scalar, the best it has.
inline scan_mode best_scan_mode() noexcept {
  return detail::cpu_has_avx512() ? scan_mode::avx512
         : detail::cpu_has_avx2() ? scan_mode::avx2
                                  : scan_mode::scalar;
}

/// The scanner a reader runs, fixed at construction.
class structural_scanner {
 public:
  using block_fn = block_masks (*)(const char*, char, char) noexcept;

  explicit structural_scanner(scan_mode mode = scan_mode::automatic) {
    switch (mode) {
      case scan_mode::exact:
        kind_ = kind::exact;
        break;
      case scan_mode::scalar:
        kind_ = kind::scalar;
        break;
      case scan_mode::avx2:
        if (!detail::cpu_has_avx2())
          throw std::invalid_argument("csv: this CPU has no AVX2 (with PCLMUL, BMI)");
        kind_ = kind::avx2;
        break;
      case scan_mode::avx512:
        if (!detail::cpu_has_avx512())
          throw std::invalid_argument("csv: this CPU has no AVX-512 (F, BW, VL, VBMI2)");
        kind_ = kind::avx512;
        break;
      case scan_mode::automatic: {
        const scan_mode best = best_scan_mode();
        kind_ = best == scan_mode::avx512 ? kind::avx512
                : best == scan_mode::avx2 ? kind::avx2
                                          : kind::scalar;
        break;
      }
    }
#if defined(__x86_64__)
    // Block masks (scan()) of the AVX-512 scanner come from the AVX2 code: they are the same.
    if (kind_ == kind::avx2 || kind_ == kind::avx512) fn_ = &detail::scan_block_avx2;
#endif
    if (kind_ == kind::scalar) fn_ = &detail::scan_block_scalar;
  }

  /// False for scan_mode::exact.
  bool available() const noexcept {
    return kind_ != kind::exact;
  }
  /// "avx512", "avx2", "scalar" or "exact".
  std::string_view name() const noexcept {
    switch (kind_) {
      case kind::avx512:
        return "avx512";
      case kind::avx2:
        return "avx2";
      case kind::scalar:
        return "scalar";
      case kind::exact:
        break;
    }
    return "exact";
  }

  /// Masks of the first min(available, 64) bytes at p.
  block_masks scan(const char* p, std::size_t available, char delimiter,
                   char quote) const noexcept {
    if (available >= 64) return fn_(p, delimiter, quote);
    return detail::scan_tail(fn_, p, available, delimiter, quote);
  }

  /// Indexes window bytes [from, to) of `d` (see structural_index), starting outside quotes.
  void index(const char* d, std::size_t from, std::size_t to, char delimiter, char quote,
             structural_index& out) const {
    out.reserve(to - from);
    out.begin = from;
    out.end = to;
#if defined(__x86_64__)
    if (kind_ == kind::avx512) return detail::index_avx512(d, from, to, delimiter, quote, out);
    if (kind_ == kind::avx2) return detail::index_avx2(d, from, to, delimiter, quote, out);
#endif
    detail::index_scalar(d, from, to, delimiter, quote, out);
  }

 private:
  enum class kind : std::uint8_t { exact, scalar, avx2, avx512 };
  kind kind_ = kind::exact;
  block_fn fn_ = nullptr;
};

}  // namespace riptide::io
