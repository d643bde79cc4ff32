// riptide/io/csv_scan.hpp: the structural scan of CSV text, 64 bytes at a time.
//
// For a block of up to 64 bytes, scan() returns one bit per byte for the quotes, the delimiters,
// the line ends (CR or LF) and the "special" bytes (NUL or >= 0x80, which need checking). The
// reader turns quote bits into "inside a quoted field" bits with a prefix XOR (prefix_xor) and so
// finds field and record ends without looking at bytes one by one: index() writes the positions
// of all delimiters and line ends outside quotes of a whole batch (as simdjson's stage 1 does),
// plus per-block quote and special bits, and the reader walks that index record by record. The
// index assumes well-formed quoting from its first byte; the reader checks every record that has
// quotes and re-parses anything suspicious exactly, so malformed input never yields wrong records.
// Two implementations give identical results: a portable scalar loop and an AVX2 one (compiled
// with __attribute__((target("avx2,pclmul,bmi"))) so the build baseline stays x86-64-v2), chosen at
// run time with __builtin_cpu_supports unless scan_mode says otherwise.
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

namespace riptide::io {

/// Which structural scanner a reader uses.
///  - automatic: AVX2 when the CPU has it, else scalar;
///  - scalar, avx2: that one (avx2 throws std::invalid_argument on a CPU without it);
///  - exact: no block scan at all, the byte-by-byte state machine only (the reference).
enum class scan_mode : std::uint8_t { automatic, scalar, avx2, exact };

/// Bit i describes byte i of the block; bits past the block's length are 0.
struct block_masks {
  std::uint64_t quote = 0;
  std::uint64_t delimiter = 0;
  std::uint64_t line_end = 0;
  std::uint64_t special = 0;  // NUL bytes and bytes >= 0x80
};

/// Structural positions of window bytes [begin, end): delimiters and line ends outside quotes
/// (offsets from begin, in order), and per 64-byte block from begin its quote and special bits.
struct structural_index {
  std::vector<std::uint32_t> positions;
  std::vector<std::uint64_t> quote_bits;
  std::vector<std::uint64_t> special_bits;
  std::size_t begin = 0;
  std::size_t end = 0;
  std::size_t count = 0;           // valid entries in positions
  bool ends_inside_quote = false;  // the quote parity at `end` is odd

  void reserve(std::size_t bytes) {
    const std::size_t blocks = (bytes + 63) / 64 + 1;
    if (positions.size() < blocks * 64 + 64) positions.resize(blocks * 64 + 64);
    if (quote_bits.size() < blocks) {
      quote_bits.resize(blocks);
      special_bits.resize(blocks);
    }
  }
  /// Whether any quote (special) byte lies in window bytes [from, to), begin <= from <= to <= end.
  bool any_quote(std::size_t from, std::size_t to) const noexcept {
    return any(quote_bits, from, to);
  }
  bool any_special(std::size_t from, std::size_t to) const noexcept {
    return any(special_bits, from, to);
  }

 private:
  bool any(const std::vector<std::uint64_t>& bits, std::size_t from,
           std::size_t to) const noexcept {
    if (from >= to) return false;
    const std::size_t a = from - begin, b = to - begin;
    std::size_t k = a / 64;
    const std::size_t last = (b - 1) / 64;
    std::uint64_t word = bits[k] & (~std::uint64_t{0} << (a % 64));
    for (;;) {
      if (k == last) {
        const unsigned tail = static_cast<unsigned>(b - last * 64);
        if (tail < 64) word &= (std::uint64_t{1} << tail) - 1;
        return word != 0;
      }
      if (word != 0) return true;
      word = bits[++k];
    }
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
  std::uint64_t carry = 0;
  std::size_t count = 0;
  std::size_t k = 0;
  for (std::size_t b = from; b < to; b += 64, ++k) {
    const block_masks m = to - b >= 64
                              ? scan_block_scalar(d + b, delimiter, quote)
                              : scan_tail(&scan_block_scalar, d + b, to - b, delimiter, quote);
    const std::uint64_t inside = prefix_xor(m.quote) ^ carry;
    carry = static_cast<std::uint64_t>(static_cast<std::int64_t>(inside) >> 63);
    out.quote_bits[k] = m.quote;
    out.special_bits[k] = m.special;
    count = flatten_bits((m.delimiter | m.line_end) & ~inside, static_cast<std::uint32_t>(b - from),
                         out.positions.data(), count);
  }
  out.count = count;
  out.ends_inside_quote = carry != 0;
}

#if defined(__x86_64__)
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
  std::uint64_t carry = 0;
  std::size_t count = 0;
  std::size_t k = 0;
  std::uint32_t* positions = out.positions.data();
  for (std::size_t b = from; b < to; b += 64, ++k) {
    const block_masks m = to - b >= 64
                              ? scan_block_avx2(d + b, delimiter, quote)
                              : scan_tail(&scan_block_avx2, d + b, to - b, delimiter, quote);
    const std::uint64_t inside = prefix_xor_clmul(m.quote) ^ carry;
    carry = static_cast<std::uint64_t>(static_cast<std::int64_t>(inside) >> 63);
    out.quote_bits[k] = m.quote;
    out.special_bits[k] = m.special;
    count = flatten_bits_unrolled((m.delimiter | m.line_end) & ~inside,
                                  static_cast<std::uint32_t>(b - from), positions, count);
  }
  out.count = count;
  out.ends_inside_quote = carry != 0;
}

inline bool cpu_has_avx2() noexcept {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("pclmul") &&
         __builtin_cpu_supports("bmi");
}
#else
inline bool cpu_has_avx2() noexcept {
  return false;
}
#endif

}  // namespace detail

/// The scanner a reader runs, fixed at construction.
class structural_scanner {
 public:
  using block_fn = block_masks (*)(const char*, char, char) noexcept;

  explicit structural_scanner(scan_mode mode = scan_mode::automatic) {
    switch (mode) {
      case scan_mode::exact:
        fn_ = nullptr;
        break;
      case scan_mode::scalar:
        fn_ = &detail::scan_block_scalar;
        break;
      case scan_mode::avx2:
#if defined(__x86_64__)
        if (!detail::cpu_has_avx2())
          throw std::invalid_argument("csv: this CPU has no AVX2 (with PCLMUL, BMI)");
        fn_ = &detail::scan_block_avx2;
        break;
#else
        throw std::invalid_argument("csv: AVX2 scanning needs an x86-64 CPU");
#endif
      case scan_mode::automatic:
#if defined(__x86_64__)
        fn_ = detail::cpu_has_avx2() ? &detail::scan_block_avx2 : &detail::scan_block_scalar;
#else
        fn_ = &detail::scan_block_scalar;
#endif
        break;
    }
  }

  /// False for scan_mode::exact.
  bool available() const noexcept {
    return fn_ != nullptr;
  }
  /// "avx2", "scalar" or "exact".
  std::string_view name() const noexcept {
    if (fn_ == nullptr) return "exact";
#if defined(__x86_64__)
    if (fn_ == &detail::scan_block_avx2) return "avx2";
#endif
    return "scalar";
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
    if (fn_ == &detail::scan_block_avx2)
      return detail::index_avx2(d, from, to, delimiter, quote, out);
#endif
    detail::index_scalar(d, from, to, delimiter, quote, out);
  }

 private:
  block_fn fn_ = nullptr;
};

}  // namespace riptide::io
