// riptide/io/csv_scan.hpp: the structural scan of CSV text, 64 bytes at a time.
//
// For a block of up to 64 bytes, scan() returns one bit per byte for the quotes, the delimiters
// and the line ends (CR or LF). The reader turns quote bits into "inside a quoted field" bits with
// a prefix XOR (prefix_xor) and so finds field and record ends without looking at bytes one by
// one. Two implementations give identical masks: a portable scalar loop and an AVX2 one
// (compiled with __attribute__((target("avx2"))) so the build baseline stays x86-64-v2), chosen
// at run time with __builtin_cpu_supports unless scan_mode says otherwise.
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
  }
  return m;
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
  return m;
}

inline bool cpu_has_avx2() noexcept {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2");
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
        if (!detail::cpu_has_avx2()) throw std::invalid_argument("csv: this CPU has no AVX2");
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
    alignas(64) char tail[64] = {};
    std::memcpy(tail, p, available);
    block_masks m = fn_(tail, delimiter, quote);
    const std::uint64_t keep = (std::uint64_t{1} << available) - 1;
    m.quote &= keep;
    m.delimiter &= keep;
    m.line_end &= keep;
    return m;
  }

 private:
  block_fn fn_ = nullptr;
};

}  // namespace riptide::io
