// riptide/io/newline_scan.hpp: the positions of every '\n' in a block of bytes, in one pass.
//
// The JSON Lines reader finds the line ends of a whole batch at once (as simdjson's stage 1 finds
// its structural characters) instead of calling memchr once per line: a 64-byte compare per
// block, its bits turned into positions, so a line costs a few instructions instead of a call.
// Three kernels give identical results: a portable one (memchr from one newline to the next), an
// AVX2 one and an AVX-512 one (BW: compares into a mask register), the SIMD ones compiled with
// __attribute__((target(...))) so that the build baseline stays x86-64-v2; the best the CPU has
// is chosen at run time (best_newline_kernel(), from riptide/simd/cpu.hpp's probe: the AVX-512
// kernel needs simd::avx512_bw, the AVX2 one simd::avx2_bmi) unless the caller names one.
//
// Example:
//   riptide::io::newline_scanner scanner;  // the best kernel this CPU has
//   const auto ends = scanner.find("{\"a\":1}\n\n{\"b\":2}\n", 17);
//   if (std::vector<std::uint32_t>(ends.begin(), ends.end()) != std::vector<std::uint32_t>{7, 8,
//   16})
//     std::abort();
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <stdexcept>
#include <string_view>
#include <vector>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include "riptide/simd/cpu.hpp"

namespace riptide::io {

/// Which newline kernel a scanner runs: automatic (the best the CPU has), or that one (avx2 and
/// avx512 throw std::invalid_argument on a CPU without them).
enum class newline_kernel : std::uint8_t { automatic, portable, avx2, avx512 };

namespace detail {

// Appends the offsets of the '\n' bytes of data[0, size) to out (which has room for `size` more
// at out + count); returns the new count.
inline std::size_t newlines_portable(const char* data, std::size_t size, std::uint32_t* out,
                                     std::size_t count) noexcept {
  const char* p = data;
  const char* const end = data + size;
  while (p < end) {
    const void* nl = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
    if (nl == nullptr) break;
    out[count++] = static_cast<std::uint32_t>(static_cast<const char*>(nl) - data);
    p = static_cast<const char*>(nl) + 1;
  }
  return count;
}

#if defined(__x86_64__)
// The bits of a 64-byte block's '\n' bytes as positions (bit i: data[base + i]).
__attribute__((target("bmi"))) inline std::size_t newline_bits_to_positions(
    std::uint64_t bits, std::uint32_t base, std::uint32_t* out, std::size_t count) noexcept {
  while (bits != 0) {
    out[count++] = base + static_cast<std::uint32_t>(_tzcnt_u64(bits));
    bits = _blsr_u64(bits);
  }
  return count;
}

__attribute__((target("avx2,bmi"))) inline std::size_t newlines_avx2(const char* data,
                                                                     std::size_t size,
                                                                     std::uint32_t* out,
                                                                     std::size_t count) noexcept {
  const __m256i nl = _mm256_set1_epi8('\n');
  std::size_t i = 0;
  for (; i + 64 <= size; i += 64) {
    const __m256i lo = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(data + i));
    const __m256i hi = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(data + i + 32));
    const auto lo_bits =
        static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(lo, nl)));
    const auto hi_bits =
        static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(hi, nl)));
    count = newline_bits_to_positions(lo_bits | (std::uint64_t{hi_bits} << 32),
                                      static_cast<std::uint32_t>(i), out, count);
  }
  for (; i < size; ++i)  // the last bytes (fewer than 64): no load past the block
    if (data[i] == '\n') out[count++] = static_cast<std::uint32_t>(i);
  return count;
}

__attribute__((target("avx512f,avx512bw,bmi"))) inline std::size_t newlines_avx512(
    const char* data, std::size_t size, std::uint32_t* out, std::size_t count) noexcept {
  const __m512i nl = _mm512_set1_epi8('\n');
  std::size_t i = 0;
  for (; i + 64 <= size; i += 64)
    count = newline_bits_to_positions(_mm512_cmpeq_epi8_mask(_mm512_loadu_si512(data + i), nl),
                                      static_cast<std::uint32_t>(i), out, count);
  if (i < size) {  // the last bytes, loaded under a mask: no load past the block
    const __mmask64 keep = (std::uint64_t{1} << (size - i)) - 1;
    count = newline_bits_to_positions(
        _mm512_mask_cmpeq_epi8_mask(keep, _mm512_maskz_loadu_epi8(keep, data + i), nl),
        static_cast<std::uint32_t>(i), out, count);
  }
  return count;
}

#endif

// Whether this CPU runs the AVX2 (AVX-512) kernel: the level it needs (simd/cpu.hpp).
inline bool cpu_has_newline_avx2() noexcept {
  return simd::supports(simd::avx2_bmi);
}
inline bool cpu_has_newline_avx512() noexcept {
  return simd::supports(simd::avx512_bw);
}

}  // namespace detail

/// The kernel newline_kernel::automatic runs on this CPU: the best it has (never automatic).
inline newline_kernel best_newline_kernel() noexcept {
  return detail::cpu_has_newline_avx512() ? newline_kernel::avx512
         : detail::cpu_has_newline_avx2() ? newline_kernel::avx2
                                          : newline_kernel::portable;
}

/// "automatic", "portable", "avx2" or "avx512".
inline constexpr std::string_view to_string(newline_kernel kernel) noexcept {
  switch (kernel) {
    case newline_kernel::portable:
      return "portable";
    case newline_kernel::avx2:
      return "avx2";
    case newline_kernel::avx512:
      return "avx512";
    case newline_kernel::automatic:
      break;
  }
  return "automatic";
}

/// Finds the '\n' bytes of blocks with one kernel, fixed at construction.
class newline_scanner {
 public:
  explicit newline_scanner(newline_kernel kernel = newline_kernel::automatic) {
    switch (kernel) {
      case newline_kernel::automatic:
        kernel_ = best_newline_kernel();
        break;
      case newline_kernel::avx2:
        if (!detail::cpu_has_newline_avx2())
          throw std::invalid_argument("newline_scanner: this CPU has no AVX2 (with BMI)");
        kernel_ = kernel;
        break;
      case newline_kernel::avx512:
        if (!detail::cpu_has_newline_avx512())
          throw std::invalid_argument("newline_scanner: this CPU has no AVX-512 (F, BW)");
        kernel_ = kernel;
        break;
      case newline_kernel::portable:
        kernel_ = kernel;
        break;
    }
  }

  /// The kernel it runs (never automatic).
  newline_kernel kernel() const noexcept { return kernel_; }

  /// The offsets (from data) of every '\n' in data[0, size), in order; valid until the next
  /// find. Offsets are 32-bit: size must be below 4 GiB (std::length_error otherwise).
  std::span<const std::uint32_t> find(const char* data, std::size_t size) {
    if (size > std::size_t{0xFFFFFFFF}) throw std::length_error("newline_scanner: block >= 4 GiB");
    if (capacity_ < size) {  // room for every byte being a newline (left unwritten till found)
      capacity_ = std::max(size, capacity_ * 2);
      positions_ = std::make_unique_for_overwrite<std::uint32_t[]>(capacity_);
    }
    std::size_t count = 0;
    switch (kernel_) {
#if defined(__x86_64__)
      case newline_kernel::avx512:
        count = detail::newlines_avx512(data, size, positions_.get(), 0);
        break;
      case newline_kernel::avx2:
        count = detail::newlines_avx2(data, size, positions_.get(), 0);
        break;
#endif
      default:
        count = detail::newlines_portable(data, size, positions_.get(), 0);
        break;
    }
    return {positions_.get(), count};
  }

 private:
  newline_kernel kernel_ = newline_kernel::portable;
  std::unique_ptr<std::uint32_t[]> positions_;
  std::size_t capacity_ = 0;
};

}  // namespace riptide::io
