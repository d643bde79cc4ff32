// riptide/features/feature_hash.hpp: signed feature hashing into 2^bits slots (XXH3).
//
// A feature (a column's seed and a value's bytes) maps to slot h mod 2^bits and a sign from the
// hash's top bit, so that collisions cancel in expectation instead of adding up (Weinberger et
// al., "Feature Hashing for Large Scale Multitask Learning", ICML 2009). Pairs of slots combine
// into an interaction slot (as Vowpal Wabbit's -q). Bits (default 18) must be in [1, 31].
//
// Example:
//   riptide::features::feature_hash h{4};
//   const auto a = h("payment_method", "Electronic check");
//   const auto b = h("payment_method", "Electronic check");
//   if (a.index != b.index || a.sign != b.sign || a.index >= 16) std::abort();
#pragma once

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <cstdint>
#include <stdexcept>
#include <string_view>

namespace riptide::features {

struct hashed_slot {
  std::uint32_t index;
  float sign;
};

class feature_hash {
 public:
  explicit feature_hash(unsigned bits = 18, std::uint64_t seed = 0) : seed_(seed) {
    if (bits < 1 || bits > 31) throw std::invalid_argument("feature_hash: bits must be in [1, 31]");
    mask_ = (std::uint64_t{1} << bits) - 1;
  }
  /// Seed of a column (hash of its name), to keep equal values of different columns apart.
  std::uint64_t column_seed(std::string_view column) const noexcept {
    return XXH3_64bits_withSeed(column.data(), column.size(), seed_);
  }
  hashed_slot slot(std::uint64_t column_seed, std::string_view value) const noexcept {
    return of(XXH3_64bits_withSeed(value.data(), value.size(), column_seed));
  }
  hashed_slot operator()(std::string_view column, std::string_view value) const noexcept {
    return slot(column_seed(column), value);
  }
  /// Slot of the interaction of two feature indices (order matters: a from the first group).
  hashed_slot interaction(std::uint32_t a, std::uint32_t b) const noexcept {
    const std::uint64_t key = (std::uint64_t{a} << 32) | b;
    return of(XXH3_64bits_withSeed(&key, sizeof key, seed_ ^ 0x51ed270b27e4f5c1ULL));
  }
  std::uint32_t slots() const noexcept { return static_cast<std::uint32_t>(mask_ + 1); }

 private:
  hashed_slot of(std::uint64_t h) const noexcept {
    return {static_cast<std::uint32_t>(h & mask_), (h >> 63) ? -1.0f : 1.0f};
  }
  std::uint64_t seed_;
  std::uint64_t mask_;
};

}  // namespace riptide::features
