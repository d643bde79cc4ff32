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

#if defined(__SSE2__)
static_assert(sizeof(features::entry) == 8 && offsetof(features::entry, value) == 4);

/// True when two of the `lanes` entries name the same feature (their steps are then not
/// independent: the second must see the first's result). The four indices in one register,
/// compared with themselves rotated by one and by two lanes: all six pairs in two compares.
inline bool repeats(const features::entry* e) noexcept {
  const __m128i lo = _mm_loadu_si128(reinterpret_cast<const __m128i*>(e));      // i0 v0 i1 v1
  const __m128i hi = _mm_loadu_si128(reinterpret_cast<const __m128i*>(e + 2));  // i2 v2 i3 v3
  const __m128i k = _mm_castps_si128(_mm_shuffle_ps(_mm_castsi128_ps(lo), _mm_castsi128_ps(hi),
                                                    _MM_SHUFFLE(2, 0, 2, 0)));  // i0 i1 i2 i3
  const __m128i by1 = _mm_shuffle_epi32(k, _MM_SHUFFLE(0, 3, 2, 1));            // i1 i2 i3 i0
  const __m128i by2 = _mm_shuffle_epi32(k, _MM_SHUFFLE(1, 0, 3, 2));            // i2 i3 i0 i1
  return _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi32(k, by1), _mm_cmpeq_epi32(k, by2))) != 0;
}
#else
inline bool repeats(const features::entry* e) noexcept {
  bool repeated = false;
  for (std::size_t a = 1; a < lanes; ++a)
    for (std::size_t b = 0; b < a; ++b) repeated |= e[a].index == e[b].index;
  return repeated;
}
#endif

#if defined(__SSE2__)
/// The values of entries e[0..3] in one register: two loads and a shuffle (entries are
/// (index, value) pairs), not four loads and three inserts.
inline __m128 lane_values(const features::entry* e) noexcept {
  const __m128 lo = _mm_loadu_ps(reinterpret_cast<const float*>(e));      // i0 v0 i1 v1
  const __m128 hi = _mm_loadu_ps(reinterpret_cast<const float*>(e + 2));  // i2 v2 i3 v3
  return _mm_shuffle_ps(lo, hi, _MM_SHUFFLE(3, 1, 3, 1));
}
#endif

}  // namespace riptide::learn::detail
