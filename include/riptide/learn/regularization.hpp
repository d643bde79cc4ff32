// riptide/learn/regularization.hpp: L1 / L2 penalties of the linear models and their proximal step.
//
// Sparse online learners touch only the coordinates active in a record, so the penalties are
// applied lazily to those coordinates (as Vowpal Wabbit and most sparse online learners do):
// L2 adds l2 * w to the gradient; L1 is a proximal soft-threshold after the step (truncated
// gradient, Langford, Li & Zhang 2009), which sets small weights exactly to zero. FTRL-Proximal
// applies both in its closed form instead. The bias is never penalised.
//
// Example:
//   riptide::learn::regularization r{.l1 = 0.1f, .l2 = 0.0f};
//   if (r.shrink(0.05f, 1.0f) != 0.0f) std::abort();      // inside the L1 ball: exactly zero
//   if (r.shrink(-0.5f, 1.0f) != -0.4f) std::abort();     // outside: moved 0.1 toward zero
#pragma once

#include <cmath>

namespace riptide::learn {

struct regularization {
  float l1 = 0.0f;
  float l2 = 0.0f;

  /// Soft-threshold of w by step * l1 (the proximal operator of step * l1 * |w|).
  float shrink(float w, float step) const noexcept {
    if (l1 <= 0.0f) return w;
    const float t = step * l1;
    if (w > t) return w - t;
    if (w < -t) return w + t;
    return 0.0f;
  }
};

}  // namespace riptide::learn
