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

#include <cmath>
#include <cstddef>
#include <cstdint>

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
    const float eta = lr / (std::sqrt(acc) + eps);
    return r.shrink(w - eta * g, eta);
  }
  std::uint64_t updates() const noexcept { return t_; }
};

}  // namespace riptide::learn
