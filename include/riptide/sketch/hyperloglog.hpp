// riptide/sketch/hyperloglog.hpp: HyperLogLog distinct-count estimator.
//
// Counts distinct items in one pass and fixed memory (2^precision one-byte registers), with a
// relative standard error of about 1.04 / sqrt(2^precision): 0.81% at the default precision 14
// (16 KiB). Items are hashed with XXH3 (64 bits), so no large-range correction is needed; small
// counts use linear counting, which makes them nearly exact.
// Parameters: precision (4..18, default 14).
// Follows Flajolet, Fusy, Gandouet, Meunier, "HyperLogLog: the analysis of a near-optimal
// cardinality estimation algorithm" (AofA 2007), with the 64-bit hash of Heule, Nunkesser, Hall,
// "HyperLogLog in Practice" (EDBT 2013).
//
// Example:
//   riptide::sketch::hyperloglog distinct;
//   for (int i = 0; i < 1000; ++i) distinct.add(std::to_string(i % 100));
//   const double n = distinct.estimate();
//   if (n < 97 || n > 103) std::abort();
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string_view>
#include <vector>

#ifndef XXH_INLINE_ALL
#define XXH_INLINE_ALL
#endif
#include <xxhash.h>

namespace riptide::sketch {

class hyperloglog {
 public:
  explicit hyperloglog(int precision = 14) : precision_(precision) {
    if (precision < 4 || precision > 18)
      throw std::invalid_argument("hyperloglog: precision must be in 4..18");
    registers_.assign(std::size_t{1} << precision, 0);
  }

  /// Adds an item (its bytes).
  void add(std::string_view item) noexcept { add_hash(XXH3_64bits(item.data(), item.size())); }
  /// Adds an item by its 64-bit hash (already well mixed).
  void add_hash(std::uint64_t h) noexcept {
    const std::size_t index = static_cast<std::size_t>(h >> (64 - precision_));
    // Rank of the first 1 bit in the remaining 64 - p bits (1-based); a sentinel bit bounds it.
    const std::uint64_t rest = (h << precision_) | (std::uint64_t{1} << (precision_ - 1));
    const auto rank = static_cast<std::uint8_t>(__builtin_clzll(rest) + 1);
    if (rank > registers_[index]) registers_[index] = rank;
  }

  /// Estimated number of distinct items added.
  double estimate() const noexcept {
    const double m = static_cast<double>(registers_.size());
    double sum = 0.0;
    std::size_t zeros = 0;
    for (const std::uint8_t r : registers_) {
      sum += std::ldexp(1.0, -static_cast<int>(r));
      zeros += r == 0 ? 1 : 0;
    }
    const double alpha = 0.7213 / (1.0 + 1.079 / m);
    const double raw = alpha * m * m / sum;
    if (raw <= 2.5 * m && zeros > 0) return m * std::log(m / static_cast<double>(zeros));
    return raw;
  }

  /// Adds everything `other` counted (same precision).
  void merge(const hyperloglog& other) {
    if (other.precision_ != precision_)
      throw std::invalid_argument("hyperloglog: merging sketches of different precision");
    for (std::size_t i = 0; i < registers_.size(); ++i)
      registers_[i] = std::max(registers_[i], other.registers_[i]);
  }

  int precision() const noexcept { return precision_; }
  /// The relative standard error of estimate().
  double relative_error() const noexcept {
    return 1.04 / std::sqrt(static_cast<double>(registers_.size()));
  }

 private:
  int precision_;
  std::vector<std::uint8_t> registers_;
};

}  // namespace riptide::sketch
