// riptide/learn/lanes.hpp: what the optimizers' four-coordinates-at-once steps share.
//
// An optimizer may step `lanes` feature coordinates of a record at once (one SSE register of
// floats: square roots and divisions four at a time) when their features are distinct; the
// linear model checks that with repeats() and steps the rest one coordinate at a time.
#pragma once

#include <cstddef>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "riptide/features/sparse_vector.hpp"

namespace riptide::learn::detail {

/// Coordinates stepped together: one SSE register of floats.
inline constexpr std::size_t lanes = 4;

/// True when two of the `lanes` entries name the same feature (their steps are then not
/// independent: the second must see the first's result).
inline bool repeats(const features::entry* e) noexcept {
  bool repeated = false;
  for (std::size_t a = 1; a < lanes; ++a)
    for (std::size_t b = 0; b < a; ++b) repeated |= e[a].index == e[b].index;
  return repeated;
}

#if defined(__SSE2__)
static_assert(sizeof(features::entry) == 8 && offsetof(features::entry, value) == 4);
/// The values of entries e[0..3] in one register: two loads and a shuffle (entries are
/// (index, value) pairs), not four loads and three inserts.
inline __m128 lane_values(const features::entry* e) noexcept {
  const __m128 lo = _mm_loadu_ps(reinterpret_cast<const float*>(e));      // i0 v0 i1 v1
  const __m128 hi = _mm_loadu_ps(reinterpret_cast<const float*>(e + 2));  // i2 v2 i3 v3
  return _mm_shuffle_ps(lo, hi, _MM_SHUFFLE(3, 1, 3, 1));
}
#endif

}  // namespace riptide::learn::detail
