// riptide/learn/adagrad.hpp: AdaGrad, a per-coordinate learning rate from the gradients seen.
//
// G_i <- G_i + g_i^2;  w_i <- w_i - lr / (sqrt(G_i) + eps) * g_i  (g_i includes l2 * w_i),
// then the L1 soft-threshold by the same per-coordinate rate (composite mirror descent).
// Rare features (a rare category) keep large steps; frequent ones settle. A strong default for
// sparse one-hot data.
// Parameters (defaults): lr (0.05), eps (1e-8).
// Reference: Duchi, Hazan & Singer, "Adaptive Subgradient Methods for Online Learning and
// Stochastic Optimization", JMLR 2011.
//
// Example:
//   riptide::learn::adagrad opt{.lr = 0.5f};
//   opt.grow(1);
//   opt.begin_update();
//   float w = opt.step(0, 0.0f, 2.0f, 1.0f, {});   // first step: lr * sign(g)
//   if (std::fabs(w + 0.5f) > 1e-6f) std::abort();
#pragma once

#include <Eigen/Core>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <cmath>
#include <cstddef>
#include <cstdint>

#include "riptide/features/sparse_vector.hpp"
#include "riptide/learn/inline_math.hpp"
#include "riptide/learn/lanes.hpp"
#include "riptide/learn/regularization.hpp"

namespace riptide::learn {

struct adagrad {
  static constexpr const char* name = "adagrad";

  float lr = 0.05f;
  float eps = 1e-8f;

  // State (public only so that the parameters above can be set by designated initialisers).
  Eigen::VectorXf g2_{};  // sum of squared gradients per coordinate
  std::uint64_t t_ = 0;

  void grow(std::size_t n) {
    const auto old = g2_.size();
    if (static_cast<std::size_t>(old) >= n) return;
    g2_.conservativeResize(static_cast<Eigen::Index>(n));
    g2_.tail(static_cast<Eigen::Index>(n) - old).setZero();
  }
  void begin_update() noexcept { ++t_; }
  float step(std::size_t i, float w, float g, float, const regularization& r) noexcept {
    g += r.l2 * w;
    float& acc = g2_[static_cast<Eigen::Index>(i)];
    acc += g * g;
    const float eta = lr / (detail::sqrt_nonnegative(acc) + eps);
    return r.shrink(w - eta * g, eta);
  }
#if defined(__SSE2__)
  /// step() on four feature coordinates at once (slots e[j].index + 1 of w, distinct; gradients
  /// g * e[j].value): the same operations in the same order, so the same floats.
  void step_lanes(const features::entry* e, float* w, float g, const regularization& r) noexcept {
    const std::size_t k[4] = {e[0].index + std::size_t{1}, e[1].index + std::size_t{1},
                              e[2].index + std::size_t{1}, e[3].index + std::size_t{1}};
    float* acc = g2_.data();
    const __m128 wl = _mm_setr_ps(w[k[0]], w[k[1]], w[k[2]], w[k[3]]);
    const __m128 gl = _mm_add_ps(_mm_mul_ps(_mm_set1_ps(g), detail::lane_values(e)),
                                 _mm_mul_ps(_mm_set1_ps(r.l2), wl));
    const __m128 a =
        _mm_add_ps(_mm_setr_ps(acc[k[0]], acc[k[1]], acc[k[2]], acc[k[3]]), _mm_mul_ps(gl, gl));
    const __m128 eta = _mm_div_ps(_mm_set1_ps(lr), _mm_add_ps(_mm_sqrt_ps(a), _mm_set1_ps(eps)));
    __m128 next = _mm_sub_ps(wl, _mm_mul_ps(eta, gl));
    if (r.l1 > 0.0f) {  // regularization::shrink: soft threshold by t = eta * l1
      const __m128 t = _mm_mul_ps(eta, _mm_set1_ps(r.l1));
      const __m128 above = _mm_cmpgt_ps(next, t);
      const __m128 below = _mm_cmplt_ps(next, _mm_sub_ps(_mm_setzero_ps(), t));
      next =
          _mm_or_ps(_mm_and_ps(above, _mm_sub_ps(next, t)), _mm_and_ps(below, _mm_add_ps(next, t)));
    }
    alignas(16) float out[2][4];
    _mm_store_ps(out[0], a);
    _mm_store_ps(out[1], next);
    for (int j = 0; j < 4; ++j) {
      acc[k[j]] = out[0][j];
      w[k[j]] = out[1][j];
    }
  }
#endif
  std::uint64_t updates() const noexcept {
    return t_;
  }
  template <class Archive>
  void state(Archive& a) {
    a("lr", lr);
    a("eps", eps);
    a("g2", g2_);
    a("t", t_);
  }
};

}  // namespace riptide::learn
