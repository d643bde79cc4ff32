// riptide/learn/inline_math.hpp: square roots as one instruction on the learners' hot paths.
//
// std::sqrt must set errno for a negative argument, so unless the user's build has
// -fno-math-errno the compiler keeps a call to libm's sqrt beside (or instead of) the sqrtss
// instruction, and every SSE register live across that call is spilled and reloaded: in the
// adaptive optimizer that call sat on the path from one record's margin to the next's. The
// arguments here are never negative (sums of squares), where both give the same correctly
// rounded result.
#pragma once

#include <cmath>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace riptide::learn::detail {

/// sqrt(x) for x >= 0 (a NaN for x < 0, without errno).
inline float sqrt_nonnegative(float x) noexcept {
#if defined(__SSE2__)
  return _mm_cvtss_f32(_mm_sqrt_ss(_mm_set_ss(x)));
#else
  return std::sqrt(x);
#endif
}
inline double sqrt_nonnegative(double x) noexcept {
#if defined(__SSE2__)
  const __m128d v = _mm_set_sd(x);
  return _mm_cvtsd_f64(_mm_sqrt_sd(v, v));
#else
  return std::sqrt(x);
#endif
}

}  // namespace riptide::learn::detail
