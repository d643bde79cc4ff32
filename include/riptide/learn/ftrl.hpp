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

#include <cmath>
#include <cstddef>
#include <cstdint>

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
    const float sqrt_next = std::sqrt(n + g * g);
    const float z_next = z + (g - (sqrt_next - sqrt_n) * inv_lr * w);
    z = z_next;
    n += g * g;
    sqrt_n = sqrt_next;
    // No branch on z (whether it clears l1, its sign: unpredictable, and a mispredicted branch
    // here serialises the coordinates, whose steps are otherwise independent).
    const float next = -(z_next - std::copysign(l1, z_next)) / ((beta + sqrt_next) * inv_lr + l2);
    return std::fabs(z_next) <= l1 ? 0.0f : next;
  }
  std::uint64_t updates() const noexcept { return t_; }
};

}  // namespace riptide::learn
