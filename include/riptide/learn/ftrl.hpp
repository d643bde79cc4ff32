// riptide/learn/ftrl.hpp: FTRL-Proximal, follow-the-regularised-leader with L1 + L2.
//
// Per coordinate, with g the loss gradient (McMahan et al. 2013, Algorithm 1):
//   sigma = (sqrt(n + g^2) - sqrt(n)) / lr;  z <- z + g - sigma * w;  n <- n + g^2
//   w = 0                                              if |z| <= l1
//   w = -(z - sign(z) l1) / ((beta + sqrt(n)) / lr + l2)   otherwise
// The L1 and L2 penalties come from the model's regularization (its --l1 / --l2); a large L1
// gives exactly-zero weights, the reason FTRL is used for sparse models.
// Parameters (defaults): lr (alpha, 0.1), beta (1.0).
// Reference: McMahan et al., "Ad Click Prediction: a View from the Trenches", KDD 2013.
//
// Example:
//   riptide::learn::ftrl opt{.lr = 0.1f};
//   opt.grow(1);
//   opt.begin_update();
//   float w = opt.step(0, 0.0f, 0.5f, 1.0f, {.l1 = 1.0f});   // |z| = 0.5 <= l1: stays zero
//   if (w != 0.0f) std::abort();
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

struct ftrl {
  static constexpr const char* name = "ftrl";

  float lr = 0.1f;  // alpha
  float beta = 1.0f;

  // State (public only so that the parameters above can be set by designated initialisers).
  Eigen::VectorXf z_{};
  Eigen::VectorXf n_{};
  Eigen::VectorXf sqrt_n_{};  // sqrt(n_), kept: each step needs the old root and the new
  float inv_lr_ = 0.0f;       // 1 / lr, set by begin_update (a multiply instead of two divisions)
  std::uint64_t t_ = 0;

  void grow(std::size_t n) {
    const auto old = z_.size();
    if (static_cast<std::size_t>(old) >= n) return;
    const auto size = static_cast<Eigen::Index>(n);
    z_.conservativeResize(size);
    n_.conservativeResize(size);
    sqrt_n_.conservativeResize(size);
    z_.tail(size - old).setZero();
    n_.tail(size - old).setZero();
    sqrt_n_.tail(size - old).setZero();
  }
  void begin_update() noexcept {
    ++t_;
    inv_lr_ = 1.0f / lr;
  }
  float step(std::size_t i, float w, float g, float, const regularization& r) noexcept {
    const auto k = static_cast<Eigen::Index>(i);
    float& z = z_[k];
    float& n = n_[k];
    float& sqrt_n = sqrt_n_[k];
    const float inv_lr = inv_lr_, l1 = r.l1, l2 = r.l2;  // read before the stores below
    const float sqrt_next = detail::sqrt_nonnegative(n + g * g);
    const float z_next = z + (g - (sqrt_next - sqrt_n) * inv_lr * w);
    z = z_next;
    n += g * g;
    sqrt_n = sqrt_next;
    // No branch on z (whether it clears l1, its sign: unpredictable, and a mispredicted branch
    // here serialises the coordinates, whose steps are otherwise independent).
    const float next = -(z_next - std::copysign(l1, z_next)) / ((beta + sqrt_next) * inv_lr + l2);
    return std::fabs(z_next) <= l1 ? 0.0f : next;
  }
#if defined(__SSE2__)
  /// step() on four feature coordinates at once (slots e[j].index + 1 of w, distinct; gradients
  /// g * e[j].value): the same operations in the same order, so the same floats, four at a time.
  void step_lanes(const features::entry* e, float* w, float g, const regularization& r) noexcept {
    const std::size_t k0 = e[0].index + std::size_t{1}, k1 = e[1].index + std::size_t{1},
                      k2 = e[2].index + std::size_t{1}, k3 = e[3].index + std::size_t{1};
    float* z = z_.data();
    float* n = n_.data();
    float* sqrt_n = sqrt_n_.data();
    const __m128 neg = _mm_set1_ps(-0.0f), inv_lr = _mm_set1_ps(inv_lr_), l1 = _mm_set1_ps(r.l1);
    const __m128 gl = _mm_mul_ps(_mm_set1_ps(g), detail::lane_values(e));
    const __m128 wl = _mm_setr_ps(w[k0], w[k1], w[k2], w[k3]);
    const __m128 nl = _mm_setr_ps(n[k0], n[k1], n[k2], n[k3]);
    const __m128 g2 = _mm_mul_ps(gl, gl);
    const __m128 sqrt_next = _mm_sqrt_ps(_mm_add_ps(nl, g2));
    const __m128 sigma_w = _mm_mul_ps(
        _mm_mul_ps(
            _mm_sub_ps(sqrt_next, _mm_setr_ps(sqrt_n[k0], sqrt_n[k1], sqrt_n[k2], sqrt_n[k3])),
            inv_lr),
        wl);
    const __m128 z_next =
        _mm_add_ps(_mm_setr_ps(z[k0], z[k1], z[k2], z[k3]), _mm_sub_ps(gl, sigma_w));
    const __m128 shrunk = _mm_sub_ps(z_next, _mm_or_ps(_mm_and_ps(z_next, neg), l1));
    const __m128 denom =
        _mm_add_ps(_mm_mul_ps(_mm_add_ps(_mm_set1_ps(beta), sqrt_next), inv_lr), _mm_set1_ps(r.l2));
    const __m128 next = _mm_xor_ps(_mm_div_ps(shrunk, denom), neg);
    // w = 0 where |z| <= l1 (not-less-or-equal keeps a NaN as step() does)
    const __m128 w_next = _mm_and_ps(_mm_cmpnle_ps(_mm_andnot_ps(neg, z_next), l1), next);
    alignas(16) float out[4][4];
    _mm_store_ps(out[0], z_next);
    _mm_store_ps(out[1], _mm_add_ps(nl, g2));
    _mm_store_ps(out[2], sqrt_next);
    _mm_store_ps(out[3], w_next);
    const std::size_t k[4] = {k0, k1, k2, k3};
    for (int j = 0; j < 4; ++j) {
      z[k[j]] = out[0][j];
      n[k[j]] = out[1][j];
      sqrt_n[k[j]] = out[2][j];
      w[k[j]] = out[3][j];
    }
  }
#endif
  std::uint64_t updates() const noexcept {
    return t_;
  }
  template <class Archive>
  void state(Archive& a) {
    a("lr", lr);
    a("beta", beta);
    a("z", z_);
    a("n", n_);
    a("sqrt_n", sqrt_n_);
    a("inv_lr", inv_lr_);
    a("t", t_);
    a.check(n_.size() == z_.size() && sqrt_n_.size() == z_.size(),
            "z, n and sqrt_n differ in size");
  }
};

}  // namespace riptide::learn
